"""What a business did with the ward's events shows on its timeline in the directory."""

from __future__ import annotations

import pytest

from shoko.directory.models import TimelineEvent
from shoko.events import services
from tests.events.factories import registered, running_session
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_checking_in_a_business_registrant_appends_to_its_timeline(official):
    organisation = OrganisationFactory(name="練馬ベーカリー")
    session = running_session()
    registration = registered(session, organisation=organisation)
    services.check_in(registration_id=registration.pk, actor=official)
    entry = TimelineEvent.objects.get(business__organisation=organisation)
    assert entry.kind == "event_attended"
    assert session.event.title in entry.title
    assert entry.actor == official


def test_a_person_without_a_business_leaves_no_timeline_entry(official):
    session = running_session()
    registration = registered(session)
    services.check_in(registration_id=registration.pk, actor=official)
    assert not TimelineEvent.objects.exists()

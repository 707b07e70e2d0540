"""The demo data covers every programme in two fiscal years, so the plan's figures show."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from shoko.core.japan import FiscalYear
from shoko.events import indicators, services
from shoko.events.models import Event, Kind, Programme, Registration, Session

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_gives_the_indicators_values():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "events done" in out.getvalue()
    counts = (Event.objects.count(), Session.objects.count(), Registration.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Event.objects.count(), Session.objects.count(), Registration.objects.count()) == counts
    assert {e.programme for e in Event.objects.all()} == set(Programme.values) - {"other"}
    previous = FiscalYear.current() - 1
    for code in (
        "events.seminars_held.startup",
        "events.seminar_participants.startup",
        "events.certificates_issued",
        "events.seminars_held.welfare",
        "events.seminars_held.succession",
        "events.machi_zemi_courses",
        "events.machi_zemi_participants",
        "events.consultations_held.all",
        "events.trade_fairs_held",
    ):
        definition = next(d for d in indicators.DEFINITIONS if d.code == code)
        assert definition.measure(previous).value > 0, code
    # And there is something to sign up for on every kind of programme.
    upcoming = Session.objects.filter(starts_at__gt=timezone.now(), event__published=True)
    assert {s.event.kind for s in upcoming.select_related("event")} >= {
        Kind.SEMINAR,
        Kind.MACHI_ZEMI,
        Kind.TRADE_FAIR,
        Kind.STREET_EVENT,
        Kind.SCREENING,
    }
    assert upcoming.filter(seats_taken=models.F("capacity")).exists()  # a full one, waitlisted
    # The counters stay true to the registrations.
    for session in Session.objects.all():
        assert session.seats_taken == services.seats_held(session.pk)

"""Past sign-ups are anonymised after the retention period; the figures survive."""

from __future__ import annotations

from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from shoko.events import indicators
from shoko.events.models import Kind, Registration
from shoko.events.services import ANONYMISED_NAME
from tests.events.factories import past_session, registered

pytestmark = pytest.mark.django_db


def test_the_command_erases_personal_data_of_old_sign_ups_only(official):
    old = past_session(days_ago=400)
    recent = past_session(days_ago=30)
    gone = registered(old, 1, attendance="attended", seats=2, answers={"1": "区報"})
    kept = registered(recent, 2)
    out = StringIO()
    call_command("events_anonymise", "--days", "365", "--actor", official.email, stdout=out)
    assert "anonymised 1 registration(s)" in out.getvalue()
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.full_name == ANONYMISED_NAME
    assert gone.email == f"anonymised-{gone.pk}@anonymised.invalid"
    assert (gone.phone, gone.full_name_kana, gone.answers) == ("", "", {})
    assert gone.anonymised_at is not None
    assert (gone.seats, gone.attendance, gone.status) == (2, "attended", "confirmed")
    assert kept.full_name != ANONYMISED_NAME
    # The counts the plan needs are unchanged.
    fy = old.fiscal_year
    assert indicators.participants(fy, kind=Kind.SEMINAR).value == 2
    # Running it again finds nothing more.
    out = StringIO()
    call_command("events_anonymise", "--days", "365", stdout=out)
    assert "anonymised 0 registration(s)" in out.getvalue()


def test_the_audit_trail_never_held_the_full_personal_data():
    registration = registered(
        past_session(days_ago=1), full_name="個人 情報子", phone="09099998888"
    )
    entry = LogEntry.objects.get_for_object(registration).first()
    changes = str(entry.changes)
    assert "09099998888" not in changes
    assert "個人 情報子" not in changes


def test_the_command_refuses_a_too_short_period_or_an_unknown_actor():
    with pytest.raises(CommandError):
        call_command("events_anonymise", "--days", "7")
    with pytest.raises(CommandError):
        call_command("events_anonymise", "--actor", "nobody@example.jp")
    assert Registration.objects.count() == 0

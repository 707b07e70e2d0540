"""The periodic jobs: offers lapse and pass on, reminders and survey invitations go out."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from shoko.events import services
from shoko.events.models import Registration
from tests.events.factories import SessionFactory, in_days, person, sign_up

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_jobs_command_runs_every_job_now():
    session = SessionFactory(starts_at=in_days(1), event__reminder_hours=48)
    sign_up(session, person(1))
    mail.outbox.clear()
    out = StringIO()
    call_command("events_jobs", "--now", stdout=out)
    assert "offers: 0" in out.getvalue()
    assert "reminders: 1" in out.getvalue()
    assert "surveys: 0" in out.getvalue()
    assert mail.outbox[0].subject.startswith("【開催のお知らせ】")


def test_the_jobs_command_enqueues_for_the_worker(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }
    from django_tasks_db.models import DBTaskResult

    out = StringIO()
    call_command("events_jobs", "--only", "offers", stdout=out)
    assert "offers: enqueued" in out.getvalue()
    assert DBTaskResult.objects.ready().count() == 1


def test_a_lapsed_offer_is_passed_on_by_the_job():
    session = SessionFactory(capacity=1, event__offer_hours=1)
    holder = sign_up(session, person(1))
    first = sign_up(session, person(2))
    second = sign_up(session, person(3))
    services.cancel_registration(registration_id=holder.pk)
    first.refresh_from_db()
    Registration.objects.filter(pk=first.pk).update(
        offer_expires_at=first.offer_expires_at - dt.timedelta(hours=2)
    )
    call_command("events_jobs", "--now", "--only", "offers", stdout=StringIO())
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.OFFER_EXPIRED
    assert second.status == Registration.Status.OFFERED

"""Email goes through the database task queue and the worker that `make run` starts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from shoko.core.mail import send_templated_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_delivers_a_queued_email(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }
    from django_tasks_db.models import DBTaskResult

    send_templated_email(
        to=["owner@example.jp"],
        subject_template="registration/password_reset_subject.txt",
        body_template="registration/password_reset_email.html",
        context={
            "site_name": "Shoko",
            "protocol": "https",
            "domain": "example.jp",
            "uid": "MQ",
            "token": "abc-123",
        },
        language="en",
    )
    assert mail.outbox == []
    assert DBTaskResult.objects.ready().count() == 1
    call_command(
        "db_worker",
        "--batch",
        "--queue-name",
        "*",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert DBTaskResult.objects.successful().count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Shoko] Password reset"

"""Background work of the events app (run by ``manage.py db_worker``).

Scheduling is the operator's: ``manage.py events_jobs`` (every few minutes from cron or a
systemd timer) enqueues these, so that the worker does the sending.
"""

from __future__ import annotations

from django_tasks import task

from shoko.events import services


@task()
def expire_offers_task() -> int:
    """Lapse seat offers past their deadline and offer the seats to the next people."""
    return services.expire_offers()


@task()
def send_reminders_task() -> int:
    """Remind confirmed registrants before their session."""
    return services.send_reminders()


@task()
def send_survey_invitations_task() -> int:
    """Invite attendees of sessions that just ended to the survey."""
    return services.send_survey_invitations()

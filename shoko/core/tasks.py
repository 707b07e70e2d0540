"""Background tasks of the core app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.dispatch import Signal
from django_tasks import task


@task(queue_name="email")
def deliver_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str | None = None,
) -> int:
    """Send one email; enqueued so that a slow mail server never slows a page."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


#: Sent by ``manage.py db_worker`` when it starts, after tasks that a stopped worker left
#: running were marked failed (``interrupted``: their DBTaskResult ids). An app whose task
#: keeps its own state (an import job) marks it failed with its reason here, so that the
#: person who started it sees why and can try again.
worker_started = Signal()

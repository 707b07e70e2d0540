"""Email in the recipient's language, sent through the background worker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from shoko.core.tasks import deliver_email


def send_templated_email(
    *,
    to: list[str],
    subject_template: str,
    body_template: str,
    context: dict[str, Any],
    language: str | None = None,
) -> None:
    """Render subject and body in ``language`` (the recipient's), then enqueue the delivery."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = "".join(render_to_string(subject_template, context).splitlines()).strip()
        body = render_to_string(body_template, context)
    deliver_email.enqueue(
        subject=subject, body=body, to=list(to), from_email=settings.DEFAULT_FROM_EMAIL
    )

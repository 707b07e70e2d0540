"""Email to the members of an applying business, each in their own language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from shoko.core.mail import send_templated_email
from shoko.programmes.models import Application


def application_url(application: Application, language: str) -> str:
    """The portal page of the application in ``language`` (with its prefix), absolute when the
    site's address is configured (``SHOKO_SITE_URL``)."""
    with translation.override(language):
        path = reverse("programmes:my-application", args=[application.pk])
    return getattr(settings, "SHOKO_SITE_URL", "").rstrip("/") + path


def send_to_members(
    application: Application,
    users: Iterable[Any],
    *,
    subject_template: str,
    body_template: str,
    context: dict[str, Any],
) -> int:
    sent = 0
    for user in users:
        if not user.email:
            continue
        language = user.preferred_language or settings.LANGUAGE_CODE
        send_templated_email(
            to=[user.email],
            subject_template=subject_template,
            body_template=body_template,
            context={
                **context,
                "application": application,
                "programme": application.programme,
                "user": user,
                "url": application_url(application, language),
                "site_name": settings.SHOKO_SITE_NAME,
            },
            language=language,
        )
        sent += 1
    return sent

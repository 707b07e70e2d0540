"""Emails to entrants, each in the entrant's language (the language they entered in).

Queued inside the service's transaction: with the database task backend the delivery is stored
in the same transaction as the change it reports, so neither exists without the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from shoko.contests.models import Entry
from shoko.core.mail import send_templated_email

#: Each kind has contests/email/<kind>_subject.txt and <kind>_body.txt.
ENTRY_EMAILS = (
    "submitted",
    "resubmitted",
    "fix_requested",
    "eligible",
    "disqualified",
    "reinstated",
    "winner",
    "jury_comments",
)


def site_url() -> str:
    """The public address for links in emails (SHOKO_SITE_URL, else the first trusted origin)."""
    if settings.SHOKO_SITE_URL:
        return str(settings.SHOKO_SITE_URL).rstrip("/")
    if settings.CSRF_TRUSTED_ORIGINS:
        return str(settings.CSRF_TRUSTED_ORIGINS[0]).rstrip("/")
    return "http://localhost:8000"


def absolute(path: str) -> str:
    return f"{site_url()}{path}"


def recipients(entry: Entry) -> list[str]:
    """The entrant, and the guardian of a minor (who consented and should know)."""
    to = [entry.entrant.email]
    if entry.is_minor and entry.guardian_email and entry.guardian_email not in to:
        to.append(entry.guardian_email)
    return to


def send_to_entrant(
    entry: Entry,
    kind: str,
    *,
    extra: dict[str, Any] | None = None,
    comments: Sequence[str] = (),
) -> None:
    if kind not in ENTRY_EMAILS:
        raise ValueError(f"unknown contest email {kind!r}")
    language = entry.language or settings.LANGUAGE_CODE
    with translation.override(language):
        entry_url = absolute(reverse("contests:my-entry", args=[entry.pk]))
        call_url = absolute(reverse("contests:call", args=[entry.call.slug]))
        results_url = absolute(reverse("contests:results", args=[entry.call.slug]))
    context: dict[str, Any] = {
        "entry": entry,
        "call": entry.call,
        "category": entry.category,
        "entry_url": entry_url,
        "call_url": call_url,
        "results_url": results_url,
        "comments": list(comments),
        **(extra or {}),
    }
    send_templated_email(
        to=recipients(entry),
        subject_template=f"contests/email/{kind}_subject.txt",
        body_template=f"contests/email/{kind}_body.txt",
        context=context,
        language=language,
    )

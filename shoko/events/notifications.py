"""Emails to registrants and consultation bookers, each in the recipient's language.

Called by the services inside their transaction: with the database task backend the delivery is
queued in the same transaction as the change it reports, so neither exists without the other.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from shoko.core.mail import send_templated_email
from shoko.events import formatting, links
from shoko.events.models import ConsultationBooking, Registration

#: The emails a registrant can receive; each has ``events/email/<kind>_subject.txt`` and
#: ``events/email/<kind>_body.txt``.
REGISTRATION_EMAILS = (
    "confirmed",
    "waitlisted",
    "offered",
    "offer_lapsed",
    "cancelled",
    "reminder",
    "session_cancelled",
    "survey",
    "message",
)


def _registration_context(registration: Registration) -> dict[str, Any]:
    session = registration.session
    event = session.event
    with translation.override(registration.language):
        when = formatting.when(session.starts_at, session.ends_at)
        offer_deadline = (
            f"{formatting.long_date(registration.offer_expires_at)} "
            f"{formatting.local(registration.offer_expires_at):%H:%M}"
            if registration.offer_expires_at
            else ""
        )
    return {
        "registration": registration,
        "session": session,
        "event": event,
        "venue": event.venue,
        "when": when,
        "offer_deadline": offer_deadline,
        "registration_url": links.registration_url(registration),
        "event_url": links.event_url(event, language=registration.language),
        "ics_url": links.session_ics_url(session, language=registration.language),
    }


def send_to_registrant(
    registration: Registration, kind: str, *, extra: dict[str, Any] | None = None
) -> None:
    """Queue one of ``REGISTRATION_EMAILS`` to the registrant."""
    if kind not in REGISTRATION_EMAILS:
        raise ValueError(f"unknown registration email {kind!r}")
    context = _registration_context(registration)
    if kind == "survey":
        context["survey_url"] = links.survey_url(registration)
    context.update(extra or {})
    send_templated_email(
        to=[registration.email],
        subject_template=f"events/email/{kind}_subject.txt",
        body_template=f"events/email/{kind}_body.txt",
        context=context,
        language=registration.language,
    )


def send_consultation_email(booking: ConsultationBooking, kind: str) -> None:
    """``booked`` or ``cancelled``, to the person who booked, in their language."""
    booker = booking.booked_by
    if booker is None or not booker.email:
        return
    language = booker.preferred_language or "ja"
    slot = booking.slot
    with translation.override(language):
        when = formatting.when(slot.starts_at, slot.ends_at)
    send_templated_email(
        to=[booker.email],
        subject_template=f"events/email/consultation_{kind}_subject.txt",
        body_template=f"events/email/consultation_{kind}_body.txt",
        context={"booking": booking, "slot": slot, "when": when, "venue": slot.venue},
        language=language,
    )

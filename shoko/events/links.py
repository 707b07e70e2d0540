"""Links people receive by email: signed, expiring, and in the person's language.

A registrant has no account, so the emailed link is their key to view, cancel, claim a seat or
answer the survey. It carries the registration's random token signed with
``django.core.signing`` (a forged link fails the signature; an old one fails the timestamp), and
anonymising a registration replaces the token, so old links stop working.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from shoko.events.models import Event, Registration, Session

REGISTRATION_SALT = "shoko.events.registration"
SURVEY_SALT = "shoko.events.survey"
#: A registration link lives a little over a year: long enough for any session and its survey.
LINK_MAX_AGE_SECONDS = 60 * 60 * 24 * 400
SURVEY_MAX_AGE_SECONDS = 60 * 60 * 24 * 60


class LinkInvalid(Exception):
    """The link was altered, truncated or never issued."""


class LinkExpired(Exception):
    """The link was genuine but is too old."""


def site_url() -> str:
    """The public address of the site, for links in emails sent outside a request.

    ``SHOKO_SITE_URL`` if set, else the first trusted origin (production sets it), else the
    development server.
    """
    explicit = settings.SHOKO_SITE_URL
    if explicit:
        return explicit.rstrip("/")
    if settings.CSRF_TRUSTED_ORIGINS:
        return settings.CSRF_TRUSTED_ORIGINS[0].rstrip("/")
    return "http://localhost:8000"


def absolute(path: str) -> str:
    return f"{site_url()}{path}"


def _signer(salt: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=salt, sep=".")


def sign_registration(registration: Registration, *, salt: str = REGISTRATION_SALT) -> str:
    return _signer(salt).sign(registration.token)


def registration_from_signed(
    value: str, *, salt: str = REGISTRATION_SALT, max_age: int = LINK_MAX_AGE_SECONDS
) -> Registration:
    """The registration a signed link points to; ``LinkInvalid`` or ``LinkExpired`` otherwise."""
    try:
        token = _signer(salt).unsign(value, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    registration = (
        Registration.objects.select_related("session__event__venue", "organisation")
        .filter(token=token)
        .first()
    )
    if registration is None:
        raise LinkInvalid
    return registration


def _in_language(language: str | None, name: str, *args: object) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def registration_url(registration: Registration, *, language: str | None = None) -> str:
    language = language or registration.language
    return absolute(_in_language(language, "events:registration", sign_registration(registration)))


def survey_url(registration: Registration) -> str:
    signed = sign_registration(registration, salt=SURVEY_SALT)
    return absolute(_in_language(registration.language, "events:survey", signed))


def event_url(event: Event, *, language: str | None = None) -> str:
    return absolute(_in_language(language, "events:detail", event.pk))


def session_ics_url(session: Session, *, language: str | None = None) -> str:
    return absolute(_in_language(language, "events:session-ics", session.pk))


def check_in_path(registration: Registration) -> str:
    """Where the QR code on the confirmation page leads: the staff check-in page."""
    return _in_language(settings.LANGUAGE_CODE, "events:staff-checkin-token", registration.token)

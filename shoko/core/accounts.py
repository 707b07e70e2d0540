"""Individual sign-up (個人の利用者登録) with email verification: a person who is not a member of
any business — an entrant to a contest, a founder not yet in business — creates an account.

The sign-up form asks only for the email address, name and language; the link sent to that
address leads to the page where the person sets their password, which activates the account.
So nobody can hold an account for an address they cannot read, and nobody learns from the form
whether an address is already registered (the owner of an existing account is sent a sign-in
reminder instead).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode

from shoko.core.mail import send_templated_email
from shoko.core.models import User, UserManager


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """A link that works until the account is activated (or the timeout, 24 hours)."""

    key_salt = "shoko.core.accounts.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.password}{user.is_active}{user.email}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


@dataclass(frozen=True)
class SignUp:
    email: str
    full_name: str
    language: str
    next_url: str = ""


def _is_unverified(user: User) -> bool:
    """Created by a sign-up and never activated (not an account staff switched off)."""
    return not user.is_active and not user.has_usable_password() and user.last_login is None


def safe_next(url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None, require_https=False):
        return url
    return ""


def verification_path(user: User, next_url: str = "") -> str:
    path = reverse(
        "core:signup-verify",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token.make_token(user),
        },
    )
    return f"{path}?next={next_url}" if next_url else path


def request_sign_up(*, data: SignUp, site_url: str) -> None:
    """Create the (inactive) account and send the verification link, or — if the address
    already has an account — send the owner a sign-in reminder. Same answer either way."""
    email = UserManager.normalize_email(data.email)
    language = data.language if data.language in dict(settings.LANGUAGES) else "ja"
    next_url = safe_next(data.next_url)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, full_name=data.full_name.strip(), preferred_language=language)
            user.is_active = False
            user.set_unusable_password()
            user.save()
        if _is_unverified(user):
            send_templated_email(
                to=[user.email],
                subject_template="registration/signup_subject.txt",
                body_template="registration/signup_email.txt",
                context={
                    "user": user,
                    "link": f"{site_url}{verification_path(user, next_url)}",
                    "site_name": settings.SHOKO_SITE_NAME,
                },
                language=user.preferred_language,
            )
        else:
            send_templated_email(
                to=[user.email],
                subject_template="registration/signup_exists_subject.txt",
                body_template="registration/signup_exists_email.txt",
                context={
                    "user": user,
                    "login": f"{site_url}{reverse('core:login')}",
                    "reset": f"{site_url}{reverse('core:password-reset')}",
                    "site_name": settings.SHOKO_SITE_NAME,
                },
                language=user.preferred_language,
            )


def activate(*, user: User, password: str) -> User:
    """The link was followed and a password chosen: the account is live."""
    with transaction.atomic():
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    return user

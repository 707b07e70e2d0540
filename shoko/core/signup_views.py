"""Sign-up pages (/my/signup/): the form, the "check your email" page, and the verification
link's page where the person sets a password. The rules are in ``shoko.core.accounts``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from shoko.core import accounts
from shoko.core.models import User

#: Sign-ups per address and ten minutes: enough for a typo, too few to flood mailboxes.
SIGNUPS_PER_WINDOW = 5
WINDOW_SECONDS = 600
TOO_MANY_MESSAGE = _("短い時間に多くの登録がありました。しばらくしてからもう一度お試しください。")


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    full_name = forms.CharField(
        label=_("氏名"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    preferred_language = forms.ChoiceField(label=_("使用言語"), choices=settings.LANGUAGES)
    agree = forms.BooleanField(
        label=_("登録したメールアドレスに、手続きのお知らせが届くことに同意します。")
    )


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@never_cache
def sign_up(request: HttpRequest) -> HttpResponse:
    next_url = accounts.safe_next(request.POST.get("next") or request.GET.get("next"))
    form = SignUpForm(request.POST or None, initial={"preferred_language": get_language()})
    if request.method == "POST" and form.is_valid():
        key = f"signup:{_address(request)}"
        count = cache.get_or_set(key, 0, WINDOW_SECONDS)
        if count >= SIGNUPS_PER_WINDOW:
            form.add_error(None, TOO_MANY_MESSAGE)
        else:
            cache.incr(key)
            accounts.request_sign_up(
                data=accounts.SignUp(
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    language=form.cleaned_data["preferred_language"],
                    next_url=next_url,
                ),
                site_url=request.build_absolute_uri("/").rstrip("/"),
            )
            return redirect("core:signup-sent")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


def sign_up_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_sent.html")


def _user_from(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        return None


@never_cache
def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _user_from(uidb64)
    valid = user is not None and accounts.email_verification_token.check_token(user, token)
    if not valid or user is None:
        return render(request, "registration/signup_verify.html", {"valid": False}, status=400)
    form: SetPasswordForm[Any] = SetPasswordForm(user, request.POST or None)
    next_url = accounts.safe_next(request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        accounts.activate(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or "core:my-home")
    return render(request, "registration/signup_verify.html", {"valid": True, "form": form})

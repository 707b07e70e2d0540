"""Staff and business people sign in with their email; repeated failures are throttled."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, member_of

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD, url="/my/login/"):
    return client.post(url, {"username": email, "password": password})


def test_staff_member_signs_in_and_lands_in_the_back_office(client, make_user):
    staff = make_user("commerce_staff")
    response = login(
        client,
        staff.email,
        url="/staff/login/",
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == reverse("core:staff-home")
    assert client.get(reverse("core:staff-home")).status_code == 200


def test_business_member_lands_in_the_business_portal(client):
    owner = member_of()
    response = client.get(login(client, owner.email)["Location"])
    assert response["Location"] == reverse("core:my-home")
    page = client.get(reverse("core:my-home")).content.decode()
    assert owner.memberships.get().organisation.name in page


def test_email_is_case_insensitive_and_trimmed(client, make_user):
    user = make_user(None, email="hanako@example.jp")
    response = login(client, "  Hanako@Example.JP ")
    assert response.status_code == 302, response.content.decode()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_says_so_in_the_users_language(client, make_user):
    user = make_user(None)
    response = login(client, user.email, "wrong", url="/en/my/login/")
    assert response.status_code == 200
    assert "email address or password is incorrect" in response.content.decode()
    response = login(client, user.email, "wrong")
    assert "メールアドレスまたはパスワードが正しくありません" in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(
    client, make_user, settings
):
    user = make_user(None)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, user.email, "wrong").status_code == 200
    locked = login(client, user.email, "wrong")
    assert locked.status_code == 429
    assert "ログインが一時的に制限されています" in locked.content.decode()
    assert login(client, user.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_in_english(client, make_user, settings):
    user = make_user(None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, user.email, "wrong", url="/en/my/login/")
    assert response.status_code == 429
    assert "temporarily" in response.content.decode()


def test_inactive_account_cannot_sign_in(client, make_user):
    user = make_user(None, is_active=False)
    assert login(client, user.email).status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(client, make_user):
    user = make_user(None)
    client.force_login(user)
    assert client.get(reverse("core:logout")).status_code == 405
    assert client.post(reverse("core:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_comes_in_the_users_language_and_works(client, make_user):
    user = make_user(None, preferred_language="en")
    response = client.post(reverse("core:password-reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Password reset" in message.subject
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    form_url = client.get(link)["Location"]
    done = client.post(
        form_url,
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_password_reset_for_unknown_email_reveals_nothing(client):
    response = client.post(reverse("core:password-reset"), {"email": "nobody@example.jp"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_login_form_is_protected_by_csrf(make_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    user = make_user(None)
    response = strict.post("/my/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 403

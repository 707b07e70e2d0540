"""An individual signs up: the email link sets the password and activates the account; an
address already registered is not revealed; the link works once."""

from __future__ import annotations

import re

from django.core import mail

from shoko.core.models import User
from tests.factories import UserFactory


def _link(message) -> str:
    return re.search(r"https?://\S+/my/signup/verify/\S+", message.body).group(0)


def test_sign_up_verify_set_password_and_arrive_where_you_were_going(client, db):
    response = client.post(
        "/my/signup/",
        {
            "email": "Animator@Example.JP",
            "full_name": "練馬 アニ子",
            "preferred_language": "en",
            "agree": "on",
            "next": "/my/contests/",
        },
    )
    assert response.url == "/my/signup/sent/"
    user = User.objects.get(email="animator@example.jp")
    assert not user.is_active
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.subject == "Creating your Shoko account"
    link = _link(message)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200
    done = client.post(
        path, {"new_password1": "anime-nerima-2026!", "new_password2": "anime-nerima-2026!"}
    )
    assert done.url == "/my/contests/"
    user.refresh_from_db()
    assert user.is_active
    assert user.check_password("anime-nerima-2026!")
    assert client.get(path).status_code == 400  # the link worked once


def test_an_existing_address_gets_a_reminder_and_the_page_says_the_same(client, db):
    UserFactory(email="shop@example.jp")
    response = client.post(
        "/my/signup/",
        {
            "email": "shop@example.jp",
            "full_name": "誰か",
            "preferred_language": "ja",
            "agree": "on",
        },
    )
    assert response.url == "/my/signup/sent/"
    (message,) = mail.outbox
    assert "すでに登録されています" in message.body
    assert "/my/signup/verify/" not in message.body


def test_a_forged_link_and_an_unsafe_next_are_refused(client, db):
    client.post(
        "/my/signup/",
        {
            "email": "a@example.jp",
            "full_name": "A",
            "preferred_language": "ja",
            "agree": "on",
            "next": "https://evil.example/steal",
        },
    )
    link = _link(mail.outbox[0])
    assert "evil" not in link
    uid = link.rstrip("/").split("/")[-2]
    assert client.get(f"/my/signup/verify/{uid}/forged-token/").status_code == 400
    assert client.get("/my/signup/verify/xx/yy/").status_code == 400


def test_sign_ups_from_one_address_are_limited(client, db):
    for i in range(5):
        client.post(
            "/my/signup/",
            {
                "email": f"p{i}@example.jp",
                "full_name": "P",
                "preferred_language": "ja",
                "agree": "on",
            },
        )
    response = client.post(
        "/my/signup/",
        {"email": "p9@example.jp", "full_name": "P", "preferred_language": "ja", "agree": "on"},
    )
    assert response.status_code == 200
    assert "短い時間に多くの登録" in response.content.decode()
    assert not User.objects.filter(email="p9@example.jp").exists()

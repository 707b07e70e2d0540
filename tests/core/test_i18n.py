"""A visitor reads Shoko in their language: five languages, a switch on every page, hreflang."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LANGS = ["ja", "en", "zh-hans", "zh-hant", "ko"]


def home_url(code: str) -> str:
    return "/" if code == "ja" else f"/{code}/"


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        ("ja", "商店街と中小企業を応援します"),
        ("en", "We support"),
        ("zh-hans", "商店街"),
        ("zh-hant", "商店街"),
        ("ko", "상점가"),
    ],
)
def test_home_page_speaks_each_language(client, code, phrase):
    response = client.get(home_url(code))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}"' in html
    assert phrase in html


def test_every_page_lists_its_alternates_in_all_languages(client):
    html = client.get("/en/").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))
    assert alternates == {
        "ja": "http://testserver/",
        "en": "http://testserver/en/",
        "zh-Hans": "http://testserver/zh-hans/",
        "zh-Hant": "http://testserver/zh-hant/",
        "ko": "http://testserver/ko/",
        "x-default": "http://testserver/",
    }


def test_default_language_has_no_prefix_and_others_do(client):
    assert reverse("core:home") == "/"
    assert client.get("/ja/").status_code == 404


def test_language_switch_takes_the_visitor_to_the_same_page_and_remembers(client):
    response = client.post(reverse("set_language"), {"language": "ko", "next": "/my/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/ko/my/login/"
    assert client.cookies["shoko_language"].value == "ko"


def test_language_switch_is_on_every_face(client, make_user):
    for url in ["/", "/my/login/", "/staff/login/"]:
        html = client.get(url).content.decode()
        assert 'name="language"' in html
        assert 'action="/i18n/setlang/"' in html


def test_unknown_language_prefix_is_a_404_in_the_default_language(client):
    response = client.get("/fr/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_unknown_page_under_english_is_a_404_in_english(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Page not found" in html


def test_unknown_page_in_korean(client):
    response = client.get("/ko/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="ko"' in response.content.decode()
    assert "ページが見つかりません" not in response.content.decode()


def test_switching_from_one_foreign_language_to_another_keeps_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/ko/my/login/"})
    assert response["Location"] == "/en/my/login/"
    response = client.post(reverse("set_language"), {"language": "ja", "next": "/ko/my/login/"})
    assert response["Location"] == "/my/login/"


def test_a_language_chosen_once_is_remembered_on_unprefixed_addresses(client):
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    response = client.get("/my/login/?next=/my/")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hant/my/login/?next=/my/"
    # Pages outside the language prefix (health check, API) are never redirected.
    assert client.get("/healthz").status_code == 200


def test_choosing_japanese_again_stops_the_redirect(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "ja", "next": "/en/"})
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        ("ja", "法人番号は13桁の数字で入力してください"),
        ("en", "The corporate number must be 13 digits"),
        ("ko", "법인번호는 13자리"),
    ],
)
def test_validator_messages_name_the_rule_in_the_users_language(code, phrase):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from shoko.core.validators import validate_corporate_number

    with translation.override(code):
        with pytest.raises(ValidationError) as caught:
            validate_corporate_number("12345")
        assert phrase in caught.value.messages[0]

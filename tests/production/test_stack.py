"""The production stack as a city runs it — nginx with the shipped configuration and TLS in front
of two granian app servers, the worker, PostgreSQL and Redis — driven by people in Chromium.

Each test is a person's errand: a visitor reading the home page in two languages, staff and a
shop owner signing in, staff correcting a shop that visitors are reading (from nginx's front
cache) at that moment.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from tests.production.conftest import DEMO_PASSWORD, Stack

pytestmark = pytest.mark.production


def test_a_visitor_reads_the_home_page_in_japanese_then_english(stack, page_at, screenshot):
    for width in (375, 1280):
        page = page_at(width)
        response = page.goto(stack.url + "/")
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == "ja"
        assert "練馬区" in page.title()
        # The stylesheet is collectstatic's hashed copy, served by nginx.
        css = page.locator("link[rel=stylesheet]").first.get_attribute("href")
        assert re.fullmatch(r"/static/shoko/shoko\.[0-9a-f]{12}\.css", css), css
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
        screenshot(page, f"home-ja-{width}")

        page.select_option("#language-select", "en")  # the switch posts, checked by origin
        page.wait_for_url(stack.url + "/en/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Nerima City" in page.title()
        screenshot(page, f"home-en-{width}")
        # The choice is remembered: the unprefixed address now leads to English.
        page.goto(stack.url + "/")
        assert page.url == stack.url + "/en/"


def test_plain_http_is_sent_to_https(stack):
    status, headers, _body = stack.request("/shops/", base=stack.http_url, headers={"Host": "x"})
    assert status == 301
    assert headers["location"].startswith("https://")


def test_public_pages_come_from_the_front_cache_and_private_ones_never(stack, page_at):
    page = page_at()
    answers = [page.goto(stack.url + "/en/streets/") for _ in range(5)]
    assert {a.status for a in answers} == {200}
    # Copies live until the end of the second: most answers are nginx's (HIT), the first of
    # each second goes to the app (EXPIRED or MISS).
    assert "HIT" in [a.headers["x-front-cache"] for a in answers]
    assert all("set-cookie" not in a.headers for a in answers)
    # Signed in, the same address bypasses the front cache.
    sign_in(page, stack, "/staff/login/", "economy@demo.shoko.example")
    signed_in = page.goto(stack.url + "/en/streets/")
    assert signed_in.headers["x-front-cache"] == "BYPASS"
    assert "x-portal-cache" not in signed_in.headers


def sign_in(page: Any, stack: Stack, path: str, email: str) -> Any:
    page.goto(stack.url + path)
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked-form button[type=submit]")
    return page


def test_staff_sign_in(stack, page_at, screenshot):
    page = sign_in(page_at(), stack, "/staff/login/", "economy@demo.shoko.example")
    assert page.url.startswith(stack.url + "/staff/")
    assert 'class="face-staff"' in page.content()
    assert page.locator("form[action$='/logout/']").count() >= 1
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["sessionid"]["secure"]
    assert cookies["sessionid"]["httpOnly"]
    screenshot(page, "staff-home")


def test_a_shop_owner_signs_in_to_the_business_portal(stack, page_at, screenshot):
    page = sign_in(page_at(375), stack, "/my/login/", "shop@demo.shoko.example")
    assert page.url.startswith(stack.url + "/my/")
    assert "練馬 商店主" in page.content()
    screenshot(page, "my-home-375")


def test_a_wrong_password_is_refused_in_the_persons_language(stack, page_at):
    page = page_at()
    page.goto(stack.url + "/en/my/login/")
    page.fill("input[name=username]", "shop@demo.shoko.example")
    page.fill("input[name=password]", "not-the-password")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_load_state()
    assert "Your email address or password is incorrect" in page.content()


def published_shop(stack: Stack) -> dict[str, Any]:
    shops = stack.json("/api/v1/public/shops/?page_size=5", headers={"Accept": "application/json"})
    results = shops["results"] if isinstance(shops, dict) else shops
    return results[0]


def test_staff_correct_a_shop_and_visitors_see_it_within_a_second(stack, page_at, screenshot):
    shop = published_shop(stack)
    public = f"/en/shops/{shop['id']}/"
    visitor = page_at(375, "en-GB")
    statuses = [visitor.goto(stack.url + public).headers["x-front-cache"] for _ in range(5)]
    assert "HIT" in statuses  # visitors are reading nginx's copy

    staff = sign_in(page_at(), stack, "/staff/login/", "economy@demo.shoko.example")
    staff.goto(f"{stack.url}/staff/directory/shops/{shop['id']}/edit/")
    words = f"Fresh croquettes every morning ({time.time_ns()})"
    staff.fill("textarea[name=description_en]", words)
    with staff.expect_navigation():
        staff.click("form.stacked-form button[type=submit]")
    saved_at = time.monotonic()
    assert f"/staff/directory/shops/{shop['id']}/" in staff.url

    seen_after = None
    while time.monotonic() - saved_at < 5:
        visitor.goto(stack.url + public)
        if words in visitor.content():
            seen_after = time.monotonic() - saved_at
            break
        time.sleep(0.05)
    assert seen_after is not None, "the edit never reached the visitor"
    assert seen_after < 1.0, f"visible after {seen_after:.2f} s"
    screenshot(visitor, "shop-after-edit-375")
    # Both app servers answer with the edit (one shared cache in Redis), and so does nginx's
    # copy, refreshed by the purge rather than left to expire.
    for app in stack.apps:
        status, _h, body = stack.request(public, base=app)
        assert status == 200
        assert words in body.decode()
    _s, _headers, body = stack.request(public)
    assert words in body.decode()
    print(f"edit visible through nginx {seen_after * 1000:.0f} ms after saving")


def test_an_edit_on_one_app_server_is_seen_on_the_other_and_by_nginx(stack):
    """Through the API, straight to the first app server; read from the second and from nginx."""
    first, second = stack.apps[0], stack.apps[1]
    token = stack.json(
        "/api/v1/auth/token/",
        base=first,
        method="POST",
        headers={"Content-Type": "application/json"},
        body=json.dumps(
            {"username": "economy@demo.shoko.example", "password": DEMO_PASSWORD}
        ).encode(),
    )["token"]
    shop = published_shop(stack)
    public = f"/shops/{shop['id']}/"
    for base in (second, stack.url, stack.url):
        assert stack.request(public, base=base)[0] == 200  # cached on both sides
    words = f"駅から徒歩三分 ({time.time_ns()})"
    status, _h, body = stack.request(
        f"/api/v1/directory/shops/{shop['id']}/",
        base=first,
        method="PATCH",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        body=json.dumps({"description_ja": words}).encode(),
    )
    assert status == 200, body[:500]
    status, _headers, body = stack.request(public, base=second)
    assert status == 200
    assert words in body.decode()  # the second server's cached copy was dropped
    deadline = time.monotonic() + 1.0
    while words not in stack.request(public)[2].decode():
        assert time.monotonic() < deadline, "nginx still serves the old page after 1 s"
        time.sleep(0.05)


def test_a_registration_form_posted_through_nginx(stack, page_at):
    """A visitor's form post (the search form is a GET; the language switch, a POST): the POST
    reaches the app through nginx and its answer is never cached."""
    page = page_at(375)
    page.goto(stack.url + "/en/")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.select_option("#language-select", "ko")
    assert posted.value.status == 302
    assert posted.value.headers.get("x-front-cache") in (None, "BYPASS", "MISS")
    page.wait_for_url(stack.url + "/ko/")
    # A switch forged by another site is refused.
    status, _h, _b = stack.request(
        "/i18n/setlang/",
        method="POST",
        headers={
            "Origin": "https://evil.example",
            "Sec-Fetch-Site": "cross-site",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=b"language=en&next=/",
    )
    assert status == 403


def test_uploads_that_are_not_public_are_not_served_by_nginx(stack):
    for path in ("/media/programmes/", "/media/directory/imports/x.xlsx", "/_protected/media/x"):
        assert stack.request(path)[0] == 404, path
    assert stack.request("/metrics")[0] == 404


def test_static_files_are_compressed_and_kept(stack):
    page = stack.request("/")[2].decode()
    css = re.search(r'href="(/static/shoko/shoko\.[0-9a-f]{12}\.css)"', page).group(1)
    status, headers, body = stack.request(css, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "immutable" in headers["cache-control"]
    assert body[:2] == b"\x1f\x8b"

"""A visitor and a staff member use Shoko in a real browser."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_in_japanese_on_a_phone(page_at, live_server, screenshot):
    page = page_at(375, 812)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert "商店街と中小企業を応援します" in page.locator("h1").inner_text()
    # The page fits the phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert screenshot(page, "home-ja-375").stat().st_size > 10_000


def test_home_page_in_english_on_a_desktop(page_at, live_server, screenshot):
    page = page_at(1280)
    page.goto(live_server.url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "We support" in page.locator("h1").inner_text()
    screenshot(page, "home-en-1280")


def test_language_switch_takes_the_visitor_to_korean_and_back(page_at, live_server):
    page = page_at(375, 812)
    page.goto(live_server.url + "/")
    page.select_option("#language-select", "ko")
    page.wait_for_url(live_server.url + "/ko/")
    assert page.locator("html").get_attribute("lang") == "ko"
    page.select_option("#language-select", "ja")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ja"


def test_keyboard_user_can_skip_to_content(page_at, live_server):
    page = page_at(1280)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()


def test_staff_member_signs_in_on_a_desktop_and_a_phone(
    page_at, live_server, make_user, screenshot
):
    staff = make_user("economy_staff", full_name="経済 花子")
    for width in (1280, 375):
        page = page_at(width, 900)
        page.goto(live_server.url + "/staff/login/")
        page.fill("#id_username", staff.email)
        page.fill("#id_password", PASSWORD)
        page.click("form.stacked-form button[type=submit]")
        page.wait_for_url(live_server.url + "/staff/")
        assert "職員トップ" in page.locator("h1").inner_text()
        assert "経済課職員" in page.content()
        screenshot(page, f"staff-home-{width}")


def test_wrong_password_shows_an_error_in_english(page_at, live_server, make_user):
    user = make_user(None)
    page = page_at(375, 812)
    page.goto(live_server.url + "/en/my/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", "wrong-password")
    page.click("form.stacked-form button[type=submit]")
    assert "incorrect" in page.locator(".form-errors").inner_text()

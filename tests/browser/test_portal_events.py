"""On the portal, a visitor on a phone finds this week's seminar from the home page, opens it and
registers, in English and in Korean; axe-core finds no serious problem on event pages."""

from __future__ import annotations

import pytest

from shoko.events.models import Kind, Programme, Registration
from tests.browser.test_portal import axe_violations
from tests.events.factories import EventFactory, SessionFactory, in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seminar(settings, live_server):
    settings.SHOKO_SITE_URL = live_server.url
    event = EventFactory(
        title_ja="はじめての創業セミナー",
        title_en="Starting a business: first steps",
        title_ko="처음 하는 창업 세미나",
        title_kana="ハジメテノソウギョウセミナー",
        description_ja="事業計画の立て方を学びます。",
        description_en="Learn how to write a business plan.",
        kind=Kind.SEMINAR,
        programme=Programme.STARTUP,
    )
    return SessionFactory(event=event, capacity=20, starts_at=in_days(3))


@pytest.mark.parametrize(
    ("language", "title", "button", "done_badge"),
    [
        ("en", "Starting a business: first steps", "Register", ".badge-confirmed"),
        ("ko", "처음 하는 창업 세미나", "신청", ".badge-confirmed"),
    ],
)
def test_visitor_finds_this_weeks_seminar_on_the_home_page_and_registers(
    page_at, live_server, seminar, screenshot, language, title, button, done_badge
):
    page = page_at(375, 812)
    page.goto(f"{live_server.url}/{language}/")
    block = page.locator("#home-this-week-heading").locator("xpath=..")
    block.locator(f"text={title}").click()
    page.wait_for_url(f"**/{language}/events/{seminar.event_id}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    page.locator("a.button").filter(has_text=button).first.click()
    page.fill("#id_full_name", "Kim Minji" if language == "ko" else "Alex Smith")
    page.fill("#id_email", f"visitor-{language}@example.com")
    page.fill("#id_phone", "090-1234-5678")
    page.check("#id_consent")
    assert axe_violations(page) == []
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_selector(done_badge)
    screenshot(page, f"portal-event-registered-{language}-375")
    registration = Registration.objects.get(email=f"visitor-{language}@example.com")
    assert registration.status == "confirmed"
    assert registration.language == language

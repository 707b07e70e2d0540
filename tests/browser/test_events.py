"""In a real browser: a person on a phone finds a startup seminar, registers, is waitlisted when
it is full, is offered a freed seat by email and claims it; staff check people in on a tablet."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from shoko.events import services
from shoko.events.models import Kind, Programme, Registration
from tests.events.factories import (
    EventFactory,
    SessionFactory,
    person,
    registered,
    running_session,
    sign_up,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def emailed_link(to: str, live_server) -> str:
    message = [m for m in mail.outbox if m.to == [to]][-1]
    url = re.search(r"https?://\S+/events/r/\S+/", message.body).group(0)
    return live_server.url + "/" + url.split("/", 3)[3]


def fill_registration(page, *, name: str, kana: str, email: str) -> None:
    page.fill("#id_full_name", name)
    page.fill("#id_full_name_kana", kana)
    page.fill("#id_email", email)
    page.fill("#id_phone", "０９０－１２３４－５６７８")
    page.check("#id_consent")


@pytest.fixture
def startup_seminar(settings, live_server):
    settings.SHOKO_SITE_URL = live_server.url
    EventFactory(title="商店街の夏祭り", kind=Kind.STREET_EVENT, programme=Programme.STREET_EVENT)
    event = EventFactory(
        title="創業セミナー 第1回 経営",
        kind=Kind.SEMINAR,
        programme=Programme.STARTUP,
        description="事業計画の立て方を学びます。",
    )
    return SessionFactory(event=event, capacity=1, areas=["management"])


def test_a_person_on_a_phone_registers_is_waitlisted_and_claims_a_freed_seat(
    page_at, live_server, startup_seminar, screenshot
):
    page = page_at(375, 812)
    page.goto(live_server.url + "/events/")
    fits(page, 375)
    page.click("details.filter-box summary")
    page.select_option("#id_kind", "seminar")
    page.click("form.filters button[type=submit]")
    page.click("text=創業セミナー 第1回 経営")
    fits(page, 375)
    screenshot(page, "events-detail-375")
    page.click("a.button:has-text('申し込む')")
    fill_registration(page, name="練馬 花子", kana="ねりま はなこ", email="hanako@example.jp")
    fits(page, 375)
    screenshot(page, "events-register-375")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_selector(".badge-confirmed")
    assert page.locator("figure.qr svg").count() == 1
    fits(page, 375)
    screenshot(page, "events-confirmed-375")

    # The seminar is now full: the next person joins the waitlist.
    second = page_at(375, 812)
    second.goto(live_server.url + f"/events/sessions/{startup_seminar.pk}/register/")
    assert "キャンセル待ち" in second.locator("form.stacked-form button").inner_text()
    fill_registration(second, name="石神井 次郎", kana="シャクジイ ジロウ", email="jiro@example.jp")
    second.click("form.stacked-form button[type=submit]")
    second.wait_for_selector(".badge-waitlisted")
    assert "キャンセル待ちの1番目です。" in second.content()
    screenshot(second, "events-waitlisted-375")

    # Hanako cancels with the link from her email; Jiro is offered the seat by email.
    page.goto(emailed_link("hanako@example.jp", live_server))
    page.click("button:has-text('申込を取り消す')")
    page.wait_for_selector(".badge-cancelled")
    offer = [m for m in mail.outbox if m.to == ["jiro@example.jp"]][-1]
    assert offer.subject.startswith("【お席が空きました】")
    second.goto(emailed_link("jiro@example.jp", live_server))
    second.wait_for_selector(".badge-offered")
    screenshot(second, "events-offered-375")
    second.click("button:has-text('申込を確定する')")
    second.wait_for_selector(".badge-confirmed")
    assert "お申込が確定しました。" in second.content()
    screenshot(second, "events-claimed-375")
    assert Registration.objects.get(email="jiro@example.jp").status == "confirmed"


def test_a_visitor_reads_the_list_and_calendar_in_english(page_at, live_server, startup_seminar):
    page = page_at(375, 812)
    page.goto(live_server.url + "/en/events/")
    assert page.locator("h1").inner_text() == "Events and seminars"
    fits(page, 375)
    page.goto(live_server.url + "/en/events/calendar/")
    fits(page, 375)
    # On a phone the month grid gives way to a list.
    assert page.locator(".calendar-list").is_visible()
    assert not page.locator("table.month-grid").is_visible()


def test_staff_check_people_in_on_a_tablet_and_print_the_list(
    page_at, live_server, make_user, screenshot
):
    staff = make_user("economy_staff")
    session = running_session(event__title="事業承継セミナー", capacity=10)
    first = registered(session, 1, full_name="承継 一郎", full_name_kana="ショウケイ イチロウ")
    registered(session, 2, full_name="承継 二郎", full_name_kana="ショウケイ ジロウ")
    page = page_at(820, 1180)
    page.goto(live_server.url + "/staff/login/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/")
    page.goto(live_server.url + f"/staff/events/sessions/{session.pk}/checkin/")
    row = page.locator(f"#reg-{first.pk}")
    row.locator("button:has-text('受付')").click()
    page.wait_for_selector(f"#reg-{first.pk}.is-attended")
    assert "出席 1 / 申込 2 人" in page.locator("#checkin-count").inner_text()
    screenshot(page, "events-checkin-tablet")
    first.refresh_from_db()
    assert first.attendance == Registration.Attendance.ATTENDED
    assert first.checked_in_by == staff
    page.emulate_media(media="print")
    assert not page.locator(".actions").is_visible()
    assert page.locator("table.checkin-table").is_visible()
    screenshot(page, "events-checkin-print")


def test_staff_check_in_by_scanning_the_qr_code(page_at, live_server, make_user, settings):
    settings.SHOKO_SITE_URL = live_server.url
    staff = make_user("commerce_staff")
    session = running_session()
    registration = registered(session, full_name="まちゼミ 参加者")
    visitor = page_at(375, 812)
    from shoko.events import links

    visitor.goto(live_server.url + f"/events/r/{links.sign_registration(registration)}/")
    qr_target = live_server.url + f"/staff/events/checkin/{registration.token}/"
    assert registration.token in visitor.content()
    tablet = page_at(820, 1180)
    tablet.goto(live_server.url + "/staff/login/")
    tablet.fill("#id_username", staff.email)
    tablet.fill("#id_password", PASSWORD)
    tablet.click("form.stacked-form button[type=submit]")
    tablet.wait_for_url(live_server.url + "/staff/")
    # What the tablet's camera app opens when it reads the code:
    tablet.goto(qr_target)
    tablet.click("button:has-text('受付する')")
    tablet.wait_for_selector(".badge-attended")
    assert "まちゼミ 参加者さんを受付しました。" in tablet.content()


def test_a_full_session_in_korean_explains_the_waitlist(page_at, live_server, settings):
    settings.SHOKO_SITE_URL = live_server.url
    session = SessionFactory(capacity=1)
    sign_up(session, person(1))
    page = page_at(375, 812)
    page.goto(live_server.url + f"/ko/events/sessions/{session.pk}/register/")
    assert "정원이 차서 대기자로 신청됩니다." in page.content()
    fits(page, 375)
    assert services.seats_held(session.pk) == 1

"""Staff and residents read the plan in a real browser, on a phone and a desktop."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.plan.factories import load_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/staff/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/")


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_official_reads_the_dashboard_and_records_an_actual_on_a_phone(
    page_at, live_server, make_user, screenshot
):
    load_seed()
    official = make_user("commerce_staff", full_name="商工 次郎")
    page = page_at(375, 812)
    sign_in(page, live_server, official)
    page.click("nav.main-nav >> text=計画の進捗")
    page.wait_for_url(live_server.url + "/staff/plan/")
    assert "練馬区アクションプラン" in page.locator("h1").inner_text()
    table = page.locator("table.plan-table", has_text="No. 13-4")
    assert "5地域 (継続4地域、新規1地域)" in table.inner_text()
    assert page.locator("table.plan-table").count() == 5
    assert fits(page, 375)
    screenshot(page, "plan-dashboard-ja-375")

    # Drill down from 13-4's FY2019 actual and record it by hand, typing full-width digits.
    table.locator("td.year .actual a[href$='/2019/']").click()
    page.fill("#id_value", "３")
    page.fill("#id_continuing", "３")
    page.fill("#id_new", "０")
    page.fill("#id_note", "令和元年度 事業報告書 p.12")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_selector(".message")
    assert "実績を記録しました" in page.locator(".messages").inner_text()
    assert page.locator("dl.facts .badge-met").count() == 1
    assert "令和元年度 (FY2019)" in page.locator("h1").inner_text()
    assert fits(page, 375)
    screenshot(page, "plan-actual-ja-375")


def test_the_dashboard_on_a_desktop(page_at, live_server, make_user, screenshot):
    load_seed()
    page = page_at(1280, 900)
    sign_in(page, live_server, make_user("economy_staff"))
    page.goto(live_server.url + "/staff/plan/")
    assert page.locator("svg.plan-chart").count() >= 1
    screenshot(page, "plan-dashboard-ja-1280")


@pytest.mark.parametrize(
    ("prefix", "heading", "lang"),
    [("", "計画の進捗", "ja"), ("/en", "Plan progress", "en"), ("/ko", "계획 진척 상황", "ko")],
)
def test_a_resident_reads_the_public_page_on_a_phone(
    page_at, live_server, screenshot, prefix, heading, lang
):
    load_seed()
    page = page_at(375, 812)
    page.goto(live_server.url + (prefix or "") + "/")
    page.click(f"nav.main-nav >> text={heading}")
    page.wait_for_url(live_server.url + f"{prefix}/plan/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("table.plan-table").count() == 5
    assert fits(page, 375)
    # The chart's table alternative opens for people who cannot see the chart.
    page.locator("details.chart-card summary, figure.chart-card details summary").first.click()
    assert page.locator("figure.chart-card details[open] table").count() == 1
    screenshot(page, f"plan-public-{lang}-375")

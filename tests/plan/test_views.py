"""The staff dashboard, its screens and exports, the public page and open data."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from shoko.core.japan import FiscalYear
from shoko.plan import services
from shoko.plan.indicators import Evidence, Indicator, Measurement, temporarily_registered
from shoko.plan.models import ActionPlan, Column, ManualActual, Target, TargetRow
from tests.factories import OrganisationFactory, member_of
from tests.plan.factories import load_seed, load_text, small_plan_yaml
from tests.plan.test_planfile import source_tables

pytestmark = pytest.mark.django_db

OFFICIALS = ["admin", "economy_staff", "commerce_staff"]
READ_ONLY = ["consultant"]
REFUSED = ["judge", "business_member"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def plan():
    return load_seed()


@pytest.fixture
def row_13_4(plan):
    return TargetRow.objects.get(item__measure__strategy__plan=plan, item__measure__number="13-4")


def signed_in(client, make_user, role):
    if role is not None:
        client.force_login(make_user(role))
    return client


def staff_urls(plan, row) -> dict[str, str]:
    target = Target.objects.filter(row=row, column=Column.TARGET).first()
    return {
        "dashboard": reverse("plan:dashboard"),
        "dashboard-plan": reverse("plan:dashboard-plan", args=[plan.slug]),
        "actual": reverse("plan:actual", args=[row.pk, 2019]),
        "compare": reverse("plan:compare"),
        "indicators": reverse("plan:indicators"),
        "xlsx": reverse("plan:export-xlsx", args=[plan.slug]),
        "csv": reverse("plan:export-csv", args=[plan.slug]),
        "pdf": reverse("plan:export-pdf", args=[plan.slug, 2019]),
        "target-edit": reverse("plan:target-edit", args=[target.pk]),
        "next-period": reverse("plan:next-period", args=[plan.slug]),
    }


READ_PAGES = [
    "dashboard",
    "dashboard-plan",
    "actual",
    "compare",
    "indicators",
    "xlsx",
    "csv",
    "pdf",
]
EDIT_PAGES = ["target-edit", "next-period"]


# --- Who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", OFFICIALS + READ_ONLY)
@pytest.mark.parametrize("page", READ_PAGES)
def test_officials_and_consultants_read_the_dashboard(
    client, make_user, plan, row_13_4, role, page
):
    response = signed_in(client, make_user, role).get(staff_urls(plan, row_13_4)[page])
    assert response.status_code == 200


@pytest.mark.parametrize("role", REFUSED)
@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_judges_and_businesses_are_refused(client, make_user, plan, row_13_4, role, page):
    response = signed_in(client, make_user, role).get(staff_urls(plan, row_13_4)[page])
    assert response.status_code == 403


@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, plan, row_13_4, page):
    response = client.get(staff_urls(plan, row_13_4)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize("role", OFFICIALS)
@pytest.mark.parametrize("page", EDIT_PAGES)
def test_officials_edit(client, make_user, plan, row_13_4, role, page):
    assert (
        signed_in(client, make_user, role).get(staff_urls(plan, row_13_4)[page]).status_code == 200
    )


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_consultants_cannot_edit(client, make_user, plan, row_13_4, page):
    assert (
        signed_in(client, make_user, "consultant").get(staff_urls(plan, row_13_4)[page]).status_code
        == 403
    )


def test_consultants_cannot_post_a_manual_actual(client, make_user, row_13_4):
    client.force_login(make_user("consultant"))
    url = reverse("plan:actual", args=[row_13_4.pk, 2019])
    response = client.post(url, {"fiscal_year": 2019, "value": "3", "note": "x"})
    assert response.status_code == 403
    assert ManualActual.objects.count() == 0
    page = client.get(url).content.decode()
    assert "実績を手入力" not in page


def test_unknown_rows_years_and_plans_are_404(client, official, plan, row_13_4):
    client.force_login(official)
    assert client.get(reverse("plan:actual", args=[row_13_4.pk, 2030])).status_code == 404
    assert client.get(reverse("plan:actual", args=[999999, 2019])).status_code == 404
    assert client.get(reverse("plan:dashboard-plan", args=["no-such-plan"])).status_code == 404
    assert client.get(reverse("plan:export-pdf", args=[plan.slug, 2025])).status_code == 404


# --- The dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_every_measure_and_every_target_row(client, official, plan):
    client.force_login(official)
    page = client.get(reverse("plan:dashboard")).content.decode()
    for heading in [
        "31年度目標",
        "26年度末の現況",
        "29年度末の現況",
        "年度別の取組計画",
        "30年度",
        "31年度",
        "計",
    ]:
        assert heading in page
    for number, rows in source_tables().items():
        assert f"No. {number}" in page
        for cells in rows:
            for cell in cells:
                assert cell in page, (number, cell)
    assert "ビジョン策定時点" in page
    assert "平成31年度 (FY2019)" in page  # the plan's own wording, with the western year
    assert "令和元年度 (FY2019) 取組状況報告（PDF）" in page


def test_13_4_shows_its_targets_for_fy2018_and_fy2019(client, official, plan):
    client.force_login(official)
    page = client.get(reverse("plan:dashboard")).content.decode()
    start = page.index("No. 13-4")
    table = page[start : page.index("</table>", start)]
    assert table.index("5地域 (継続4地域、新規1地域)") < table.rindex("3地域 (継続)")
    assert table.count("3地域 (継続)") == 3  # the 31年度目標 cell, FY2019 and the total


def test_a_manual_actual_shows_status_and_the_computed_value_beside_it(
    client, official, plan, row_13_4
):
    services.record_manual_actual(
        row=row_13_4,
        fiscal_year=FiscalYear(2018),
        value=5,
        breakdown={"continuing": 4, "new": 1},
        note="事業報告より",
        user=official,
    )
    evidence = [Evidence("石神井公園地域", url="/x/1/")]
    indicator = Indicator(
        "tests.areas",
        "支援地域数",
        "地域",
        "13-4",
        lambda fy: Measurement(value=4 if fy.year == 2018 else 0, evidence=evidence),
    )
    TargetRow.objects.filter(pk=row_13_4.pk).update(indicator_codes=["tests.areas"])
    client.force_login(official)
    with temporarily_registered(indicator):
        page = client.get(reverse("plan:dashboard")).content.decode()
        detail = client.get(reverse("plan:actual", args=[row_13_4.pk, 2018])).content.decode()
    table = page[page.index("No. 13-4") : page.index("No. 13-5")]
    assert "5地域" in table
    assert "継続4、新規1" in table
    assert "badge-met" in table
    assert "集計値" in table
    assert "4地域" in table
    assert "手入力と差異あり" in table
    assert "石神井公園地域" in detail
    assert 'href="/x/1/"' in detail
    assert "事業報告より" in detail


def test_the_dashboard_draws_a_chart_with_a_text_alternative(client, official, plan, row_13_4):
    client.force_login(official)
    page = client.get(reverse("plan:dashboard")).content.decode()
    assert f'id="chart-{row_13_4.pk}-t"' in page
    assert 'role="img"' in page
    assert "表で見る" in page


def test_the_dashboard_needs_a_fixed_number_of_queries_whatever_the_plan_size(
    client, official, django_assert_max_num_queries
):
    client.force_login(official)
    small = load_text(small_plan_yaml(slug="small", rows=1, items=1))
    large = load_text(small_plan_yaml(slug="large", rows=4, items=5))
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("plan:dashboard-plan", args=[plan.slug])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(20):
        client.get(reverse("plan:dashboard-plan", args=["large"]))


# --- Manual actuals through the page -------------------------------------------------------------


def test_an_official_records_an_actual_typed_in_full_width_digits(client, official, row_13_4):
    client.force_login(official)
    url = reverse("plan:actual", args=[row_13_4.pk, 2019])
    response = client.post(
        url,
        {
            "fiscal_year": "2019",
            "value": "３",
            "continuing": "３",
            "new": "０",
            "note": "令和元年度 事業報告",
        },
    )
    assert response.status_code == 302
    actual = ManualActual.objects.get()
    assert (actual.value, actual.breakdown, actual.entered_by) == (
        3,
        {"continuing": 3, "new": 0},
        official,
    )
    # A double submit corrects the same record instead of adding a second one.
    client.post(url, {"fiscal_year": "2019", "value": "3", "note": "令和元年度 事業報告"})
    assert ManualActual.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "-1", "note": "x"}, services.NEGATIVE_VALUE),
        ({"value": "3", "note": ""}, services.NOTE_REQUIRED),
        ({"value": "三", "note": "x"}, "整数で入力してください"),
    ],
    ids=["negative", "no-note", "not-a-number"],
)
def test_bad_manual_actuals_are_refused_with_a_message(client, official, row_13_4, data, message):
    client.force_login(official)
    response = client.post(
        reverse("plan:actual", args=[row_13_4.pk, 2019]), {"fiscal_year": "2019", **data}
    )
    assert response.status_code == 400
    assert str(message) in response.content.decode()
    assert ManualActual.objects.count() == 0


def test_evidence_is_uploaded_and_downloaded_by_staff_only(
    client, official, make_user, row_13_4, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(official)
    client.post(
        reverse("plan:actual", args=[row_13_4.pk, 2019]),
        {
            "fiscal_year": "2019",
            "value": "3",
            "note": "報告書",
            "evidence": SimpleUploadedFile("報告.pdf", PDF),
        },
    )
    actual = ManualActual.objects.get()
    url = reverse("plan:evidence", args=[actual.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(make_user("judge"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_a_target_is_edited_and_its_history_shown(client, official, row_13_4):
    client.force_login(official)
    target = Target.objects.get(row=row_13_4, column=Column.TARGET, fiscal_year=2019)
    url = reverse("plan:target-edit", args=[target.pk])
    data = {
        "text_ja": "４地域 (継続)",
        "text_en": "4 areas (continuing)",
        "kind": "count",
        "number": "４",
        "continuing": "4",
        "new": "0",
    }
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.number, target.text_ja) == (4, "４地域 (継続)")
    history = client.get(url).content.decode()
    assert "3地域 (継続)" in history
    assert "４地域 (継続)" in history
    bad = client.post(url, data | {"number": "5"})
    assert bad.status_code == 400
    assert "一致しません" in bad.content.decode()


def test_an_official_starts_the_next_period_and_compares_it(client, official, plan):
    client.force_login(official)
    response = client.post(
        reverse("plan:next-period", args=[plan.slug]),
        {
            "slug": "nerima-2026",
            "first_fy": "２０２６",
            "last_fy": "2027",
            "title_ja": "次期計画",
            "title_en": "Next",
        },
    )
    assert response.status_code == 302
    later = ActionPlan.objects.get(slug="nerima-2026")
    page = client.get(
        reverse("plan:compare") + f"?earlier={plan.slug}&later={later.slug}"
    ).content.decode()
    assert "令和8年度 (FY2026)" in page
    assert "平成30年度 (FY2018)" in page
    assert page.count("3地域 (継続)") >= 3
    again = client.post(
        reverse("plan:next-period", args=[plan.slug]),
        {"slug": "nerima-2026", "first_fy": "2026", "last_fy": "2027", "title_ja": "次期計画"},
    )
    assert again.status_code == 400
    assert str(services.SLUG_TAKEN) in again.content.decode()


def test_the_current_plan_is_the_one_in_force(client, official, plan):
    current = FiscalYear.current()
    services.start_next_period(
        source=plan,
        slug="now",
        first_fy=current.year,
        last_fy=current.year + 1,
        title={"ja": "今期計画"},
        user=official,
    )
    client.force_login(official)
    assert "今期計画" in client.get(reverse("plan:dashboard")).content.decode()
    assert "今期計画" in client.get(reverse("plan:public")).content.decode()


# --- Exports -------------------------------------------------------------------------------------


def test_the_xlsx_is_laid_out_like_the_plan(client, official, plan):
    client.force_login(official)
    response = client.get(reverse("plan:export-xlsx", args=[plan.slug]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概要", "13-1", "13-2", "13-3", "13-4", "13-5"]
    sheet = book["13-1"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:F3", "A5:A6"} <= merged
    assert sheet["A3"].value == "31年度目標"
    assert sheet["B3"].value == "26年度末の現況\n(ビジョン策定時点)"
    assert (sheet["D4"].value, sheet["E4"].value, sheet["F4"].value) == ("30年度", "31年度", "計")
    assert sheet["A5"].value == "(1) 創業セミナー・創業支援融資の実施"
    assert sheet["B6"].value == "創業支援融資の実施"
    assert any(c.value == "事業実施課： 産業経済部 経済課" for c in sheet["A"])
    assert book["13-2"]["A5"].value == "☆ (1) 企業間交流の活性化、販路拡大支援の実施"
    assert book["13-5"]["A1"].value == "13-5 商店街の魅力発信支援事業 ☆"
    areas = book["13-4"]
    assert (areas["D5"].value, areas["E5"].value, areas["F5"].value) == (
        "5地域 (継続4地域、新規1地域)",
        "3地域 (継続)",
        "3地域 (継続)",
    )
    assert areas["H5"].value == "未達成"
    summary = book["概要"]
    assert summary["A1"].value == "練馬区アクションプラン 平成30年度 - 平成31年度"


def test_the_csv_is_utf8_with_bom_one_line_per_cell(client, official, plan):
    client.force_login(official)
    response = client.get(reverse("plan:export-csv", args=[plan.slug]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 14 * 5
    fy2018 = next(r for r in rows if r["取組番号"] == "13-4" and r["年度"] == "2018")
    assert fy2018["記載"] == "5地域 (継続4地域、新規1地域)"
    assert fy2018["年度表記"] == "平成30年度 (FY2018)"
    assert fy2018["内訳"] == "継続4、新規1"


def test_the_pdf_report_embeds_a_japanese_font_and_reads_back(client, official, plan):
    client.force_login(official)
    response = client.get(reverse("plan:export-pdf", args=[plan.slug, 2019]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "令和元年度 取組状況報告" in text
    assert "特色ある取組を行う商店街への支援" in text
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert any(
        "/FontFile2" in f["/FontDescriptor"].get_object() for f in fonts if "/FontDescriptor" in f
    )
    assert "%E4%BB%A4%E5%92%8C" in response["Content-Disposition"]


def test_pdftotext_reads_the_report(client, official, plan, tmp_path):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils' pdftotext is needed"
    client.force_login(official)
    path = tmp_path / "report.pdf"
    path.write_bytes(client.get(reverse("plan:export-pdf", args=[plan.slug, 2019])).content)
    text = subprocess.run(  # noqa: S603
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "令和元年度 取組状況報告" in text
    assert "3地域 (継続)" in text


# --- The public page and open data ---------------------------------------------------------------

LANGUAGE_CHECKS = {
    "": ("計画の進捗", "特色ある取組を行う商店街への支援", "3地域 (継続)"),
    "/en": (
        "Plan progress",
        "Support for shopping streets with distinctive initiatives",
        "3 areas (continuing)",
    ),
    "/zh-hans": ("计划进展", "支持开展特色活动的商店街", "3个地区（继续）"),
    "/zh-hant": ("計畫進度", "支援推動特色活動的商店街", "3個地區（繼續）"),
    "/ko": ("계획 진척 상황", "특색 있는 활동을 하는 상점가 지원", "3개 지역 (계속)"),
}


@pytest.mark.parametrize("prefix", list(LANGUAGE_CHECKS), ids=lambda p: p or "/ja")
def test_the_public_page_speaks_every_portal_language(client, plan, prefix):
    response = client.get(f"{prefix}/plan/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in LANGUAGE_CHECKS[prefix]:
        assert text in page, (prefix, text)
    assert page.count('class="table plan-table"') == 5
    assert "/plan/nerima-2018/data.csv" in page


def test_the_public_page_is_linked_from_the_public_navigation(client, plan):
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("plan:public")}"' in page


def test_the_public_page_shows_no_staff_links_or_notes(client, plan, row_13_4, official):
    services.record_manual_actual(
        row=row_13_4,
        fiscal_year=FiscalYear(2019),
        value=3,
        note="内部メモ: 担当者確認済み",
        user=official,
    )
    page = client.get(reverse("plan:public")).content.decode()
    assert "内部メモ" not in page
    assert "/staff/plan/rows/" not in page
    assert "badge-met" in page


def test_the_public_page_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    small = load_text(small_plan_yaml(slug="small", rows=1))
    large = load_text(small_plan_yaml(slug="large", rows=4, items=5))
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("plan:public-plan", args=[plan.slug]))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(12):
        client.get(reverse("plan:public-plan", args=["large"]))


def test_the_public_page_without_any_plan_is_404(client):
    assert client.get(reverse("plan:public")).status_code == 404


def test_open_data_csv_and_json_are_public_under_stable_urls(client, plan):
    assert reverse("plan:open-data-csv", args=[plan.slug]) == "/plan/nerima-2018/data.csv"
    assert reverse("plan:open-data-json", args=[plan.slug]) == "/plan/nerima-2018/data.json"
    response = client.get("/plan/nerima-2018/data.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 1 + 70
    data = json.loads(client.get("/plan/nerima-2018/data.json").content)
    assert data["city_code"] == "131202"
    assert data["fiscal_years"] == [2018, 2019]
    record = next(r for r in data["records"] if r["measure"] == "13-4" and r["fiscal_year"] == 2018)
    assert record["text"] == "5地域 (継続4地域、新規1地域)"
    assert (record["number"], record["breakdown"], record["kind"]) == (
        5,
        {"continuing": 4, "new": 1},
        "count",
    )


def test_another_organisations_member_sees_nothing_of_the_staff_plan(client, plan):
    client.force_login(member_of(OrganisationFactory()))
    assert client.get(reverse("plan:dashboard")).status_code == 403
    assert client.get(reverse("plan:public")).status_code == 200


def test_a_later_plan_names_the_era_of_an_earlier_baseline(client, official, plan):
    services.start_next_period(
        source=plan,
        slug="nerima-2026",
        first_fy=2026,
        last_fy=2027,
        title={"ja": "次期"},
        user=official,
    )
    client.force_login(official)
    page = client.get(reverse("plan:dashboard-plan", args=["nerima-2026"])).content.decode()
    assert "9年度目標" in page
    assert "平成26年度末の現況" in page
    assert "7年度末の現況" in page


def test_the_manual_actual_form_works_through_htmx(client, official, row_13_4):
    client.force_login(official)
    url = reverse("plan:actual", args=[row_13_4.pk, 2019])
    refused = client.post(
        url, {"fiscal_year": "2019", "value": "3", "note": ""}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 200  # htmx swaps the form back in, errors shown
    assert str(services.NOTE_REQUIRED) in refused.content.decode()
    accepted = client.post(
        url, {"fiscal_year": "2019", "value": "3", "note": "報告"}, HTTP_HX_REQUEST="true"
    )
    assert accepted["HX-Redirect"] == url
    assert ManualActual.objects.get().value == 3

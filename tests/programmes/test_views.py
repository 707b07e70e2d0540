"""The screens: who may open what (every role, anonymous, another business), the flows through
forms (full-width amounts, a PDF that is an executable, double submission), exports and budget
pages, and query counts that do not grow with rows."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from shoko.core.models import Membership
from shoko.programmes import services
from shoko.programmes.models import Application, ApplicationDocument, Status
from tests.programmes.conftest import advance, applications_under_review, member
from tests.programmes.factories import EXE_BYTES, ProgrammeFactory, pdf_upload, upload

pytestmark = pytest.mark.django_db

ROLES = ["admin", "economy_staff", "commerce_staff", "consultant", "judge", "business_member", None]


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Who may open what ----------------------------------------------------------------------------


STAFF_PAGES = [
    "staff-programmes",
    "staff-programme",
    "staff-budget",
    "staff-programme-edit",
    "staff-proxy",
    "staff-export",
]


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages_are_for_officials(client, make_user, programme, role):
    client.force_login(make_user(role))
    official = role in ("admin", "economy_staff", "commerce_staff")
    for name in STAFF_PAGES:
        args = [] if name in ("staff-programmes", "staff-export") else [programme.code]
        response = client.get(reverse(f"programmes:{name}", args=args))
        assert response.status_code == (200 if official else 403), (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_is_for_officials_and_judges(client, make_user, role):
    client.force_login(make_user(role))
    response = client.get(reverse("programmes:staff-queue"))
    allowed = role in ("admin", "economy_staff", "commerce_staff", "judge")
    assert response.status_code == (200 if allowed else 403)


def test_anonymous_visitors_are_sent_to_sign_in(client, draft, programme):
    for url in [
        reverse("programmes:my-programmes"),
        reverse("programmes:my-application", args=[draft.pk]),
        reverse("programmes:my-application-edit", args=[draft.pk]),
        reverse("programmes:staff-queue"),
        reverse("programmes:staff-application", args=[draft.pk]),
        reverse("programmes:document", args=[draft.documents.first().pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]


def test_another_business_sees_404_for_every_page_of_an_application(
    client, draft, other_business_member
):
    client.force_login(other_business_member)
    for name in [
        "my-application",
        "my-application-edit",
        "my-application-documents",
        "my-application-preview",
        "my-application-report",
    ]:
        assert client.get(reverse(f"programmes:{name}", args=[draft.pk])).status_code == 404, name
    response = client.post(
        reverse("programmes:my-application-transition", args=[draft.pk, "submit"])
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_read_only_member_may_look_but_not_change(client, draft, business):
    viewer = member(business, Membership.Role.VIEWER)
    client.force_login(viewer)
    assert client.get(reverse("programmes:my-application", args=[draft.pk])).status_code == 200
    assert client.get(reverse("programmes:my-application-edit", args=[draft.pk])).status_code == 403
    response = client.post(
        reverse("programmes:my-application-transition", args=[draft.pk, "submit"])
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize("role", ["economy_staff", "consultant", "judge", "business_member"])
def test_a_decision_by_the_wrong_role_is_refused_on_screen(
    client, draft, owner, commerce, make_user, role
):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    client.force_login(make_user(role))
    response = client.post(
        reverse("programmes:staff-application-transition", args=[application.pk, "approve"])
    )
    assert response.status_code in (403, 404)
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW


# --- The applicant's flow through the screens -----------------------------------------------------


def test_a_shop_owner_applies_through_the_screens(client, owner, business, programme, shop):
    client.force_login(owner)
    page = client.get(reverse("programmes:my-programme", args=[programme.code]))
    assert "申請資格を満たしています" in page.content.decode()
    response = client.post(
        reverse("programmes:my-apply", args=[programme.code]), {"business": business.pk}
    )
    application = Application.objects.get()
    assert response["Location"] == reverse("programmes:my-application-edit", args=[application.pk])

    edit = client.get(response["Location"]).content.decode()
    assert 'value="練馬テスト食堂"' in edit  # prefilled from the business record
    form = {
        "title": "入口の改修",
        "summary": "段差をなくします",
        "shop": shop.pk,
        "applicant_name": "練馬テスト食堂",
        "postal_code": "１７６－８５０１",
        "exp-TOTAL_FORMS": "2",
        "exp-INITIAL_FORMS": "0",
        "exp-0-category": "construction",
        "exp-0-description": "入口工事",
        "exp-0-amount": "１，２００，０００円",
        "exp-1-category": "",
        "exp-1-description": "",
        "exp-1-amount": "",
        "answer_purpose": "課題の解決",
        "answer_visitors": "８０",
        "next": "documents",
    }
    response = client.post(reverse("programmes:my-application-edit", args=[application.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert (application.eligible_expense_yen, application.requested_yen) == (1_200_000, 800_000)
    assert application.postal_code == "1768501"

    quote = programme.required_documents.get(code="quote")
    documents_url = reverse("programmes:my-application-documents", args=[application.pk])
    refused = client.post(
        documents_url, {"requirement": quote.pk, "file": upload("見積書.pdf", EXE_BYTES)}
    )
    assert refused.status_code == 400
    assert "実行ファイル" in refused.content.decode()
    assert not ApplicationDocument.objects.exists()
    accepted = client.post(
        documents_url, {"requirement": quote.pk, "file": pdf_upload("見積書.pdf")}
    )
    assert accepted.status_code == 302

    preview = client.get(reverse("programmes:my-application-preview", args=[application.pk]))
    assert "この内容で申請できます" in preview.content.decode()
    submit_url = reverse("programmes:my-application-transition", args=[application.pk, "submit"])
    client.post(submit_url)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    again = client.post(submit_url)
    assert "二重に送信された" in " ".join(texts(again))
    assert application.transitions.count() == 1


def test_an_amount_that_makes_no_sense_is_shown_on_its_row(client, owner, draft):
    client.force_login(owner)
    form = {
        "title": draft.title,
        "applicant_name": draft.applicant_name,
        "exp-TOTAL_FORMS": "1",
        "exp-INITIAL_FORMS": "0",
        "exp-0-category": "construction",
        "exp-0-description": "工事",
        "exp-0-amount": "－５０万円",
    }
    response = client.post(reverse("programmes:my-application-edit", args=[draft.pk]), form)
    assert response.status_code == 200
    assert "経費 1 行目: マイナスの金額は入力できません。" in response.content.decode()


def test_a_file_over_the_limit_is_refused_on_screen(client, owner, draft, settings):
    settings.SHOKO_UPLOAD_MAX_BYTES = 1024
    quote = draft.programme.required_documents.get(code="quote")
    client.force_login(owner)
    response = client.post(
        reverse("programmes:my-application-documents", args=[draft.pk]),
        {"requirement": quote.pk, "file": pdf_upload("big.pdf", "x" * 5000)},
    )
    assert response.status_code == 400
    assert "上限の 1 KB を超えています" in response.content.decode()


def test_the_preview_lists_what_is_missing(client, owner, programme, business):
    application = services.create_application(actor=owner, programme=programme, business=business)
    client.force_login(owner)
    page = client.get(
        reverse("programmes:my-application-preview", args=[application.pk])
    ).content.decode()
    assert "まだ申請できません" in page
    assert "見積書" in page
    assert "この内容で申請する" not in page


# --- Staff screens --------------------------------------------------------------------------------


def test_staff_return_approve_and_the_budget_falls(client, draft, owner, commerce):
    submitted = services.submit_application(actor=owner, application=draft)
    client.force_login(commerce)
    base = "programmes:staff-application-transition"
    client.post(reverse(base, args=[submitted.pk, "return"]), {"comment": "宛名を直してください"})
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    services.resubmit_application(actor=owner, application=submitted)
    client.post(reverse(base, args=[submitted.pk, "start_review"]))
    budget_url = reverse("programmes:staff-budget", args=[draft.programme.code])
    assert "5,000,000円" in client.get(budget_url).content.decode()
    response = client.post(
        reverse(base, args=[submitted.pk, "approve"]), {"amount": "７５０，０００円"}
    )
    assert "「交付決定する」を行いました。" in texts(response)
    submitted.refresh_from_db()
    assert submitted.approved_yen == 750_000
    page = client.get(budget_url).content.decode()
    assert '<svg class="chart"' in page
    assert "<caption>予算の内訳（表）</caption>" in page
    assert 'id="budget-remaining">4,250,000円' in page


def test_a_refused_approval_shows_the_reason(client, draft, owner, commerce):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    budget = application.programme.budgets.get()
    budget.amount_yen = 100_000
    budget.save()
    client.force_login(commerce)
    response = client.post(
        reverse("programmes:staff-application-transition", args=[application.pk, "approve"])
    )
    assert any(m.startswith("予算が足りません。") for m in texts(response))


def test_the_queue_exports_to_xlsx(client, draft, owner, commerce):
    advance(draft, Status.APPROVED, owner=owner, staff=commerce)
    client.force_login(commerce)
    response = client.get(reverse("programmes:staff-export"), {"status": "approved"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    assert header[:3] == ["申請番号", "年度", "事業"]
    assert row[0] == draft.number or row[0].startswith(str(draft.fiscal_year))
    assert row[header.index("交付決定額（円）")] == 800_000
    assert sheet.max_row == 2


def test_scoring_and_recusal_through_the_screen(
    client, draft, owner, commerce, make_user, business
):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    judge = make_user("judge")
    client.force_login(judge)
    page = client.get(
        reverse("programmes:staff-application", args=[application.pk])
    ).content.decode()
    assert "採点を保存する" in page
    client.post(
        reverse("programmes:staff-score", args=[application.pk]),
        {"score_impact": "４", "score_feasibility": "3", "comment": "ok"},
    )
    assert application.reviews.get(reviewer=judge).scores == {"impact": 4, "feasibility": 3}
    insider = make_user("judge")
    Membership.objects.create(user=insider, organisation=business.organisation)
    client.force_login(insider)
    page = client.get(
        reverse("programmes:staff-application", args=[application.pk])
    ).content.decode()
    assert "利害関係による除斥" in page
    assert "採点を保存する" not in page


def test_staff_edit_a_programme_and_its_history_is_kept(client, commerce, programme):
    client.force_login(commerce)
    url = reverse("programmes:staff-programme-edit", args=[programme.code])
    data = {
        "name_ja": "店舗改修支援（改）",
        "name_en": "Renovation",
        "division": "commerce",
        "subject": "shop",
        "rate_numerator": "1",
        "rate_denominator": "2",
        "rounding_unit": "1000",
        "rounding": "floor",
        "report_due_days": "30",
        "order": "1",
        "is_published": "on",
        "eligibility_rules_text": '[{"rule": "nonsense"}]',
        "cap_text": "１００万円",
        "minimum_text": "10万円",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "申請資格「nonsense」はありません" in response.content.decode()
    data["eligibility_rules_text"] = '[{"rule": "founded_within_years", "params": {"years": 3}}]'
    assert client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert (programme.rate_label, programme.cap_yen, programme.minimum_expense_yen) == (
        "1/2",
        1_000_000,
        100_000,
    )
    page = client.get(reverse("programmes:staff-programme", args=[programme.code])).content.decode()
    assert "創業から一定年数以内 (年数: 3)" in page
    assert "rate_numerator" in page  # the change is in the history


def test_a_proxy_application_from_the_back_office(client, commerce, programme, business):
    client.force_login(commerce)
    url = reverse("programmes:staff-proxy", args=[programme.code])
    assert "練馬テスト食堂" in client.get(url, {"q": "テスト食堂"}).content.decode()
    response = client.post(url, {"business": business.pk})
    application = Application.objects.get()
    assert response["Location"] == reverse(
        "programmes:staff-application-edit", args=[application.pk]
    )
    assert application.filed_by_proxy
    assert client.get(response["Location"]).status_code == 200


def test_budgets_and_windows_are_set_on_the_programme_page(client, commerce, programme):
    client.force_login(commerce)
    client.post(
        reverse("programmes:staff-budget-set", args=[programme.code]),
        {"fiscal_year": "2027", "amount": "１，０００万円"},
    )
    assert programme.budgets.get(fiscal_year=2027).amount_yen == 10_000_000
    response = client.post(
        reverse("programmes:staff-window-add", args=[programme.code]),
        {"fiscal_year": "2027", "opens_on": "2027-05-01", "closes_on": "2027-04-01"},
    )
    assert any("後にしてください" in m for m in texts(response))
    client.post(
        reverse("programmes:staff-window-add", args=[programme.code]),
        {
            "fiscal_year": "2027",
            "opens_on": "2027-04-01",
            "closes_on": "2027-05-31",
            "label": "第1期",
        },
    )
    window = programme.windows.get(fiscal_year=2027)
    client.post(reverse("programmes:staff-window-delete", args=[programme.code, window.pk]))
    assert not programme.windows.filter(fiscal_year=2027).exists()


# --- Query counts do not grow with rows -----------------------------------------------------------


def count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_staff_lists_keep_their_query_count(
    client, commerce, programme, django_assert_max_num_queries
):
    applications_under_review(programme, 2, commerce)
    client.force_login(commerce)
    urls = [
        reverse("programmes:staff-queue"),
        reverse("programmes:staff-programmes"),
        reverse("programmes:staff-budget", args=[programme.code]),
    ]
    few = {}
    for url in urls:
        with django_assert_max_num_queries(40) as counted:
            client.get(url)
        few[url] = len(counted)
    applications_under_review(programme, 6, commerce)
    ProgrammeFactory()
    for url in urls:
        count_queries(client, url, django_assert_max_num_queries, few[url])


def test_portal_lists_keep_their_query_count(
    client, owner, programme, business, commerce, django_assert_max_num_queries
):
    services.create_application(actor=owner, programme=programme, business=business)
    client.force_login(owner)
    urls = [reverse("programmes:my-applications"), reverse("programmes:my-programmes")]
    few = {}
    for url in urls:
        with django_assert_max_num_queries(40) as counted:
            client.get(url)
        few[url] = len(counted)
    for _ in range(5):
        other = ProgrammeFactory()
        services.create_application(actor=owner, programme=other, business=business)
    for url in urls:
        count_queries(client, url, django_assert_max_num_queries, few[url])

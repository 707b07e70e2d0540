"""The one workflow, told as a shop owner's renovation grant from draft to payment."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from pypdf import PdfReader

from shoko.programmes import services
from shoko.programmes.models import NoticeKind, ProgrammeBudget, Status, TransitionLog
from tests.programmes.conftest import advance

pytestmark = pytest.mark.django_db


def budget_of(programme):
    return ProgrammeBudget.objects.get(programme=programme)


def test_a_renovation_grant_from_draft_to_payment(
    draft, owner, commerce, django_capture_on_commit_callbacks
):
    assert draft.eligible_expense_yen == 1_200_000
    assert draft.requested_yen == 800_000  # 2/3, under the 1,000,000 cap, 千円未満切捨て

    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_application(actor=owner, application=draft)
    assert submitted.status == Status.SUBMITTED
    assert submitted.number.startswith(f"{submitted.fiscal_year}-")
    assert [m.to for m in mail.outbox] == [["owner@example.jp"]]
    assert "申請済み" in mail.outbox[0].subject

    returned = services.return_application(
        actor=commerce, application=submitted, comment="見積書の宛名を直してください。"
    )
    assert returned.status == Status.RETURNED
    assert returned.last_comment == "見積書の宛名を直してください。"
    services.update_application(actor=owner, application=returned, data={"summary": "直しました"})
    resubmitted = services.resubmit_application(actor=owner, application=returned)
    assert resubmitted.status == Status.RESUBMITTED

    reviewing = services.start_review(actor=commerce, application=resubmitted)
    assert reviewing.assigned_to == commerce
    approved = services.approve_application(actor=commerce, application=reviewing)
    assert approved.approved_yen == 800_000
    budget = budget_of(draft.programme)
    assert (budget.committed_yen, budget.remaining_yen) == (800_000, 4_200_000)
    notice = approved.notices.get(kind=NoticeKind.GRANT_DECISION)
    text = PdfReader(io.BytesIO(notice.file.read())).pages[0].extract_text()
    assert "補助金交付決定通知書" in text
    assert "800,000" in text
    assert notice.number in text
    assert notice.number.endswith("練産商第1号")

    completed = services.complete_work(actor=owner, application=approved)
    assert completed.report_due_on is not None
    services.save_report(
        actor=owner,
        application=completed,
        summary="完了しました。",
        expenses=[
            {"category": "construction", "description": "工事", "amount": "１，０５０，０００"}
        ],
    )
    receipts = draft.programme.required_documents.get(code="receipts")
    from tests.programmes.factories import pdf_upload

    services.upload_document(
        actor=owner, application=completed, requirement=receipts, upload=pdf_upload("r.pdf")
    )
    reported = services.submit_report(actor=owner, application=completed)
    assert reported.report_requested_yen == 700_000  # 1,050,000 × 2/3

    confirmed = services.confirm_amount(actor=commerce, application=reported)
    assert confirmed.confirmed_yen == 700_000
    budget = budget_of(draft.programme)
    # Confirmation below the approved amount gives the difference back to the budget.
    assert (budget.committed_yen, budget.confirmed_yen) == (700_000, 700_000)
    assert confirmed.notices.filter(kind=NoticeKind.AMOUNT_CONFIRMATION).count() == 1

    paid = services.record_payment(actor=commerce, application=confirmed)
    assert paid.status == Status.PAID
    assert paid.paid_yen == 700_000
    assert budget_of(draft.programme).paid_yen == 700_000
    assert list(
        TransitionLog.objects.filter(application=draft).values_list("to_status", flat=True)
    ) == [
        "submitted",
        "returned",
        "resubmitted",
        "under_review",
        "approved",
        "work_completed",
        "report_submitted",
        "confirmed",
        "paid",
    ]


# --- Bad input: clear messages, nothing half done -------------------------------------------------


def test_an_ineligible_business_cannot_start_an_application(programme, make_user):
    from tests.directory.factories import BusinessFactory
    from tests.programmes.conftest import member

    lonely = BusinessFactory(name="商店街の外の店")
    person = member(lonely)
    with pytest.raises(ValidationError) as caught:
        services.create_application(actor=person, programme=programme, business=lonely)
    assert caught.value.message == services.INELIGIBLE_MESSAGE
    assert "商店街にある個店が登録されていません" in caught.value.params["reasons"]


def test_no_application_outside_the_window(business, owner):
    from tests.programmes.factories import ProgrammeFactory

    closed = ProgrammeFactory(window=False)
    with pytest.raises(ValidationError) as caught:
        services.create_application(actor=owner, programme=closed, business=business)
    assert caught.value.message == services.WINDOW_CLOSED_MESSAGE


def test_a_window_that_closes_before_submission_stops_the_submission(draft, owner):
    from shoko.core.japan import FiscalYear
    from tests.programmes.factories import today

    window = draft.programme.windows.get()
    window.opens_on = FiscalYear(draft.fiscal_year).start
    window.closes_on = today() - __import__("datetime").timedelta(days=1)
    if window.closes_on < window.opens_on:
        window.opens_on = window.closes_on
    window.save()
    with pytest.raises(ValidationError) as caught:
        services.submit_application(actor=owner, application=draft)
    assert caught.value.message == services.WINDOW_CLOSED_MESSAGE
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.number == ""


def test_missing_documents_answers_and_expenses_are_all_listed_at_once(programme, business, owner):
    application = services.create_application(actor=owner, programme=programme, business=business)
    with pytest.raises(ValidationError) as caught:
        services.submit_application(actor=owner, application=application)
    messages = {e.message for e in caught.value.error_list}
    assert messages == {
        services.NO_EXPENSES_MESSAGE,
        services.MISSING_ANSWERS_MESSAGE,
        services.MISSING_DOCUMENTS_MESSAGE,
    }
    assert "見積書" in " ".join(caught.value.messages)
    assert "改修前の写真" not in " ".join(caught.value.messages)  # optional
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert not TransitionLog.objects.exists()


def test_expenses_below_the_minimum_cannot_be_submitted(draft, owner):
    services.update_application(
        actor=owner,
        application=draft,
        data={},
        expenses=[{"category": "construction", "description": "小工事", "amount": "９万円"}],
    )
    with pytest.raises(ValidationError) as caught:
        services.submit_application(actor=owner, application=draft)
    assert caught.value.error_list[0].message == services.BELOW_MINIMUM_MESSAGE


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("-120000", "マイナスの金額は入力できません。"),
        ("１００億１円", "大きすぎます"),
        ("百万円くらい", "金額として読み取れません"),
    ],
)
def test_bad_expense_amounts_are_refused_and_the_draft_is_unchanged(draft, owner, typed, fragment):
    with pytest.raises(ValidationError) as caught:
        services.update_application(
            actor=owner,
            application=draft,
            data={"title": "変えたい名称"},
            expenses=[{"category": "construction", "description": "工事", "amount": typed}],
        )
    assert fragment in caught.value.message_dict["expenses"][0]
    assert caught.value.message_dict["expenses"][0].startswith("経費 1 行目")
    draft.refresh_from_db()
    assert draft.title == "店舗の入口をバリアフリーにする改修"
    assert draft.eligible_expense_yen == 1_200_000


def test_a_category_of_another_programme_is_refused(draft, owner):
    with pytest.raises(ValidationError) as caught:
        services.update_application(
            actor=owner,
            application=draft,
            data={},
            expenses=[{"category": "catering", "description": "弁当", "amount": "5000"}],
        )
    assert "catering" in caught.value.message_dict["expenses"][0]


def test_answers_are_typed_full_width_digits_accepted(draft, owner):
    updated = services.update_application(
        actor=owner, application=draft, data={}, answers={"visitors": "２，４００"}
    )
    assert updated.answers["visitors"] == 2400
    with pytest.raises(ValidationError) as caught:
        services.update_application(
            actor=owner, application=draft, data={}, answers={"visitors": "たくさん"}
        )
    assert caught.value.message_dict["answer_visitors"] == [services.ANSWER_NOT_INTEGER_MESSAGE]
    with pytest.raises(ValidationError) as caught:
        services.update_application(
            actor=owner, application=draft, data={}, answers={"purpose": "なんとなく"}
        )
    assert caught.value.message_dict["answer_purpose"] == [services.ANSWER_NOT_CHOICE_MESSAGE]


def test_choices_may_be_answered_in_the_readers_language(draft, owner):
    with translation.override("en"):
        updated = services.update_application(
            actor=owner, application=draft, data={}, answers={"purpose": "Solving a problem"}
        )
    assert updated.answers["purpose"] == "課題の解決"


def test_codes_are_normalised_on_the_application(draft, owner):
    updated = services.update_application(
        actor=owner,
        application=draft,
        data={"postal_code": "〒１７６－８５０１", "phone": "０３－３９９３－１１１１"},
    )
    assert (updated.postal_code, updated.phone) == ("1768501", "0339931111")


def test_double_submission_is_refused_and_changes_nothing(draft, owner):
    submitted = services.submit_application(actor=owner, application=draft)
    with pytest.raises(ValidationError) as caught:
        services.submit_application(actor=owner, application=draft)
    assert caught.value.message == services.ALREADY_DONE_MESSAGE
    draft.refresh_from_db()
    assert draft.number == submitted.number
    assert TransitionLog.objects.filter(application=draft).count() == 1


def test_a_returned_application_needs_a_reason(draft, owner, commerce):
    submitted = services.submit_application(actor=owner, application=draft)
    with pytest.raises(ValidationError) as caught:
        services.return_application(actor=commerce, application=submitted, comment="  ")
    assert caught.value.message_dict["comment"] == [services.COMMENT_REQUIRED_MESSAGE]


def test_a_move_from_the_wrong_state_is_refused(draft, owner, commerce):
    with pytest.raises(ValidationError) as caught:
        services.approve_application(actor=commerce, application=draft, amount="100000")
    assert caught.value.message == services.WRONG_STATUS_MESSAGE


def wrong_actors(owner, business, make_user, other_business_member):
    from shoko.core.models import Membership
    from tests.programmes.conftest import member

    return {
        "other business": other_business_member,
        "read-only member": member(business, Membership.Role.VIEWER),
        "economy staff (other division)": make_user("economy_staff"),
        "consultant": make_user("consultant"),
        "judge": make_user("judge"),
        "no role": make_user(None),
    }


STAFF_MOVES = {
    "return": lambda a, u: services.return_application(actor=u, application=a, comment="x"),
    "start_review": lambda a, u: services.start_review(actor=u, application=a),
    "approve": lambda a, u: services.approve_application(actor=u, application=a),
    "reject": lambda a, u: services.reject_application(actor=u, application=a, reason="x"),
    "confirm_amount": lambda a, u: services.confirm_amount(actor=u, application=a),
    "pay": lambda a, u: services.record_payment(actor=u, application=a),
}
STAFF_MOVE_STATES = {
    "return": Status.SUBMITTED,
    "start_review": Status.SUBMITTED,
    "approve": Status.UNDER_REVIEW,
    "reject": Status.UNDER_REVIEW,
    "confirm_amount": Status.REPORT_SUBMITTED,
    "pay": Status.CONFIRMED,
}


@pytest.mark.parametrize("move", list(STAFF_MOVES))
def test_staff_moves_are_refused_to_everyone_but_the_programmes_division(
    move, draft, owner, commerce, business, make_user, other_business_member
):
    application = advance(draft, STAFF_MOVE_STATES[move], owner=owner, staff=commerce)
    people = wrong_actors(owner, business, make_user, other_business_member)
    people["the applicant"] = owner
    for who, person in people.items():
        with pytest.raises(PermissionDenied) as caught:
            STAFF_MOVES[move](application, person)
        assert "権限がありません" in str(caught.value), who
    application.refresh_from_db()
    assert application.status == STAFF_MOVE_STATES[move]


APPLICANT_MOVES = {
    "submit": (Status.DRAFT, services.submit_application),
    "withdraw": (Status.SUBMITTED, services.withdraw_application),
    "complete_work": (Status.APPROVED, services.complete_work),
    "submit_report": (Status.WORK_COMPLETED, services.submit_report),
}


@pytest.mark.parametrize("move", list(APPLICANT_MOVES))
def test_applicant_moves_are_refused_to_other_businesses_and_other_divisions(
    move, draft, owner, commerce, business, make_user, other_business_member
):
    state, call = APPLICANT_MOVES[move]
    application = (
        advance(draft, state, owner=owner, staff=commerce) if state != Status.DRAFT else draft
    )
    for who, person in wrong_actors(owner, business, make_user, other_business_member).items():
        with pytest.raises(PermissionDenied):
            call(actor=person, application=application)
        application.refresh_from_db()
        assert application.status == state, who


def test_staff_may_file_on_the_businesss_behalf_and_it_is_recorded(programme, business, commerce):
    from tests.programmes.conftest import fill

    application = fill(
        services.create_application(actor=commerce, programme=programme, business=business),
        commerce,
    )
    assert application.filed_by_proxy
    submitted = services.submit_application(actor=commerce, application=application)
    log = submitted.transitions.get()
    assert log.on_behalf
    assert log.actor == commerce


def test_a_second_click_on_apply_returns_the_same_draft(programme, business, owner):
    first = services.create_application(actor=owner, programme=programme, business=business)
    second = services.create_application(actor=owner, programme=programme, business=business)
    assert first.pk == second.pk


def test_the_draft_is_prefilled_from_the_business_record(programme, business, owner, shop):
    application = services.create_application(actor=owner, programme=programme, business=business)
    assert application.applicant_name == "練馬テスト食堂"
    assert application.representative_name == "練馬 太郎"
    assert application.address.startswith("東京都練馬区")
    assert application.shop == shop
    assert application.area == shop.street.area


# --- Money through the workflow -------------------------------------------------------------------


def test_approval_above_what_the_rules_give_is_refused(draft, owner, commerce):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    with pytest.raises(ValidationError) as caught:
        services.approve_application(
            actor=commerce, application=application, amount="８０１，０００円"
        )
    assert caught.value.message == services.APPROVAL_AMOUNT_MESSAGE
    assert budget_of(draft.programme).committed_yen == 0


def test_approval_with_a_lower_amount_typed_in_full_width(draft, owner, commerce):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    approved = services.approve_application(
        actor=commerce, application=application, amount="７５万円"
    )
    assert approved.approved_yen == 750_000
    assert budget_of(draft.programme).committed_yen == 750_000


def test_approval_that_would_overspend_the_budget_is_refused_with_the_remaining_amount(
    draft, owner, commerce
):
    budget = budget_of(draft.programme)
    budget.amount_yen = 700_000
    budget.save()
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    with pytest.raises(ValidationError) as caught:
        services.approve_application(actor=commerce, application=application)
    assert caught.value.message == services.BUDGET_EXCEEDED_MESSAGE
    assert caught.value.params["remaining"] == "700,000"
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    assert application.approved_yen is None
    assert not application.notices.exists()
    assert budget_of(draft.programme).committed_yen == 0


def test_approval_without_a_budget_for_the_year_is_refused(draft, owner, commerce):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    ProgrammeBudget.objects.filter(programme=draft.programme).delete()
    with pytest.raises(ValidationError) as caught:
        services.approve_application(actor=commerce, application=application)
    assert caught.value.message == services.NO_BUDGET_MESSAGE


def test_withdrawing_after_approval_gives_the_money_back(draft, owner, commerce):
    approved = advance(draft, Status.APPROVED, owner=owner, staff=commerce)
    assert budget_of(draft.programme).committed_yen == 800_000
    services.withdraw_application(actor=owner, application=approved)
    assert budget_of(draft.programme).committed_yen == 0


def test_a_report_asking_more_than_the_approved_amount_is_refused(draft, owner, commerce):
    completed = advance(draft, Status.WORK_COMPLETED, owner=owner, staff=commerce, amount="500,000")
    with pytest.raises(ValidationError) as caught:
        services.save_report(
            actor=owner,
            application=completed,
            summary="完了",
            expenses=[{"category": "construction", "description": "工事", "amount": "1,500,000"}],
            requested="８０万円",
        )
    assert caught.value.message_dict["requested"][0].startswith(
        "請求額（800,000 円）が交付決定額（500,000 円）"
    )
    completed.refresh_from_db()
    assert completed.report_requested_yen is None


def test_a_report_asks_by_default_what_the_rules_give_up_to_the_approved_amount(
    draft, owner, commerce
):
    completed = advance(draft, Status.WORK_COMPLETED, owner=owner, staff=commerce, amount="500,000")
    saved = services.save_report(
        actor=owner,
        application=completed,
        summary="完了",
        expenses=[{"category": "construction", "description": "工事", "amount": "1,500,000"}],
    )
    assert saved.report_requested_yen == 500_000


def test_confirmation_never_exceeds_the_approved_amount(draft, owner, commerce):
    reported = advance(draft, Status.REPORT_SUBMITTED, owner=owner, staff=commerce)
    with pytest.raises(ValidationError) as caught:
        services.confirm_amount(actor=commerce, application=reported, amount="800,001")
    assert caught.value.message == services.CONFIRM_OVER_APPROVED_MESSAGE
    reported.refresh_from_db()
    assert reported.status == Status.REPORT_SUBMITTED


def test_the_database_itself_refuses_a_confirmed_amount_above_the_approved_one(
    draft, owner, commerce
):
    from django.db import IntegrityError, transaction

    from shoko.programmes.models import Application

    approved = advance(draft, Status.APPROVED, owner=owner, staff=commerce)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=approved.pk).update(confirmed_yen=approved.approved_yen + 1)


def test_completion_sets_the_report_deadline_within_the_fiscal_year(draft, owner, commerce):
    import datetime as dt

    approved = advance(draft, Status.APPROVED, owner=owner, staff=commerce)
    future = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        services.complete_work(actor=owner, application=approved, completed_on=future)
    assert caught.value.message == services.COMPLETED_IN_FUTURE_MESSAGE
    completed = services.complete_work(actor=owner, application=approved)
    assert completed.report_due_on == min(
        completed.completed_on + dt.timedelta(days=30), completed.fy.end
    )

"""The application workflow — the ONE place that says which state may become which, who may
move it, and what must hold first.

::

    draft ──submit──▶ submitted ──start_review──▶ under_review ──approve──▶ approved
      ▲                  │                            │   └──reject──▶ rejected
      │               return                       return
      │                  ▼                            ▼
      │               returned ──resubmit──▶ resubmitted ──start_review──▶ under_review
      │
    approved ──complete_work──▶ work_completed ──submit_report──▶ report_submitted
    report_submitted ──confirm_amount──▶ confirmed ──pay──▶ paid
    (draft … approved) ──withdraw──▶ withdrawn

Each row of ``TRANSITIONS`` is (name, from, to, actors, guard). ``services.transition`` runs a
row: it locks the application, checks the actor and the state, runs the guard, applies the
effect (budget, notice, dates), logs it, and notifies the applicant after commit — all in one
transaction. Guards raise ``ValidationError`` with the messages below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shoko.programmes import eligibility
from shoko.programmes.models import (
    Application,
    FormQuestion,
    NoticeKind,
    RequiredDocument,
    Stage,
    Status,
    Subject,
)
from shoko.programmes.money import programme_grant, yen


class Actor(StrEnum):
    """Who is acting, as the table needs to know it."""

    APPLICANT = "applicant"  # a representative or manager of the applying business
    PROXY = "proxy"  # the programme's staff acting for the applicant (代理)
    STAFF = "staff"  # the programme's division staff (or admin) deciding


APPLICANT_SIDE = frozenset({Actor.APPLICANT, Actor.PROXY})
STAFF_SIDE = frozenset({Actor.STAFF})

INELIGIBLE_MESSAGE = _("この事業の申請資格を満たしていません: %(reasons)s")
WINDOW_CLOSED_MESSAGE = _("「%(programme)s」は現在募集していません。%(next)s")
NEXT_WINDOW_MESSAGE = _("次の募集は %(opens)s からです。")
MISSING_DOCUMENTS_MESSAGE = _("提出されていない書類があります: %(documents)s")
NO_EXPENSES_MESSAGE = _("補助対象経費を1件以上入力してください。")
BELOW_MINIMUM_MESSAGE = _(
    "補助対象経費の合計（%(total)s 円）が下限の %(minimum)s 円に届いていません。"
)
NO_GRANT_MESSAGE = _("この経費では補助金額が 0 円になります。経費の内容を確認してください。")
MISSING_ANSWERS_MESSAGE = _("回答していない必須の設問があります: %(questions)s")
MISSING_SUBJECT_MESSAGE = _("%(field)s を選んでください。")
MISSING_TITLE_MESSAGE = _("事業の名称を入力してください。")
APPROVAL_AMOUNT_MESSAGE = _(
    "交付決定額は 1 円以上、規則による上限（%(limit)s 円）以下にしてください。"
)
REPORT_OVER_APPROVED_MESSAGE = _(
    "請求額（%(amount)s 円）が交付決定額（%(approved)s 円）を超えています。"
    "交付決定額以下にしてください。"
)
REPORT_OVER_RULES_MESSAGE = _(
    "請求額（%(amount)s 円）が実績の経費から計算した補助金額（%(limit)s 円）を超えています。"
)
NO_ACTUAL_EXPENSES_MESSAGE = _("実績報告に、実際にかかった経費を1件以上入力してください。")
CONFIRM_OVER_APPROVED_MESSAGE = _(
    "確定額（%(amount)s 円）は交付決定額（%(approved)s 円）を超えられません。"
)
COMPLETED_IN_FUTURE_MESSAGE = _("事業完了日に未来の日付は入力できません。")
COMMENT_REQUIRED_MESSAGE = _("理由・コメントを入力してください。")


# --- Guards: what must hold before a move ---------------------------------------------------------


def check_window(application: Application, *, on: dt.date | None = None) -> None:
    """Applications are accepted only while a window of their fiscal year is open."""
    on = on or timezone.localdate()
    windows = list(application.programme.windows.filter(fiscal_year=application.fiscal_year))
    if any(w.opens_on <= on <= w.closes_on for w in windows):
        return
    upcoming = sorted(w.opens_on for w in windows if w.opens_on > on)
    raise ValidationError(
        WINDOW_CLOSED_MESSAGE,
        code="window_closed",
        params={
            "programme": application.programme.name,
            "next": NEXT_WINDOW_MESSAGE % {"opens": upcoming[0].isoformat()} if upcoming else "",
        },
    )


def check_eligible(application: Application) -> None:
    facts = eligibility.facts_for(application.business, application=application)
    verdict = eligibility.evaluate(application.programme, facts)
    if not verdict.ok:
        raise ValidationError(
            INELIGIBLE_MESSAGE, code="ineligible", params={"reasons": " ".join(verdict.reasons)}
        )


def missing_documents(application: Application, stage: str) -> list[RequiredDocument]:
    present = set(
        application.documents.filter(is_current=True, stage=stage).values_list(
            "requirement_id", flat=True
        )
    )
    return [
        requirement
        for requirement in application.programme.required_documents.filter(stage=stage)
        if requirement.is_required and requirement.pk not in present
    ]


def missing_documents_errors(application: Application, stage: str) -> list[ValidationError]:
    documents = missing_documents(application, stage)
    if not documents:
        return []
    return [
        ValidationError(
            MISSING_DOCUMENTS_MESSAGE,
            code="missing_documents",
            params={"documents": "、".join(str(d.name) for d in documents)},
        )
    ]


def missing_answers(application: Application) -> list[FormQuestion]:
    answers = application.answers or {}
    return [
        question
        for question in FormQuestion.objects.filter(
            section__programme=application.programme, is_required=True
        ).order_by("section__order", "order", "pk")
        if answers.get(question.code) in (None, "", [])
    ]


def _guard_complete_application(application: Application, params: Mapping[str, Any]) -> None:
    """Everything an application needs before staff can look at it; all problems at once."""
    errors: list[ValidationError] = []
    programme = application.programme
    if not application.title.strip():
        errors.append(ValidationError(MISSING_TITLE_MESSAGE, code="missing_title"))
    subject_field = {
        Subject.SHOP: ("shop_id", Application._meta.get_field("shop").verbose_name),
        Subject.STREET: ("street_id", Application._meta.get_field("street").verbose_name),
        Subject.VACANT_SHOP: (
            "vacant_shop_id",
            Application._meta.get_field("vacant_shop").verbose_name,
        ),
    }.get(Subject(programme.subject))
    if subject_field and not getattr(application, subject_field[0]):
        errors.append(
            ValidationError(
                MISSING_SUBJECT_MESSAGE, code="missing_subject", params={"field": subject_field[1]}
            )
        )
    try:
        check_eligible(application)
    except ValidationError as error:
        errors.append(error)
    plan_lines = application.expenses.filter(stage=Stage.APPLICATION)
    if not plan_lines.exists():
        errors.append(ValidationError(NO_EXPENSES_MESSAGE, code="no_expenses"))
    elif application.eligible_expense_yen < programme.minimum_expense_yen:
        errors.append(
            ValidationError(
                BELOW_MINIMUM_MESSAGE,
                code="below_minimum",
                params={
                    "total": yen(application.eligible_expense_yen),
                    "minimum": yen(programme.minimum_expense_yen),
                },
            )
        )
    elif programme_grant(programme, application.eligible_expense_yen) <= 0:
        errors.append(ValidationError(NO_GRANT_MESSAGE, code="no_grant"))
    questions = missing_answers(application)
    if questions:
        errors.append(
            ValidationError(
                MISSING_ANSWERS_MESSAGE,
                code="missing_answers",
                params={"questions": "、".join(str(q.label) for q in questions)},
            )
        )
    errors += missing_documents_errors(application, Stage.APPLICATION)
    if errors:
        raise ValidationError(errors)


def guard_submit(application: Application, params: Mapping[str, Any]) -> None:
    check_window(application)
    _guard_complete_application(application, params)


def guard_resubmit(application: Application, params: Mapping[str, Any]) -> None:
    # A returned application was filed in time: the window is not asked again.
    _guard_complete_application(application, params)


def max_grant(application: Application) -> int:
    return programme_grant(application.programme, application.eligible_expense_yen)


def guard_approve(application: Application, params: Mapping[str, Any]) -> None:
    amount = params.get("amount")
    limit = max_grant(application)
    if amount is None or not 0 < amount <= limit:
        raise ValidationError(
            APPROVAL_AMOUNT_MESSAGE, code="approval_amount", params={"limit": yen(limit)}
        )


def guard_complete_work(application: Application, params: Mapping[str, Any]) -> None:
    completed_on = params.get("completed_on") or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError(COMPLETED_IN_FUTURE_MESSAGE, code="completed_in_future")


def check_report_amount(application: Application, amount: int) -> None:
    approved = application.approved_yen or 0
    if amount > approved:
        raise ValidationError(
            REPORT_OVER_APPROVED_MESSAGE,
            code="report_over_approved",
            params={"amount": yen(amount), "approved": yen(approved)},
        )
    limit = programme_grant(application.programme, application.reported_expense_yen or 0)
    if amount > limit:
        raise ValidationError(
            REPORT_OVER_RULES_MESSAGE,
            code="report_over_rules",
            params={"amount": yen(amount), "limit": yen(limit)},
        )


def guard_report(application: Application, params: Mapping[str, Any]) -> None:
    errors: list[ValidationError] = []
    if not application.expenses.filter(stage=Stage.REPORT).exists():
        errors.append(ValidationError(NO_ACTUAL_EXPENSES_MESSAGE, code="no_actual_expenses"))
    else:
        try:
            check_report_amount(application, application.report_requested_yen or 0)
        except ValidationError as error:
            errors.append(error)
    errors += missing_documents_errors(application, Stage.REPORT)
    if errors:
        raise ValidationError(errors)


def guard_confirm(application: Application, params: Mapping[str, Any]) -> None:
    amount = params.get("amount")
    approved = application.approved_yen or 0
    if amount is None or amount > approved:
        raise ValidationError(
            CONFIRM_OVER_APPROVED_MESSAGE,
            code="confirm_over_approved",
            params={"amount": yen(amount or 0), "approved": yen(approved)},
        )


# --- The table ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset[Status]
    target: Status
    actors: frozenset[Actor]
    guard: Callable[[Application, Mapping[str, Any]], None] | None = None
    notice: NoticeKind | None = None
    comment_required: bool = False
    danger: bool = False


def _t(
    name: str,
    label: str | Promise,
    sources: set[Status],
    target: Status,
    actors: frozenset[Actor],
    **options: Any,
) -> Transition:
    return Transition(name, label, frozenset(sources), target, actors, **options)


# The transition table reads as a table, one move per row: the formatter leaves it be.
# fmt: off
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("submit", _("申請する"), {Status.DRAFT}, Status.SUBMITTED, APPLICANT_SIDE,
           guard=guard_submit),
        _t("return", _("差し戻す"), {Status.SUBMITTED, Status.RESUBMITTED, Status.UNDER_REVIEW},
           Status.RETURNED, STAFF_SIDE, comment_required=True),
        _t("resubmit", _("再申請する"), {Status.RETURNED}, Status.RESUBMITTED, APPLICANT_SIDE,
           guard=guard_resubmit),
        _t("start_review", _("審査を始める"), {Status.SUBMITTED, Status.RESUBMITTED},
           Status.UNDER_REVIEW, STAFF_SIDE),
        _t("approve", _("交付決定する"), {Status.UNDER_REVIEW}, Status.APPROVED, STAFF_SIDE,
           guard=guard_approve, notice=NoticeKind.GRANT_DECISION),
        _t("reject", _("不交付とする"), {Status.UNDER_REVIEW}, Status.REJECTED, STAFF_SIDE,
           comment_required=True, danger=True),
        _t("withdraw", _("取り下げる"),
           {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.RESUBMITTED,
            Status.UNDER_REVIEW, Status.APPROVED},
           Status.WITHDRAWN, APPLICANT_SIDE, danger=True),
        _t("complete_work", _("事業の完了を届け出る"), {Status.APPROVED}, Status.WORK_COMPLETED,
           APPLICANT_SIDE, guard=guard_complete_work),
        _t("submit_report", _("実績報告を提出する"), {Status.WORK_COMPLETED},
           Status.REPORT_SUBMITTED, APPLICANT_SIDE, guard=guard_report),
        _t("confirm_amount", _("額を確定する"), {Status.REPORT_SUBMITTED}, Status.CONFIRMED,
           STAFF_SIDE, guard=guard_confirm, notice=NoticeKind.AMOUNT_CONFIRMATION),
        _t("pay", _("支払を記録する"), {Status.CONFIRMED}, Status.PAID, STAFF_SIDE),
    ]
}
# fmt: on


def transitions_from(status: str, actors: frozenset[Actor] | set[Actor]) -> list[Transition]:
    """The moves ``actors`` may make from ``status``, in table order."""
    return [t for t in TRANSITIONS.values() if status in t.sources and t.actors & set(actors)]

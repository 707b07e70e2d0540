"""The workflow's moves. ``transition`` runs one row of ``workflow.TRANSITIONS`` and each
public function (``submit_application``, ``approve_application`` …) is one such call with the
effect of that move (budget, notice, dates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import acting_as
from shoko.core.numbering import next_number
from shoko.directory import services as directory_services
from shoko.directory.models import VacantShop
from shoko.programmes import notices, selectors, workflow
from shoko.programmes.models import (
    Application,
    Notice,
    NoticeKind,
    ProgrammeBudget,
    Status,
    TransitionLog,
)
from shoko.programmes.money import parse_amount, yen
from shoko.programmes.services.common import (
    NOT_ALLOWED_MESSAGE,
    busy_is_a_message,
    locked_application,
)
from shoko.programmes.services.notifications import notify_transition, record_on_timeline
from shoko.programmes.workflow import COMMENT_REQUIRED_MESSAGE, TRANSITIONS, Actor

if TYPE_CHECKING:
    from shoko.core.models import User

WRONG_STATUS_MESSAGE = _("状態が「%(status)s」の申請には「%(action)s」はできません。")
ALREADY_DONE_MESSAGE = _(
    "この申請はすでに「%(status)s」です。同じ操作が二重に送信された可能性があります。"
)
BUDGET_EXCEEDED_MESSAGE = _(
    "予算が足りません。%(fy)s の残額は %(remaining)s 円のため、%(amount)s 円を交付決定できません。"
)
NO_BUDGET_MESSAGE = _("%(fy)s の予算が登録されていません。先に予算額を登録してください。")


def _application_number(application: Application) -> str:
    return f"{application.fiscal_year}-{next_number(f'application:{application.fiscal_year}'):05d}"


def transition(
    name: str,
    *,
    actor: User,
    application: Application,
    comment: str = "",
    effect: Callable[[Application, set[Actor]], None] | None = None,
    **params: Any,
) -> Application:
    """Run one row of ``workflow.TRANSITIONS``: in one transaction lock the application, check
    who acts and from which state, run the guard, apply ``effect``, change the state, log it,
    issue the notice if the row has one; notify the applicant's members after commit."""
    move = TRANSITIONS[name]
    with transaction.atomic():
        locked = locked_application(application)
        kinds = set(selectors.actor_kinds(actor, locked) & move.actors)
        if not kinds:
            raise PermissionDenied(NOT_ALLOWED_MESSAGE % {"action": move.label})
        if locked.status not in move.sources:
            if locked.status == move.target:
                raise ValidationError(
                    ALREADY_DONE_MESSAGE,
                    code="already_done",
                    params={"status": locked.get_status_display()},
                )
            raise ValidationError(
                WRONG_STATUS_MESSAGE,
                code="wrong_status",
                params={"status": locked.get_status_display(), "action": move.label},
            )
        comment = (comment or "").strip()
        if move.comment_required and not comment:
            raise ValidationError({"comment": COMMENT_REQUIRED_MESSAGE})
        if move.guard is not None:
            move.guard(locked, params)
        from_status = locked.status
        with acting_as(actor):
            if effect is not None:
                effect(locked, kinds)
            locked.status = move.target
            locked.save()
            log = TransitionLog.objects.create(
                application=locked,
                transition=name,
                from_status=from_status,
                to_status=move.target,
                actor=actor,
                on_behalf=Actor.APPLICANT not in kinds and bool(kinds & {Actor.PROXY}),
                comment=comment,
                amount_yen=params.get("amount"),
            )
            if move.notice is not None:
                _issue_notice(locked, move.notice, actor=actor, comment=comment)
        record_on_timeline(locked, actor, move.label)
        transaction.on_commit(lambda: notify_transition(log.pk))
    return locked


def _issue_notice(
    application: Application, kind: NoticeKind, *, actor: User, comment: str
) -> Notice:
    prefix = application.programme.document_prefix
    sequence = next_number(f"notice:{application.fiscal_year}:{prefix}")
    number = notices.notice_number(application.fiscal_year, prefix, sequence)
    issued_on = timezone.localdate()
    if kind == NoticeKind.GRANT_DECISION:
        content = notices.grant_decision_pdf(
            application, number=number, issued_on=issued_on, comment=comment
        )
        amount = application.approved_yen or 0
    else:
        decision = application.notices.filter(kind=NoticeKind.GRANT_DECISION).last()
        content = notices.amount_confirmation_pdf(
            application,
            number=number,
            issued_on=issued_on,
            decision_number=decision.number if decision else "",
            comment=comment,
        )
        amount = application.confirmed_yen or 0
    notice = Notice(
        application=application,
        kind=kind,
        number=number,
        issued_on=issued_on,
        amount_yen=amount,
        issued_by=actor,
    )
    notice.file.save(f"{kind}.pdf", ContentFile(content), save=False)
    notice.save()
    return notice


def _lock_budget(application: Application) -> ProgrammeBudget:
    budget = (
        ProgrammeBudget.objects.select_for_update()
        .filter(programme_id=application.programme_id, fiscal_year=application.fiscal_year)
        .first()
    )
    if budget is None:
        raise ValidationError(
            NO_BUDGET_MESSAGE, code="no_budget", params={"fy": application.fy.label("ja")}
        )
    return budget


@busy_is_a_message
def submit_application(*, actor: User, application: Application) -> Application:
    def effect(app: Application, kinds: set[Actor]) -> None:
        if not app.number:
            app.number = _application_number(app)
        app.submitted_at = timezone.now()
        if Actor.APPLICANT not in kinds:
            app.filed_by_proxy = True

    return transition("submit", actor=actor, application=application, effect=effect)


@busy_is_a_message
def return_application(*, actor: User, application: Application, comment: str) -> Application:
    def effect(app: Application, kinds: set[Actor]) -> None:
        app.last_comment = comment.strip()

    return transition(
        "return", actor=actor, application=application, comment=comment, effect=effect
    )


@busy_is_a_message
def resubmit_application(
    *, actor: User, application: Application, comment: str = ""
) -> Application:
    def effect(app: Application, kinds: set[Actor]) -> None:
        app.last_comment = ""

    return transition(
        "resubmit", actor=actor, application=application, comment=comment, effect=effect
    )


@busy_is_a_message
def start_review(*, actor: User, application: Application) -> Application:
    def effect(app: Application, kinds: set[Actor]) -> None:
        if app.assigned_to_id is None:
            app.assigned_to = actor

    return transition("start_review", actor=actor, application=application, effect=effect)


@busy_is_a_message
def approve_application(
    *,
    actor: User,
    application: Application,
    amount: str | int | None = None,
    comment: str = "",
) -> Application:
    """交付決定: commit ``amount`` (by default the amount the rules give) against the budget of
    the fiscal year, under the budget row's lock; refuse clearly when it would overspend."""
    amount_yen = (
        parse_amount(amount, allow_zero=False)
        if amount not in (None, "")
        else workflow.max_grant(Application.objects.get(pk=application.pk))
    )

    def effect(app: Application, kinds: set[Actor]) -> None:
        budget = _lock_budget(app)
        if budget.committed_yen + amount_yen > budget.amount_yen:
            raise ValidationError(
                BUDGET_EXCEEDED_MESSAGE,
                code="budget_exceeded",
                params={
                    "fy": app.fy.label("ja"),
                    "remaining": yen(budget.remaining_yen),
                    "amount": yen(amount_yen),
                },
            )
        budget.committed_yen += amount_yen
        budget.save(update_fields=["committed_yen"])
        app.approved_yen = amount_yen
        app.decided_at = timezone.now()
        app.last_comment = comment.strip()

    return transition(
        "approve",
        actor=actor,
        application=application,
        comment=comment,
        effect=effect,
        amount=amount_yen,
    )


@busy_is_a_message
def reject_application(*, actor: User, application: Application, reason: str) -> Application:
    def effect(app: Application, kinds: set[Actor]) -> None:
        app.decided_at = timezone.now()
        app.last_comment = reason.strip()

    return transition("reject", actor=actor, application=application, comment=reason, effect=effect)


@busy_is_a_message
def withdraw_application(
    *, actor: User, application: Application, comment: str = ""
) -> Application:
    """取下げ: a standing grant decision gives its money back to the budget."""

    def effect(app: Application, kinds: set[Actor]) -> None:
        if app.status == Status.APPROVED and app.approved_yen:
            budget = _lock_budget(app)
            budget.committed_yen -= app.approved_yen
            budget.save(update_fields=["committed_yen"])

    return transition(
        "withdraw", actor=actor, application=application, comment=comment, effect=effect
    )


@busy_is_a_message
def complete_work(
    *, actor: User, application: Application, completed_on: dt.date | None = None
) -> Application:
    """事業完了: the report is then due within the programme's days, and never after the end of
    the fiscal year. A vacant shop the application moves into is now occupied."""
    completed_on = completed_on or timezone.localdate()

    def effect(app: Application, kinds: set[Actor]) -> None:
        app.completed_on = completed_on
        app.report_due_on = min(
            completed_on + timedelta(days=app.programme.report_due_days), app.fy.end
        )
        if app.vacant_shop_id:
            directory_services.update_vacant_shop(
                actor=actor,
                vacant_shop=app.vacant_shop,
                data={"status": VacantShop.Status.OCCUPIED},
            )

    return transition(
        "complete_work",
        actor=actor,
        application=application,
        effect=effect,
        completed_on=completed_on,
    )


@busy_is_a_message
def submit_report(*, actor: User, application: Application) -> Application:
    return transition("submit_report", actor=actor, application=application)


@busy_is_a_message
def confirm_amount(
    *,
    actor: User,
    application: Application,
    amount: str | int | None = None,
    comment: str = "",
) -> Application:
    """額の確定: never above the approved amount; what is not confirmed goes back to the
    budget, and the confirmed amount is tracked apart."""
    current = Application.objects.get(pk=application.pk)
    amount_yen = (
        parse_amount(amount) if amount not in (None, "") else current.report_requested_yen or 0
    )

    def effect(app: Application, kinds: set[Actor]) -> None:
        budget = _lock_budget(app)
        budget.committed_yen -= (app.approved_yen or 0) - amount_yen
        budget.confirmed_yen += amount_yen
        budget.save(update_fields=["committed_yen", "confirmed_yen"])
        app.confirmed_yen = amount_yen

    return transition(
        "confirm_amount",
        actor=actor,
        application=application,
        comment=comment,
        effect=effect,
        amount=amount_yen,
    )


@busy_is_a_message
def record_payment(
    *, actor: User, application: Application, paid_on: dt.date | None = None
) -> Application:
    paid_on = paid_on or timezone.localdate()

    def effect(app: Application, kinds: set[Actor]) -> None:
        budget = _lock_budget(app)
        budget.paid_yen += app.confirmed_yen or 0
        budget.save(update_fields=["paid_yen"])
        app.paid_yen = app.confirmed_yen
        app.paid_on = paid_on

    return transition(
        "pay",
        actor=actor,
        application=application,
        effect=effect,
        amount=Application.objects.get(pk=application.pk).confirmed_yen,
    )


#: The service behind each transition name (for the API and the staff screens).
TRANSITION_SERVICES: dict[str, Callable[..., Application]] = {
    "submit": submit_application,
    "return": return_application,
    "resubmit": resubmit_application,
    "start_review": start_review,
    "approve": approve_application,
    "reject": reject_application,
    "withdraw": withdraw_application,
    "complete_work": complete_work,
    "submit_report": submit_report,
    "confirm_amount": confirm_amount,
    "pay": record_payment,
}


def run_transition(
    name: str,
    *,
    actor: User,
    application: Application,
    comment: str = "",
    amount: str | int | None = None,
    on: dt.date | None = None,
) -> Application:
    """One entry for the screens and the API: they pass what the form holds, and each move
    takes what it needs (a comment, an amount, a date)."""
    if name not in TRANSITION_SERVICES:
        raise KeyError(name)
    kwargs: dict[str, Any] = {}
    if name in {"return", "resubmit", "withdraw", "approve", "confirm_amount"}:
        kwargs["comment"] = comment
    if name == "reject":
        kwargs["reason"] = comment
    if name in {"approve", "confirm_amount"}:
        kwargs["amount"] = amount if amount not in ("", None) else None
    if name == "complete_work":
        kwargs["completed_on"] = on
    if name == "pay":
        kwargs["paid_on"] = on
    return TRANSITION_SERVICES[name](actor=actor, application=application, **kwargs)

"""What the applicant fills in: the draft application (fields, planned expenses, answers to
the programme's questions) and, after the work, the completion report (実績報告)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import acting_as
from shoko.core.japan import FiscalYear, parse_wareki
from shoko.core.text import normalize_code
from shoko.core.validators import (
    normalize_phone_jp,
    normalize_postal_code,
    validate_phone_jp,
    validate_postal_code,
)
from shoko.programmes import eligibility, selectors, workflow
from shoko.programmes.models import (
    Application,
    ExpenseCategory,
    ExpenseLine,
    FormQuestion,
    QuestionKind,
    Stage,
    Status,
    Subject,
    translated_choice_lines,
)
from shoko.programmes.money import parse_amount, programme_grant
from shoko.programmes.services.actors import require_applicant_side
from shoko.programmes.services.common import (
    DATES_ORDER_MESSAGE,
    NOT_ALLOWED_MESSAGE,
    busy_is_a_message,
    locked_application,
)
from shoko.programmes.services.notifications import record_on_timeline
from shoko.programmes.workflow import INELIGIBLE_MESSAGE, WINDOW_CLOSED_MESSAGE

if TYPE_CHECKING:
    from shoko.core.models import User
    from shoko.directory.models import Business
    from shoko.programmes.models import Programme

NOT_EDITABLE_MESSAGE = _("状態が「%(status)s」の申請は変更できません。")
NOT_YOUR_RECORD_MESSAGE = _("選んだ%(field)sはこの申請者のものではありません。")
WRONG_CATEGORY_MESSAGE = _("経費区分「%(category)s」はこの事業の対象ではありません。")
EXPENSE_LINE_MESSAGE = _("経費 %(row)s 行目: %(error)s")
EXPENSE_DESCRIPTION_MESSAGE = _("内容を入力してください。")
ANSWER_NOT_INTEGER_MESSAGE = _("整数で入力してください（全角数字も使えます）。")
ANSWER_NOT_DATE_MESSAGE = _("日付を 2026-04-01 や 令和8年4月1日 のように入力してください。")
ANSWER_NOT_CHOICE_MESSAGE = _("選択肢から選んでください。")
ANSWER_TOO_LONG_MESSAGE = _("%(limit)s 文字以内で入力してください。")
REPORT_NOT_OPEN_MESSAGE = _("実績報告は、事業完了を届け出た後に入力できます。")
ANSWER_LIMIT = 4000


@busy_is_a_message
@transaction.atomic
def create_application(*, actor: User, programme: Programme, business: Business) -> Application:
    """Start a draft, prefilled from the business record (once-only). A second click returns
    the draft already started; staff who start one file it on the business's behalf (代理申請)."""
    staff = selectors.is_programme_staff(actor, programme)
    if not staff and not selectors.is_applicant_editor(actor, business):
        raise PermissionDenied(NOT_ALLOWED_MESSAGE % {"action": _("申請を始める")})
    window = selectors.open_window(programme)
    probe = Application(programme=programme, business=business)
    if window is None or not programme.is_published:
        probe.fiscal_year = FiscalYear.current().year
        workflow.check_window(probe)  # raises with the next opening, if any
        raise ValidationError(
            WINDOW_CLOSED_MESSAGE,
            code="window_closed",
            params={"programme": programme.name, "next": ""},
        )
    verdict = eligibility.evaluate(programme, eligibility.facts_for(business))
    if not verdict.ok:
        raise ValidationError(
            INELIGIBLE_MESSAGE, code="ineligible", params={"reasons": " ".join(verdict.reasons)}
        )
    existing = (
        Application.objects.select_for_update()
        .filter(
            programme=programme,
            business=business,
            fiscal_year=window.fiscal_year,
            status=Status.DRAFT,
        )
        .first()
    )
    if existing is not None:
        return existing
    facts = eligibility.facts_for(business)
    shop = (facts.member_shops or facts.shops_in_streets or [None])[0]
    street = facts.association_streets[0] if facts.association_streets else None
    application = Application(
        programme=programme,
        fiscal_year=window.fiscal_year,
        business=business,
        title=str(programme.name),
        applicant_name=business.name,
        representative_name=business.representative_name,
        postal_code=business.postal_code,
        address=f"{business.address}{business.building}",
        phone=business.phone,
        email=business.email or (actor.email if not staff else ""),
        shop=shop if programme.subject == Subject.SHOP else None,
        street=street if programme.subject == Subject.STREET else None,
        created_by=actor,
        filed_by_proxy=staff and not selectors.is_applicant_editor(actor, business),
    )
    application.area = area_of(application)
    with acting_as(actor):
        application.save()
    record_on_timeline(application, actor, _("申請を作成しました"))
    return application


def area_of(application: Application) -> Any:
    if application.street_id:
        return application.street.area
    if application.shop_id and application.shop.street_id:
        return application.shop.street.area
    if application.vacant_shop_id and application.vacant_shop.street_id:
        return application.vacant_shop.street.area
    return None


def clean_answer(question: FormQuestion, raw: Any) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    kind = question.kind
    if kind in (QuestionKind.TEXT, QuestionKind.TEXTAREA):
        text = str(raw).strip()
        if len(text) > ANSWER_LIMIT:
            raise ValidationError(ANSWER_TOO_LONG_MESSAGE, params={"limit": ANSWER_LIMIT})
        return text
    if kind == QuestionKind.INTEGER:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        text = normalize_code(str(raw)).replace(",", "")
        if not text.isdigit():
            raise ValidationError(ANSWER_NOT_INTEGER_MESSAGE, code="not_integer")
        return int(text)
    if kind == QuestionKind.YEN:
        return parse_amount(raw)
    if kind == QuestionKind.DATE:
        if isinstance(raw, dt.date):
            return raw.isoformat()
        text = normalize_code(str(raw))
        try:
            return dt.date.fromisoformat(text.replace("/", "-")).isoformat()
        except ValueError:
            try:
                return parse_wareki(text).isoformat()
            except ValueError:
                raise ValidationError(ANSWER_NOT_DATE_MESSAGE, code="not_date") from None
    if kind == QuestionKind.CHOICE:
        base = [line.strip() for line in question.choices_ja.splitlines() if line.strip()]
        if raw in base:
            return raw
        local = translated_choice_lines(question)
        if raw in local:
            return base[local.index(raw)]
        raise ValidationError(ANSWER_NOT_CHOICE_MESSAGE, code="not_choice")
    if kind == QuestionKind.YES_NO:
        if raw in (True, "yes", "true", "1", "on"):
            return "yes"
        if raw in (False, "no", "false", "0", "off"):
            return "no"
        raise ValidationError(ANSWER_NOT_CHOICE_MESSAGE, code="not_choice")
    raise ValidationError(ANSWER_NOT_CHOICE_MESSAGE, code="not_choice")


def clean_expenses(
    programme: Programme, lines: Sequence[Mapping[str, Any]]
) -> list[tuple[ExpenseCategory, str, int]]:
    categories = {c.pk: c for c in programme.expense_categories.all()}
    by_code = {c.code: c for c in categories.values()}
    cleaned = []
    errors = []
    for row, line in enumerate(lines, start=1):
        category_ref = line.get("category")
        description = str(line.get("description") or "").strip()
        amount_raw = line.get("amount")
        if not category_ref and not description and amount_raw in (None, ""):
            continue  # an empty row of the form
        category = (
            category_ref
            if isinstance(category_ref, ExpenseCategory)
            else categories.get(category_ref)
            if isinstance(category_ref, int)
            else by_code.get(str(category_ref))
            or categories.get(int(category_ref) if str(category_ref).isdigit() else -1)
        )
        if category is None or category.programme_id != programme.pk:
            errors.append(
                EXPENSE_LINE_MESSAGE
                % {"row": row, "error": WRONG_CATEGORY_MESSAGE % {"category": category_ref}}
            )
            continue
        if not description:
            errors.append(EXPENSE_LINE_MESSAGE % {"row": row, "error": EXPENSE_DESCRIPTION_MESSAGE})
            continue
        try:
            amount = parse_amount(amount_raw)
        except ValidationError as error:
            errors.append(EXPENSE_LINE_MESSAGE % {"row": row, "error": " ".join(error.messages)})
            continue
        cleaned.append((category, description[:200], amount))
    if errors:
        raise ValidationError({"expenses": errors})
    return cleaned


def _replace_expenses(
    application: Application, stage: str, lines: list[tuple[ExpenseCategory, str, int]]
) -> int:
    application.expenses.filter(stage=stage).delete()
    ExpenseLine.objects.bulk_create(
        ExpenseLine(
            application=application,
            stage=stage,
            category=category,
            description=description,
            amount_yen=amount,
            order=index,
        )
        for index, (category, description, amount) in enumerate(lines)
    )
    return sum(amount for _c, _d, amount in lines)


#: What the applicant (or staff filing for them) may change in a draft.
APPLICATION_FIELDS = frozenset(
    {
        "title",
        "summary",
        "shop",
        "street",
        "vacant_shop",
        "planned_start",
        "planned_end",
        "applicant_name",
        "representative_name",
        "postal_code",
        "address",
        "phone",
        "email",
    }
)


@busy_is_a_message
@transaction.atomic
def update_application(
    *,
    actor: User,
    application: Application,
    data: Mapping[str, Any],
    expenses: Sequence[Mapping[str, Any]] | None = None,
    answers: Mapping[str, Any] | None = None,
) -> Application:
    """Save a draft (or a returned application): its fields, planned expenses and answers.
    Types are checked now; completeness when it is submitted."""
    application = locked_application(application)
    require_applicant_side(actor, application, _("申請を編集する"))
    if not application.is_editable:
        raise ValidationError(
            NOT_EDITABLE_MESSAGE,
            code="not_editable",
            params={"status": application.get_status_display()},
        )
    unknown = set(data) - APPLICATION_FIELDS
    if unknown:
        raise TypeError(f"not application fields: {sorted(unknown)}")
    errors: dict[str, list[Any]] = {}
    for name, value in data.items():
        setattr(application, name, value.strip() if isinstance(value, str) else value)
    business = application.business
    if application.shop_id and application.shop.business_id != business.pk:
        errors.setdefault("shop", []).append(
            NOT_YOUR_RECORD_MESSAGE % {"field": Application._meta.get_field("shop").verbose_name}
        )
    if application.street_id and application.street.association_id != business.pk:
        errors.setdefault("street", []).append(
            NOT_YOUR_RECORD_MESSAGE % {"field": Application._meta.get_field("street").verbose_name}
        )
    if (
        application.planned_start
        and application.planned_end
        and application.planned_end < application.planned_start
    ):
        errors.setdefault("planned_end", []).append(DATES_ORDER_MESSAGE)
    application.postal_code = normalize_postal_code(application.postal_code)
    application.phone = normalize_phone_jp(application.phone)
    for name, check in (("postal_code", validate_postal_code), ("phone", validate_phone_jp)):
        if getattr(application, name):
            try:
                check(getattr(application, name))
            except ValidationError as error:
                errors.setdefault(name, []).extend(error.messages)
    if answers is not None:
        questions = {
            q.code: q for q in FormQuestion.objects.filter(section__programme=application.programme)
        }
        cleaned = dict(application.answers or {})
        for code, raw in answers.items():
            question = questions.get(code)
            if question is None:
                continue
            try:
                cleaned[code] = clean_answer(question, raw)
            except ValidationError as error:
                errors.setdefault(f"answer_{code}", []).extend(error.messages)
        application.answers = cleaned
    if expenses is not None:
        try:
            lines = clean_expenses(application.programme, expenses)
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            application.eligible_expense_yen = _replace_expenses(
                application, Stage.APPLICATION, lines
            )
    if errors:
        raise ValidationError(errors)
    application.requested_yen = programme_grant(
        application.programme, application.eligible_expense_yen
    )
    application.area = area_of(application)
    try:
        application.full_clean(
            exclude=["programme", "business", "created_by"], validate_constraints=False
        )
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    with acting_as(actor):
        application.save()
    return application


@busy_is_a_message
@transaction.atomic
def save_report(
    *,
    actor: User,
    application: Application,
    summary: str,
    expenses: Sequence[Mapping[str, Any]],
    requested: str | int | None = None,
) -> Application:
    """The completion report (実績報告) before it is filed: what was done, what it cost, and
    the amount asked for (by default what the rules give, never above the approved amount)."""
    application = locked_application(application)
    require_applicant_side(actor, application, _("実績報告を入力する"))
    if application.status != Status.WORK_COMPLETED:
        raise ValidationError(REPORT_NOT_OPEN_MESSAGE, code="report_not_open")
    lines = clean_expenses(application.programme, expenses)
    total = _replace_expenses(application, Stage.REPORT, lines)
    application.reported_expense_yen = total
    application.report_summary = summary.strip()
    by_rules = min(programme_grant(application.programme, total), application.approved_yen or 0)
    if requested in (None, ""):
        amount = by_rules
    else:
        try:
            amount = parse_amount(requested)
        except ValidationError as error:
            raise ValidationError({"requested": error.messages}) from error
    try:
        workflow.check_report_amount(application, amount)
    except ValidationError as error:
        raise ValidationError({"requested": error.messages}) from error
    application.report_requested_yen = amount
    with acting_as(actor):
        application.save()
    return application

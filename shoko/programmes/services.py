"""Every change to programmes and applications goes through here: keyword-only, typed, the
acting user passed in, one transaction per action, audited. Views, the API, admin actions, the
demo and the benchmark all call these.

The workflow's moves are defined once, in ``workflow.TRANSITIONS``; ``transition`` runs a row
of that table and each public function (``submit_application``, ``approve_application`` …) is
one such call with the effect of that move (budget, notice, dates).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.core import permissions
from shoko.core.audit import acting_as
from shoko.core.japan import FiscalYear, parse_wareki
from shoko.core.models import Membership
from shoko.core.numbering import next_number
from shoko.core.roles import Role
from shoko.core.text import normalize_code
from shoko.core.validators import (
    normalize_phone_jp,
    normalize_postal_code,
    validate_phone_jp,
    validate_postal_code,
)
from shoko.programmes import documents as documents_mod
from shoko.programmes import eligibility, notices, selectors, workflow
from shoko.programmes.models import (
    Application,
    ApplicationDocument,
    ApplicationWindow,
    DocumentRequest,
    ExpenseCategory,
    ExpenseLine,
    FileKind,
    FormQuestion,
    FormSection,
    Notice,
    NoticeKind,
    Programme,
    ProgrammeBudget,
    QuestionKind,
    RequiredDocument,
    Review,
    RubricCriterion,
    Stage,
    Status,
    Subject,
    TransitionLog,
)
from shoko.programmes.money import parse_amount, programme_grant, yen
from shoko.programmes.workflow import (  # noqa: F401  (re-exported: tests assert these)
    APPROVAL_AMOUNT_MESSAGE,
    BELOW_MINIMUM_MESSAGE,
    COMMENT_REQUIRED_MESSAGE,
    COMPLETED_IN_FUTURE_MESSAGE,
    CONFIRM_OVER_APPROVED_MESSAGE,
    INELIGIBLE_MESSAGE,
    MISSING_ANSWERS_MESSAGE,
    MISSING_DOCUMENTS_MESSAGE,
    NO_ACTUAL_EXPENSES_MESSAGE,
    NO_EXPENSES_MESSAGE,
    REPORT_OVER_APPROVED_MESSAGE,
    REPORT_OVER_RULES_MESSAGE,
    TRANSITIONS,
    WINDOW_CLOSED_MESSAGE,
    Actor,
)

if TYPE_CHECKING:
    from shoko.core.models import User
    from shoko.directory.models import Business

P = ParamSpec("P")
R = TypeVar("R")

NOT_ALLOWED_MESSAGE = _("「%(action)s」を行う権限がありません。")
WRONG_STATUS_MESSAGE = _("状態が「%(status)s」の申請には「%(action)s」はできません。")
ALREADY_DONE_MESSAGE = _(
    "この申請はすでに「%(status)s」です。同じ操作が二重に送信された可能性があります。"
)
BUSY_MESSAGE = _("ほかの職員が同時に処理しています。少し待ってからもう一度お試しください。")
BUDGET_EXCEEDED_MESSAGE = _(
    "予算が足りません。%(fy)s の残額は %(remaining)s 円のため、%(amount)s 円を交付決定できません。"
)
NO_BUDGET_MESSAGE = _("%(fy)s の予算が登録されていません。先に予算額を登録してください。")
BUDGET_BELOW_COMMITTED_MESSAGE = _(
    "予算額を、すでに交付決定した額（%(committed)s 円）より少なくはできません。"
)
NOT_EDITABLE_MESSAGE = _("状態が「%(status)s」の申請は変更できません。")
NOT_YOUR_RECORD_MESSAGE = _("選んだ%(field)sはこの申請者のものではありません。")
WRONG_CATEGORY_MESSAGE = _("経費区分「%(category)s」はこの事業の対象ではありません。")
EXPENSE_LINE_MESSAGE = _("経費 %(row)s 行目: %(error)s")
EXPENSE_DESCRIPTION_MESSAGE = _("内容を入力してください。")
DATES_ORDER_MESSAGE = _("事業完了予定日は事業開始予定日より後にしてください。")
ANSWER_NOT_INTEGER_MESSAGE = _("整数で入力してください（全角数字も使えます）。")
ANSWER_NOT_DATE_MESSAGE = _("日付を 2026-04-01 や 令和8年4月1日 のように入力してください。")
ANSWER_NOT_CHOICE_MESSAGE = _("選択肢から選んでください。")
ANSWER_TOO_LONG_MESSAGE = _("%(limit)s 文字以内で入力してください。")
DOCUMENT_NOT_OF_PROGRAMME_MESSAGE = _("この書類はこの事業の提出書類ではありません。")
DOCUMENT_STAGE_CLOSED_MESSAGE = _("いまは「%(document)s」を提出できません（状態: %(status)s）。")
NOT_A_REVIEWER_MESSAGE = _("この申請を審査する権限がありません。")
REVIEW_NOT_OPEN_MESSAGE = _("審査中の申請だけを採点できます。")
CONFLICT_MEMBER_MESSAGE = _(
    "あなたは申請者の組織のメンバーのため、この申請を採点できません（利害関係による除斥）。"
)
CONFLICT_DECLARED_MESSAGE = _("利害関係を申し出ているため、この申請を採点できません。")
SCORE_RANGE_MESSAGE = _("「%(criterion)s」の評点は 0〜%(max)s の整数で入力してください。")
ASSIGNEE_NOT_STAFF_MESSAGE = _("担当者には、この事業の担当課の職員を選んでください。")
REPORT_NOT_OPEN_MESSAGE = _("実績報告は、事業完了を届け出た後に入力できます。")
ANSWER_LIMIT = 4000

DEMO_CONFIGURATION_NOTE = _(
    "この事業の補助率・上限額・予算・募集期間はデモ用の設定値です。区の実際の制度・金額ではありません。"
)


def _busy_is_a_message(function: Callable[P, R]) -> Callable[P, R]:
    """A write that cannot get its lock in time (SQLite busy, a PostgreSQL deadlock) becomes a
    clear "try again" for the person, never a half-done change (the transaction rolled back)."""

    @wraps(function)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except OperationalError as error:
            text = str(error).lower()
            if "lock" in text or "deadlock" in text or "busy" in text:
                raise ValidationError(BUSY_MESSAGE, code="busy") from error
            raise

    return wrapped


# --- Who is acting --------------------------------------------------------------------------------


def is_programme_staff(user: Any, programme: Programme) -> bool:
    """The programme's division staff (or an admin): they decide its applications."""
    return permissions.has_role(user, Role.ADMIN, programme.staff_role)


def is_applicant_editor(user: Any, business: Business) -> bool:
    """A representative or manager of the business (read-only members may only look)."""
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user,
        organisation_id=business.organisation_id,
        role__in=[Membership.Role.REPRESENTATIVE, Membership.Role.MANAGER],
    ).exists()


def actor_kinds(user: Any, application: Application) -> frozenset[Actor]:
    kinds: set[Actor] = set()
    if is_programme_staff(user, application.programme):
        kinds |= {Actor.STAFF, Actor.PROXY}
    if is_applicant_editor(user, application.business):
        kinds.add(Actor.APPLICANT)
    return frozenset(kinds)


def may_act_for_applicant(user: Any, application: Application) -> bool:
    return bool(actor_kinds(user, application) & workflow.APPLICANT_SIDE)


def require_applicant_side(user: Any, application: Application, action: Any) -> set[Actor]:
    kinds = actor_kinds(user, application) & workflow.APPLICANT_SIDE
    if not kinds:
        raise PermissionDenied(NOT_ALLOWED_MESSAGE % {"action": action})
    return set(kinds)


def _require_staff(user: Any, programme: Programme, action: Any) -> None:
    if not is_programme_staff(user, programme):
        raise PermissionDenied(NOT_ALLOWED_MESSAGE % {"action": action})


# --- Numbers --------------------------------------------------------------------------------------


def _application_number(application: Application) -> str:
    return f"{application.fiscal_year}-{next_number(f'application:{application.fiscal_year}'):05d}"


# --- Programmes (staff edit them; history through the audit trail) --------------------------------


PROGRAMME_FIELDS = {
    "name_ja", "name_en", "name_zh_hans", "name_zh_hant", "name_ko",
    "summary_ja", "summary_en", "summary_zh_hans", "summary_zh_hant", "summary_ko",
    "description_ja", "description_en", "description_zh_hans", "description_zh_hant",
    "description_ko", "configuration_note_ja", "configuration_note_en",
    "configuration_note_zh_hans", "configuration_note_zh_hant", "configuration_note_ko",
    "plan_item", "division", "subject", "eligibility_rules", "rate_numerator",
    "rate_denominator", "cap_yen", "minimum_expense_yen", "rounding_unit", "rounding",
    "report_due_days", "notice_prefix", "is_published", "order",
}  # fmt: skip
RATE_MESSAGE = _("補助率は 0 より大きく 1 以下の分数にしてください（例: 2/3）。")


@transaction.atomic
def update_programme(*, actor: User, programme: Programme, data: Mapping[str, Any]) -> Programme:
    """Change a programme's definition (its history is kept by the audit trail)."""
    _require_staff(actor, programme, _("事業の設定を変更する"))
    unknown = set(data) - PROGRAMME_FIELDS
    if unknown:
        raise TypeError(f"not programme fields: {sorted(unknown)}")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    for name, value in data.items():
        setattr(programme, name, value)
    programme.eligibility_rules = eligibility.validate_rules(programme.eligibility_rules)
    if not (0 < programme.rate_numerator <= programme.rate_denominator):
        raise ValidationError({"rate_numerator": RATE_MESSAGE})
    programme.full_clean(exclude=["code"], validate_constraints=False)
    with acting_as(actor):
        programme.save()
    return programme


@_busy_is_a_message
@transaction.atomic
def set_budget(
    *, actor: User, programme: Programme, fiscal_year: int, amount: str | int
) -> ProgrammeBudget:
    """Set the budget of a programme for a fiscal year (never below what is committed)."""
    _require_staff(actor, programme, _("予算を登録する"))
    amount_yen = parse_amount(amount)
    FiscalYear(fiscal_year)  # range check
    with acting_as(actor):
        budget, _created = ProgrammeBudget.objects.get_or_create(
            programme=programme, fiscal_year=fiscal_year, defaults={"amount_yen": amount_yen}
        )
        budget = ProgrammeBudget.objects.select_for_update().get(pk=budget.pk)
        if amount_yen < budget.committed_yen:
            raise ValidationError(
                {"amount": ValidationError(
                    BUDGET_BELOW_COMMITTED_MESSAGE, code="below_committed",
                    params={"committed": yen(budget.committed_yen)},
                )}
            )  # fmt: skip
        budget.amount_yen = amount_yen
        budget.save()
    return budget


@transaction.atomic
def add_window(
    *,
    actor: User,
    programme: Programme,
    fiscal_year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    label: str = "",
) -> ApplicationWindow:
    _require_staff(actor, programme, _("募集期間を登録する"))
    window = ApplicationWindow(
        programme=programme,
        fiscal_year=FiscalYear(fiscal_year).year,
        opens_on=opens_on,
        closes_on=closes_on,
        label=label,
    )
    if opens_on > closes_on:
        raise ValidationError({"closes_on": DATES_ORDER_MESSAGE})
    with acting_as(actor):
        window.save()
    return window


@transaction.atomic
def delete_window(*, actor: User, window: ApplicationWindow) -> None:
    _require_staff(actor, window.programme, _("募集期間を削除する"))
    with acting_as(actor):
        window.delete()


@transaction.atomic
def recompute_budget(*, programme: Programme, fiscal_year: int) -> ProgrammeBudget:
    """Rebuild a budget row's committed, confirmed and paid sums from its applications (after a
    data import; the workflow keeps them up to date on its own)."""
    budget = ProgrammeBudget.objects.select_for_update().get(
        programme=programme, fiscal_year=fiscal_year
    )
    committed = confirmed = paid = 0
    for app in Application.objects.filter(
        programme=programme, fiscal_year=fiscal_year, status__in=workflow_granted()
    ):
        committed += app.confirmed_yen if app.confirmed_yen is not None else app.approved_yen or 0
        confirmed += app.confirmed_yen or 0
        paid += app.paid_yen or 0
    budget.committed_yen, budget.confirmed_yen, budget.paid_yen = committed, confirmed, paid
    budget.save()
    return budget


def workflow_granted() -> list[str]:
    from shoko.programmes.models import GRANTED_STATUSES

    return [str(s) for s in GRANTED_STATUSES]


# --- Programme lists: categories, documents, form sections and questions, rubric ------------------
#
# Staff prepare each year's call for applications on the staff screens. Every write locks the
# programme row first, so that two staff (or a double submit) adding, moving or deleting items
# of one programme run one after the other: codes stay unique and orders stay a clean sequence.
# Once an application has been submitted (past 下書き), what it refers to is fixed: an expense
# category with its lines, a document with its files, a question with its answer, a criterion
# with its scores cannot be deleted, nor their codes, a question's kind or a criterion's scoring
# changed; wording may still be corrected. Drafts follow the change (their stale data is removed).


class ListKind(StrEnum):
    """The lists of a programme's definition that staff edit item by item."""

    CATEGORIES = "categories"
    DOCUMENTS = "documents"
    SECTIONS = "sections"
    QUESTIONS = "questions"
    RUBRIC = "rubric"


ListItem = ExpenseCategory | RequiredDocument | FormSection | FormQuestion | RubricCriterion

LIST_MODELS: dict[ListKind, type[ListItem]] = {
    ListKind.CATEGORIES: ExpenseCategory,
    ListKind.DOCUMENTS: RequiredDocument,
    ListKind.SECTIONS: FormSection,
    ListKind.QUESTIONS: FormQuestion,
    ListKind.RUBRIC: RubricCriterion,
}
LANGUAGE_SUFFIXES = ("ja", "en", "zh_hans", "zh_hant", "ko")


def _translated(*names: str) -> set[str]:
    return {f"{name}_{suffix}" for name in names for suffix in LANGUAGE_SUFFIXES}


#: The fields each kind of item takes from staff; anything else is a programming error.
LIST_FIELDS: dict[ListKind, frozenset[str]] = {
    ListKind.CATEGORIES: frozenset({"code", *_translated("name")}),
    ListKind.DOCUMENTS: frozenset(
        {
            "code",
            "stage",
            "file_kinds",
            "max_bytes",
            "is_required",
            *_translated("name", "help_text"),
        }
    ),
    ListKind.SECTIONS: frozenset(_translated("title")),
    ListKind.QUESTIONS: frozenset(
        {"section", "code", "kind", "is_required", *_translated("label", "help_text", "choices")}
    ),
    ListKind.RUBRIC: frozenset(
        {"code", "weight", "max_score", *_translated("name", "description")}
    ),
}
#: The translated field every item needs in Japanese (the language the others fall back to).
LIST_TITLE_FIELD = {
    ListKind.CATEGORIES: "name",
    ListKind.DOCUMENTS: "name",
    ListKind.SECTIONS: "title",
    ListKind.QUESTIONS: "label",
    ListKind.RUBRIC: "name",
}
MAX_SCORE_LIMIT = 1000
WEIGHT_LIMIT = 100

ITEM_IN_USE_MESSAGE = _(
    "「%(item)s」は提出済みの申請で使われているため削除できません。文言の修正はできます。"
)
CODE_IN_USE_MESSAGE = _("提出済みの申請で使われているため、コードは変更できません。")
KIND_IN_USE_MESSAGE = _(
    "提出済みの申請が回答しているため、設問の種類は変更できません。文言の修正はできます。"
)
SCORING_IN_USE_MESSAGE = _(
    "提出済みの申請が採点されているため、満点と重みは変更できません。文言の修正はできます。"
)
CODE_TAKEN_MESSAGE = _("コード「%(code)s」はこの事業ですでに使われています。")
CODE_FORMAT_MESSAGE = _(
    "コードは半角の英数字・ハイフン・アンダースコアで40文字以内にしてください（例: quote）。"
)
JAPANESE_REQUIRED_MESSAGE = _(
    "日本語を入力してください（ほかの言語は空欄なら日本語が表示されます）。"
)
MAX_SCORE_MESSAGE = _("満点は 1〜%(limit)s の整数で入力してください（全角数字も使えます）。")
WEIGHT_MESSAGE = _("重みは 0〜%(limit)s の整数で入力してください（全角数字も使えます）。")
MAX_BYTES_MESSAGE = _(
    "最大サイズは 1 以上のバイト数で入力してください"
    "（全角数字も使えます。空欄ならサイト全体の上限）。"
)
FILE_KINDS_MESSAGE = _("受け付けるファイル形式を1つ以上選んでください。")
UNKNOWN_CHOICE_MESSAGE = _("「%(value)s」は選べる値ではありません。")
CHOICES_REQUIRED_MESSAGE = _("選択肢の設問には、日本語の選択肢を1行に1つ以上入力してください。")
DUPLICATE_CHOICE_MESSAGE = _("選択肢「%(choice)s」が重複しています。")
SECTION_NOT_OF_PROGRAMME_MESSAGE = _("この区分はこの事業の申請書のものではありません。")
SECTION_TITLE_TAKEN_MESSAGE = _("見出し「%(title)s」の区分はすでにあります。")
EDIT_LISTS_ACTION = _("申請書の項目を変更する")
#: What submitted applications rely on, by kind of item, and the message refusing a change.
FIXED_WHEN_IN_USE: dict[ListKind, dict[str, Any]] = {
    ListKind.CATEGORIES: {"code": CODE_IN_USE_MESSAGE},
    ListKind.DOCUMENTS: {"code": CODE_IN_USE_MESSAGE},
    ListKind.SECTIONS: {},
    ListKind.QUESTIONS: {"code": CODE_IN_USE_MESSAGE, "kind": KIND_IN_USE_MESSAGE},
    ListKind.RUBRIC: {
        "code": CODE_IN_USE_MESSAGE,
        "max_score": SCORING_IN_USE_MESSAGE,
        "weight": SCORING_IN_USE_MESSAGE,
    },
}


def list_kind_of(item: ListItem) -> ListKind:
    return next(kind for kind, model in LIST_MODELS.items() if isinstance(item, model))


def programme_id_of(item: ListItem) -> int:
    return item.section.programme_id if isinstance(item, FormQuestion) else item.programme_id


def _lock_programme(actor: User, programme_id: int) -> Programme:
    """The programme's row lock serialises every change to its lists (see above)."""
    programme = Programme.objects.select_for_update().get(pk=programme_id)
    _require_staff(actor, programme, EDIT_LISTS_ACTION)
    return programme


def _siblings(item: ListItem) -> QuerySet:
    """The items ``item`` is ordered among (a document among those of its stage, a question
    among those of its section), in their display order."""
    model = type(item)
    if isinstance(item, FormQuestion):
        return model.objects.filter(section_id=item.section_id).order_by("order", "pk")
    siblings = model.objects.filter(programme_id=item.programme_id)
    if isinstance(item, RequiredDocument):
        siblings = siblings.filter(stage=item.stage)
    return siblings.order_by("order", "pk")


def _next_order(item: ListItem) -> int:
    last = _siblings(item).exclude(pk=item.pk).aggregate(last=Max("order"))["last"]
    return (last or 0) + 10


def _count(raw: Any, *, field: str, low: int, high: int, message: Any) -> int:
    """A small count typed by staff: an int, or text with full-width digits."""
    if isinstance(raw, bool):
        raise ValidationError({field: ValidationError(message, params={"limit": high})})
    text = normalize_code(str(raw)) if not isinstance(raw, int) else str(raw)
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise ValidationError({field: ValidationError(message, params={"limit": high})})
    return int(text)


def _choice_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _set_fields(
    item: ListItem, kind: ListKind, programme: Programme, data: Mapping[str, Any]
) -> dict[str, list[Any]]:
    """Tidy and set what staff typed; return the errors found by field."""
    unknown = set(data) - LIST_FIELDS[kind]
    if unknown:
        raise TypeError(f"not {kind} fields: {sorted(unknown)}")
    errors: dict[str, list[Any]] = {}

    def fail(field: str, error: ValidationError) -> None:
        errors.setdefault(field, []).extend(error.messages)

    for name, value in data.items():
        if name == "code":
            value = normalize_code(str(value or "")).lower()
        elif name in ("weight", "max_score", "max_bytes"):
            if name == "max_bytes" and value in (None, ""):
                value = None
            else:
                limits = {
                    "weight": (0, WEIGHT_LIMIT, WEIGHT_MESSAGE),
                    "max_score": (1, MAX_SCORE_LIMIT, MAX_SCORE_MESSAGE),
                    "max_bytes": (1, 2**31 - 1, MAX_BYTES_MESSAGE),
                }[name]
                try:
                    value = _count(
                        value, field=name, low=limits[0], high=limits[1], message=limits[2]
                    )
                except ValidationError as error:
                    fail(name, error)
                    continue
        elif name == "section":
            if not isinstance(value, FormSection):
                pk = str(value or "")
                value = FormSection.objects.filter(pk=pk).first() if pk.isdigit() else None
            if value is None or value.programme_id != programme.pk:
                fail(name, ValidationError(SECTION_NOT_OF_PROGRAMME_MESSAGE))
                continue
        elif isinstance(value, str):
            value = value.strip()
        setattr(item, name, value)
    title = LIST_TITLE_FIELD[kind]
    if not str(getattr(item, f"{title}_ja") or "").strip():
        fail(f"{title}_ja", ValidationError(JAPANESE_REQUIRED_MESSAGE))
    if kind != ListKind.SECTIONS and not re.fullmatch(r"[-a-z0-9_]{1,40}", item.code or ""):
        fail("code", ValidationError(CODE_FORMAT_MESSAGE))
    for name, choices in (("stage", Stage), ("kind", QuestionKind)):
        if name in LIST_FIELDS[kind] and getattr(item, name) not in choices.values:
            fail(
                name, ValidationError(UNKNOWN_CHOICE_MESSAGE, params={"value": getattr(item, name)})
            )
    if kind == ListKind.DOCUMENTS:
        given = item.file_kinds or []
        kinds = list(dict.fromkeys([given] if isinstance(given, str) else given))
        wrong = [k for k in kinds if k not in FileKind.values]
        if wrong:
            fail("file_kinds", ValidationError(UNKNOWN_CHOICE_MESSAGE, params={"value": wrong[0]}))
        elif not kinds:
            fail("file_kinds", ValidationError(FILE_KINDS_MESSAGE))
        item.file_kinds = kinds
    if kind == ListKind.QUESTIONS and item.kind == QuestionKind.CHOICE:
        lines = _choice_lines(item.choices_ja)
        if not lines:
            fail("choices_ja", ValidationError(CHOICES_REQUIRED_MESSAGE))
        for suffix in LANGUAGE_SUFFIXES:
            seen: set[str] = set()
            for line in _choice_lines(getattr(item, f"choices_{suffix}")):
                if line in seen:
                    fail(
                        f"choices_{suffix}",
                        ValidationError(DUPLICATE_CHOICE_MESSAGE, params={"choice": line}),
                    )
                seen.add(line)
    return errors


def _check_against_programme(
    item: ListItem, kind: ListKind, programme: Programme, errors: dict[str, list[Any]]
) -> None:
    """Uniqueness within the programme and what submitted applications have fixed."""
    model = type(item)
    if kind == ListKind.SECTIONS:
        same = model.objects.filter(programme=programme, title_ja=item.title_ja)
        if same.exclude(pk=item.pk).exists():
            errors.setdefault("title_ja", []).append(
                SECTION_TITLE_TAKEN_MESSAGE % {"title": item.title_ja}
            )
        return
    # Answers are keyed by question code across the whole form, not per section.
    same = (
        model.objects.filter(section__programme=programme)
        if kind == ListKind.QUESTIONS
        else model.objects.filter(programme=programme)
    )
    if "code" not in errors and same.filter(code=item.code).exclude(pk=item.pk).exists():
        errors.setdefault("code", []).append(CODE_TAKEN_MESSAGE % {"code": item.code})
    if item.pk is None:
        return
    before = model.objects.get(pk=item.pk)
    if not selectors.list_references(programme).in_use(before):
        return
    for name, message in FIXED_WHEN_IN_USE[kind].items():
        if getattr(before, name) != getattr(item, name):
            errors.setdefault(name, []).append(message)


def _save_item(actor: User, item: ListItem) -> ListItem:
    try:
        item.full_clean(exclude=["programme", "section", "order"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    with acting_as(actor):
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError as error:  # the constraints' last word on duplicate codes
            raise ValidationError(
                {"code": CODE_TAKEN_MESSAGE % {"code": getattr(item, "code", "")}}
            ) from error
    return item


def _draft_applications(programme: Programme) -> QuerySet[Application]:
    return Application.objects.filter(programme=programme, status=Status.DRAFT)


def _update_draft_answers(
    programme: Programme, code: str, change: Callable[[dict[str, Any]], bool], actor: User
) -> None:
    """Apply ``change`` to the answers of the drafts that answered question ``code``."""
    with acting_as(actor):
        for application in _draft_applications(programme).filter(answers__has_key=code):
            answers = dict(application.answers)
            if change(answers):
                application.answers = answers
                application.save(update_fields=["answers", "updated_at"])


def _follow_question_change(before: FormQuestion, after: FormQuestion, actor: User) -> None:
    """Drafts keep working when a question changes: its answers move with its code, and those
    the question no longer accepts (another kind, a removed choice) are asked again."""
    programme = after.section.programme

    def change(answers: dict[str, Any]) -> bool:
        value = answers.pop(before.code)
        if value in (None, ""):
            answers[after.code] = value
            return True
        try:
            answers[after.code] = _clean_answer(after, value)
        except ValidationError:
            answers.pop(after.code, None)
        return True

    if (
        before.code != after.code
        or before.kind != after.kind
        or before.choices_ja != after.choices_ja
    ):
        _update_draft_answers(programme, before.code, change, actor)


@_busy_is_a_message
@transaction.atomic
def add_list_item(
    *, actor: User, programme: Programme, kind: ListKind, data: Mapping[str, Any]
) -> ListItem:
    """Add an item at the end of its list (after the others of its stage or section)."""
    kind = ListKind(kind)
    programme = _lock_programme(actor, programme.pk)
    item = LIST_MODELS[kind]()
    if kind != ListKind.QUESTIONS:
        item.programme = programme
    errors = _set_fields(item, kind, programme, data)
    if kind == ListKind.QUESTIONS and not item.section_id and "section" not in errors:
        errors["section"] = [SECTION_NOT_OF_PROGRAMME_MESSAGE]
    _check_against_programme(item, kind, programme, errors)
    if errors:
        raise ValidationError(errors)
    item.order = _next_order(item)
    return _save_item(actor, item)


@_busy_is_a_message
@transaction.atomic
def update_list_item(*, actor: User, item: ListItem, data: Mapping[str, Any]) -> ListItem:
    """Correct an item; what submitted applications rely on stays as it was."""
    kind = list_kind_of(item)
    programme = _lock_programme(actor, programme_id_of(item))
    item = type(item).objects.get(pk=item.pk)
    before = type(item).objects.get(pk=item.pk)
    errors = _set_fields(item, kind, programme, data)
    _check_against_programme(item, kind, programme, errors)
    if errors:
        raise ValidationError(errors)
    regrouped = (kind == ListKind.QUESTIONS and before.section_id != item.section_id) or (
        kind == ListKind.DOCUMENTS and before.stage != item.stage
    )
    if regrouped:
        item.order = _next_order(item)
    _save_item(actor, item)
    if kind == ListKind.QUESTIONS:
        _follow_question_change(before, item, actor)
    return item


@_busy_is_a_message
@transaction.atomic
def move_list_item(*, actor: User, item: ListItem, up: bool) -> ListItem:
    """Swap an item with its neighbour and number the list 10, 20, 30 … again."""
    _lock_programme(actor, programme_id_of(item))
    siblings = list(_siblings(item))
    index = next((i for i, sibling in enumerate(siblings) if sibling.pk == item.pk), None)
    if index is None:
        return item
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    with acting_as(actor):
        for position, sibling in enumerate(siblings, start=1):
            if sibling.order != position * 10:
                sibling.order = position * 10
                sibling.save(update_fields=["order"])
    return next(sibling for sibling in siblings if sibling.pk == item.pk)


@_busy_is_a_message
@transaction.atomic
def delete_list_item(*, actor: User, item: ListItem) -> None:
    """Delete an item no submitted application refers to; drafts lose what referred to it.
    Deleting what is already gone (a double submit) does nothing."""
    kind = list_kind_of(item)
    programme = _lock_programme(actor, programme_id_of(item))
    item = type(item).objects.filter(pk=item.pk).first()
    if item is None:
        return
    if selectors.list_references(programme).in_use(item):
        raise ValidationError(ITEM_IN_USE_MESSAGE, code="in_use", params={"item": str(item)})
    with acting_as(actor):
        if kind == ListKind.CATEGORIES:
            drafts = list(_draft_applications(programme).filter(expenses__category=item).distinct())
            ExpenseLine.objects.filter(category=item).delete()
            for application in drafts:
                application.eligible_expense_yen = sum(
                    application.expenses.filter(stage=Stage.APPLICATION).values_list(
                        "amount_yen", flat=True
                    )
                )
                application.requested_yen = programme_grant(
                    programme, application.eligible_expense_yen
                )
                application.save(update_fields=["eligible_expense_yen", "requested_yen"])
        elif kind == ListKind.DOCUMENTS:
            for document in ApplicationDocument.objects.filter(requirement=item):
                stored = document.file
                document.delete()
                transaction.on_commit(lambda stored=stored: stored.delete(save=False))
        questions = (
            [item]
            if kind == ListKind.QUESTIONS
            else list(item.questions.all())
            if kind == ListKind.SECTIONS
            else []
        )
        item.delete()
    for question in questions:
        _update_draft_answers(programme, question.code, _forget(question.code), actor)


def _forget(code: str) -> Callable[[dict[str, Any]], bool]:
    def change(answers: dict[str, Any]) -> bool:
        answers.pop(code, None)
        return True

    return change


# --- Applications: drafts -------------------------------------------------------------------------


def open_window(programme: Programme, on: dt.date | None = None) -> ApplicationWindow | None:
    on = on or timezone.localdate()
    return (
        programme.windows.filter(opens_on__lte=on, closes_on__gte=on).order_by("closes_on").first()
    )


@_busy_is_a_message
@transaction.atomic
def create_application(*, actor: User, programme: Programme, business: Business) -> Application:
    """Start a draft, prefilled from the business record (once-only). A second click returns
    the draft already started; staff who start one file it on the business's behalf (代理申請)."""
    staff = is_programme_staff(actor, programme)
    if not staff and not is_applicant_editor(actor, business):
        raise PermissionDenied(NOT_ALLOWED_MESSAGE % {"action": _("申請を始める")})
    window = open_window(programme)
    probe = Application(programme=programme, business=business)
    if window is None or not programme.is_published:
        probe.fiscal_year = FiscalYear.current().year
        workflow.check_window(probe)  # raises with the next opening, if any
        raise ValidationError(
            WINDOW_CLOSED_MESSAGE, code="window_closed",
            params={"programme": programme.name, "next": ""},
        )  # fmt: skip
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
        filed_by_proxy=staff and not is_applicant_editor(actor, business),
    )
    application.area = _area_of(application)
    with acting_as(actor):
        application.save()
    _timeline(application, actor, _("申請を作成しました"))
    return application


def _area_of(application: Application) -> Any:
    if application.street_id:
        return application.street.area
    if application.shop_id and application.shop.street_id:
        return application.shop.street.area
    if application.vacant_shop_id and application.vacant_shop.street_id:
        return application.vacant_shop.street.area
    return None


def _clean_answer(question: FormQuestion, raw: Any) -> Any:
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
        from shoko.programmes.models import translated_choice_lines

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


def _clean_expenses(
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


APPLICATION_FIELDS = (
    "title", "summary", "shop", "street", "vacant_shop", "planned_start", "planned_end",
    "applicant_name", "representative_name", "postal_code", "address", "phone", "email",
)  # fmt: skip


@_busy_is_a_message
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
    application = _locked(application)
    require_applicant_side(actor, application, _("申請を編集する"))
    if not application.is_editable:
        raise ValidationError(
            NOT_EDITABLE_MESSAGE, code="not_editable",
            params={"status": application.get_status_display()},
        )  # fmt: skip
    unknown = set(data) - set(APPLICATION_FIELDS)
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
                cleaned[code] = _clean_answer(question, raw)
            except ValidationError as error:
                errors.setdefault(f"answer_{code}", []).extend(error.messages)
        application.answers = cleaned
    if expenses is not None:
        try:
            lines = _clean_expenses(application.programme, expenses)
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
    application.area = _area_of(application)
    try:
        application.full_clean(
            exclude=["programme", "business", "created_by"], validate_constraints=False
        )
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    with acting_as(actor):
        application.save()
    return application


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "business")
        .get(pk=application.pk)
    )


# --- Documents ------------------------------------------------------------------------------------


def document_open(application: Application, requirement: RequiredDocument) -> bool:
    if requirement.stage == Stage.REPORT:
        return application.status == Status.WORK_COMPLETED
    if application.is_editable:
        return True
    return application.document_requests.filter(
        Q(requirement=requirement) | Q(requirement__isnull=True), fulfilled_at__isnull=True
    ).exists()


@_busy_is_a_message
@transaction.atomic
def upload_document(
    *, actor: User, application: Application, requirement: RequiredDocument, upload: Any
) -> ApplicationDocument:
    """Store a new version of a document after checking its content, kind, size and for
    viruses. Earlier versions are kept; the newest is current."""
    application = _locked(application)
    require_applicant_side(actor, application, _("書類を提出する"))
    if requirement.programme_id != application.programme_id:
        raise ValidationError(DOCUMENT_NOT_OF_PROGRAMME_MESSAGE, code="wrong_programme")
    if not document_open(application, requirement):
        raise ValidationError(
            DOCUMENT_STAGE_CLOSED_MESSAGE,
            code="stage_closed",
            params={"document": requirement.name, "status": application.get_status_display()},
        )
    checked = documents_mod.check_upload(
        upload, allowed=requirement.file_kinds, limit=requirement.size_limit
    )
    previous = application.documents.filter(requirement=requirement)
    version = (previous.aggregate(last=Max("version"))["last"] or 0) + 1
    with acting_as(actor):
        previous.filter(is_current=True).update(is_current=False)
        document = ApplicationDocument(
            application=application,
            requirement=requirement,
            stage=requirement.stage,
            version=version,
            original_name=checked.name,
            kind=checked.kind,
            size=checked.size,
            sha256=checked.sha256,
            scan=ApplicationDocument.Scan.CLEAN
            if checked.scanned
            else ApplicationDocument.Scan.NOT_SCANNED,
            uploaded_by=actor,
        )
        document.file.save(checked.name, ContentFile(checked.data), save=False)
        document.save()
        application.document_requests.filter(
            Q(requirement=requirement) | Q(requirement__isnull=True), fulfilled_at__isnull=True
        ).update(fulfilled_at=timezone.now())
    return document


@transaction.atomic
def request_documents(
    *,
    actor: User,
    application: Application,
    message: str,
    requirement: RequiredDocument | None = None,
) -> DocumentRequest:
    """Ask the applicant for a missing or better document; they are told by email."""
    application = _locked(application)
    _require_staff(actor, application.programme, _("書類の提出を依頼する"))
    if not message.strip():
        raise ValidationError({"message": COMMENT_REQUIRED_MESSAGE})
    if requirement is not None and requirement.programme_id != application.programme_id:
        raise ValidationError(DOCUMENT_NOT_OF_PROGRAMME_MESSAGE, code="wrong_programme")
    with acting_as(actor):
        request = DocumentRequest.objects.create(
            application=application,
            requirement=requirement,
            message=message.strip(),
            requested_by=actor,
        )
    transaction.on_commit(lambda: notify_document_request(request.pk))
    return request


# --- Staff work: assignment and review ------------------------------------------------------------


@transaction.atomic
def assign_application(
    *, actor: User, application: Application, assignee: User | None
) -> Application:
    application = _locked(application)
    _require_staff(actor, application.programme, _("担当者を決める"))
    if assignee is not None and not is_programme_staff(assignee, application.programme):
        raise ValidationError({"assignee": ASSIGNEE_NOT_STAFF_MESSAGE})
    application.assigned_to = assignee
    with acting_as(actor):
        application.save(update_fields=["assigned_to", "updated_at"])
    return application


def is_reviewer(user: Any, application: Application) -> bool:
    """Reviewers: the programme's staff and judges (審査員)."""
    return is_programme_staff(user, application.programme) or permissions.has_role(user, Role.JUDGE)


@transaction.atomic
def declare_conflict(*, actor: User, application: Application, note: str = "") -> Review:
    """A reviewer steps aside from an application (利害関係の申出); their scores are removed."""
    application = _locked(application)
    if not is_reviewer(actor, application):
        raise PermissionDenied(NOT_A_REVIEWER_MESSAGE)
    with acting_as(actor):
        review, _created = Review.objects.get_or_create(application=application, reviewer=actor)
        review.conflict_declared = True
        review.conflict_note = note.strip()[:300]
        review.scores = {}
        review.save()
    return review


@transaction.atomic
def score_application(
    *, actor: User, application: Application, scores: Mapping[str, Any], comment: str = ""
) -> Review:
    """Record one reviewer's rubric scores. Members of the applying organisation and those who
    declared a conflict cannot score (recusal)."""
    application = _locked(application)
    if not is_reviewer(actor, application):
        raise PermissionDenied(NOT_A_REVIEWER_MESSAGE)
    if permissions.is_member_of(actor, application.business.organisation_id):
        raise ValidationError(CONFLICT_MEMBER_MESSAGE, code="conflict_member")
    review = Review.objects.filter(application=application, reviewer=actor).first()
    if review is not None and review.conflict_declared:
        raise ValidationError(CONFLICT_DECLARED_MESSAGE, code="conflict_declared")
    if application.status != Status.UNDER_REVIEW:
        raise ValidationError(REVIEW_NOT_OPEN_MESSAGE, code="review_not_open")
    cleaned: dict[str, int] = {}
    errors = []
    for criterion in application.programme.rubric.all():
        raw = scores.get(criterion.code)
        text = normalize_code(str(raw)) if raw is not None else ""
        if not text.isdigit() or not 0 <= int(text) <= criterion.max_score:
            errors.append(
                ValidationError(
                    SCORE_RANGE_MESSAGE,
                    code="score_range",
                    params={"criterion": criterion.name, "max": criterion.max_score},
                )
            )
            continue
        cleaned[criterion.code] = int(text)
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        review = review or Review(application=application, reviewer=actor)
        review.scores = cleaned
        review.comment = comment.strip()
        review.save()
    return review


# --- The workflow ---------------------------------------------------------------------------------


@_busy_is_a_message
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
        locked = _locked(application)
        kinds = set(actor_kinds(actor, locked) & move.actors)
        if not kinds:
            raise PermissionDenied(NOT_ALLOWED_MESSAGE % {"action": move.label})
        if locked.status not in move.sources:
            if locked.status == move.target:
                raise ValidationError(
                    ALREADY_DONE_MESSAGE, code="already_done",
                    params={"status": locked.get_status_display()},
                )  # fmt: skip
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
        _timeline(locked, actor, move.label)
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


@_busy_is_a_message
def submit_application(*, actor: User, application: Application) -> Application:
    def effect(app: Application, kinds: set[Actor]) -> None:
        if not app.number:
            app.number = _application_number(app)
        app.submitted_at = timezone.now()
        if Actor.APPLICANT not in kinds:
            app.filed_by_proxy = True

    return transition("submit", actor=actor, application=application, effect=effect)


@_busy_is_a_message
def return_application(*, actor: User, application: Application, comment: str) -> Application:
    def effect(app: Application, kinds: set[Actor]) -> None:
        app.last_comment = comment.strip()

    return transition(
        "return", actor=actor, application=application, comment=comment, effect=effect
    )


@_busy_is_a_message
def resubmit_application(
    *, actor: User, application: Application, comment: str = ""
) -> Application:
    def effect(app: Application, kinds: set[Actor]) -> None:
        app.last_comment = ""

    return transition(
        "resubmit", actor=actor, application=application, comment=comment, effect=effect
    )


@_busy_is_a_message
def start_review(*, actor: User, application: Application) -> Application:
    def effect(app: Application, kinds: set[Actor]) -> None:
        if app.assigned_to_id is None:
            app.assigned_to = actor

    return transition("start_review", actor=actor, application=application, effect=effect)


@_busy_is_a_message
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


@_busy_is_a_message
def reject_application(*, actor: User, application: Application, reason: str) -> Application:
    def effect(app: Application, kinds: set[Actor]) -> None:
        app.decided_at = timezone.now()
        app.last_comment = reason.strip()

    return transition("reject", actor=actor, application=application, comment=reason, effect=effect)


@_busy_is_a_message
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


@_busy_is_a_message
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
            from shoko.directory import services as directory_services
            from shoko.directory.models import VacantShop

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


@_busy_is_a_message
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
    application = _locked(application)
    require_applicant_side(actor, application, _("実績報告を入力する"))
    if application.status != Status.WORK_COMPLETED:
        raise ValidationError(REPORT_NOT_OPEN_MESSAGE, code="report_not_open")
    lines = _clean_expenses(application.programme, expenses)
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


@_busy_is_a_message
def submit_report(*, actor: User, application: Application) -> Application:
    return transition("submit_report", actor=actor, application=application)


@_busy_is_a_message
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


@_busy_is_a_message
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


# --- Side effects: timeline, email ----------------------------------------------------------------


def _timeline(application: Application, actor: User | None, title: Any) -> None:
    from shoko.directory.services import record_timeline_event
    from shoko.programmes.indicators import staff_url

    record_timeline_event(
        business=application.business,
        kind="programme",
        title=f"{application.programme.name_ja}: {title}",
        url=staff_url(application),
        actor=actor,
    )


def _recipients(application: Application) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=application.business.organisation_id, user__is_active=True
        ).select_related("user")
    ]


def notify_transition(log_id: int) -> None:
    """Tell every member of the applying business, each in their own language."""
    from shoko.programmes.notify import send_to_members

    log = TransitionLog.objects.select_related(
        "application__programme", "application__business"
    ).get(pk=log_id)
    send_to_members(
        log.application,
        _recipients(log.application),
        subject_template="programmes/email/transition_subject.txt",
        body_template="programmes/email/transition_body.txt",
        context={"log": log},
    )


def notify_document_request(request_id: int) -> None:
    from shoko.programmes.notify import send_to_members

    request = DocumentRequest.objects.select_related(
        "application__programme", "application__business", "requirement"
    ).get(pk=request_id)
    send_to_members(
        request.application,
        _recipients(request.application),
        subject_template="programmes/email/document_request_subject.txt",
        body_template="programmes/email/document_request_body.txt",
        context={"request": request},
    )


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

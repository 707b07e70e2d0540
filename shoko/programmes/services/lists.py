"""The lists of a programme's definition: expense categories, documents, form sections and
questions, rubric.

Staff prepare each year's call for applications on the staff screens. Every write locks the
programme row first, so that two staff (or a double submit) adding, moving or deleting items
of one programme run one after the other: codes stay unique and orders stay a clean sequence.
Once an application has been submitted (past 下書き), what it refers to is fixed: an expense
category with its lines, a document with its files, a question with its answer, a criterion
with its scores cannot be deleted, nor their codes, a question's kind or a criterion's scoring
changed; wording may still be corrected. Drafts follow the change (their stale data is removed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import acting_as
from shoko.core.text import normalize_code
from shoko.core.translation import translated_field_names
from shoko.programmes import selectors
from shoko.programmes.models import (
    Application,
    ApplicationDocument,
    ExpenseCategory,
    ExpenseLine,
    FileKind,
    FormQuestion,
    FormSection,
    Programme,
    QuestionKind,
    RequiredDocument,
    RubricCriterion,
    Stage,
    Status,
)
from shoko.programmes.money import programme_grant
from shoko.programmes.services.actors import require_programme_staff
from shoko.programmes.services.common import busy_is_a_message
from shoko.programmes.services.drafts import clean_answer

if TYPE_CHECKING:
    from shoko.core.models import User


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


#: The fields each kind of item takes from staff; anything else is a programming error.
LIST_FIELDS: dict[ListKind, frozenset[str]] = {
    ListKind.CATEGORIES: frozenset({"code", *translated_field_names("name")}),
    ListKind.DOCUMENTS: frozenset(
        {
            "code",
            "stage",
            "file_kinds",
            "max_bytes",
            "is_required",
            *translated_field_names("name", "help_text"),
        }
    ),
    ListKind.SECTIONS: frozenset(translated_field_names("title")),
    ListKind.QUESTIONS: frozenset(
        {
            "section",
            "code",
            "kind",
            "is_required",
            *translated_field_names("label", "help_text", "choices"),
        }
    ),
    ListKind.RUBRIC: frozenset(
        {"code", "weight", "max_score", *translated_field_names("name", "description")}
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
    require_programme_staff(actor, programme, EDIT_LISTS_ACTION)
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
        for name in translated_field_names("choices"):
            seen: set[str] = set()
            for line in _choice_lines(getattr(item, name)):
                if line in seen:
                    fail(
                        name,
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
            answers[after.code] = clean_answer(after, value)
        except ValidationError:
            answers.pop(after.code, None)
        return True

    if (
        before.code != after.code
        or before.kind != after.kind
        or before.choices_ja != after.choices_ja
    ):
        _update_draft_answers(programme, before.code, change, actor)


@busy_is_a_message
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


@busy_is_a_message
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


@busy_is_a_message
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


@busy_is_a_message
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

"""Setting a call up: staff of the call edit its window and texts, its categories (rules as
data), declarations, checklist and awards — or start next year's edition as a copy of this one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shoko.contests import eligibility
from shoko.contests.media.probe import KNOWN_CONTAINERS
from shoko.contests.models import Call, Category, ChecklistItem, Declaration
from shoko.contests.services.common import locked, require_call_staff
from shoko.core.audit import acting_as
from shoko.core.models import User
from shoko.core.permissions import is_official
from shoko.core.text import normalize_code

FORMATS_MESSAGE = _("受け付ける形式は %(known)s から選んでください。")
HAS_ENTRIES_MESSAGE = _("応募のある部門の動画の条件は変更できません。")
SLUG_TAKEN_MESSAGE = _("URL名「%(slug)s」はすでに使われています。")
ITEM_MESSAGE = _("%(row)s 行目: コードと文言を入力してください。")
NOT_OFFICIAL_MESSAGE = _("区の職員だけが募集を作成できます。")

CALL_FIELDS = (
    "slug",
    "title",
    "title_en",
    "title_zh_hans",
    "title_zh_hant",
    "title_ko",
    "summary",
    "summary_en",
    "summary_zh_hans",
    "summary_zh_hant",
    "summary_ko",
    "description",
    "description_en",
    "description_zh_hans",
    "description_zh_hant",
    "description_ko",
    "organiser",
    "organiser_en",
    "division",
    "plan_item",
    "edition",
    "opens_at",
    "closes_at",
    "age_reference_date",
    "entries_per_person",
    "max_video_bytes",
    "published",
    "results_licence",
    "contact",
    "contact_en",
)
CATEGORY_FIELDS = (
    "code",
    "name",
    "name_en",
    "name_zh_hans",
    "name_zh_hant",
    "name_ko",
    "description",
    "description_en",
    "description_zh_hans",
    "description_zh_hant",
    "description_ko",
    "task_brief",
    "task_brief_en",
    "order",
    "work_kind",
    "min_seconds",
    "max_seconds",
    "formats",
    "rules",
    "entries_per_person",
    "max_group_size",
    "stills_required",
    "stills_max",
)


def create_call(*, actor: User, data: Mapping[str, Any]) -> Call:
    if not is_official(actor):
        raise PermissionDenied(NOT_OFFICIAL_MESSAGE)
    with transaction.atomic(), acting_as(actor):
        call = Call()
        _set_call(call, data)
        require_call_staff(actor, call)
        call.full_clean()
        call.save()
        if "member_studios" in data:
            call.member_studios.set(data["member_studios"])
    return call


def _set_call(call: Call, data: Mapping[str, Any]) -> None:
    for name in CALL_FIELDS:
        if name in data:
            setattr(call, name, data[name])
    if Call.objects.filter(slug=call.slug).exclude(pk=call.pk).exists():
        raise ValidationError({"slug": SLUG_TAKEN_MESSAGE % {"slug": call.slug}})


def update_call(*, actor: User, call: Call, data: Mapping[str, Any]) -> Call:
    with transaction.atomic(), acting_as(actor):
        call = locked(Call, call.pk)
        require_call_staff(actor, call)
        _set_call(call, data)
        require_call_staff(actor, call)  # a division change must stay in the actor's hands
        call.full_clean()
        call.save()
        if "member_studios" in data:
            call.member_studios.set(data["member_studios"])
    return call


def _clean_formats(value: Any) -> list[str]:
    if isinstance(value, str):
        value = normalize_code(value).replace("、", ",").split(",")
    formats = [str(v).strip().lower().lstrip(".") for v in (value or []) if str(v).strip()]
    unknown = [f for f in formats if f not in KNOWN_CONTAINERS]
    if unknown:
        raise ValidationError({"formats": FORMATS_MESSAGE % {"known": ", ".join(KNOWN_CONTAINERS)}})
    return list(dict.fromkeys(formats))


def save_category(
    *, actor: User, call: Call, category: Category | None = None, data: Mapping[str, Any]
) -> Category:
    """Create or change a category; its rules are checked against ``eligibility.RULES`` and its
    video conditions are fixed once entries have been filed in it."""
    with transaction.atomic(), acting_as(actor):
        call = locked(Call, call.pk)
        require_call_staff(actor, call)
        category = category or Category(call=call)
        before = (category.min_seconds, category.max_seconds, list(category.formats or []))
        for name in CATEGORY_FIELDS:
            if name in data:
                setattr(category, name, data[name])
        category.formats = _clean_formats(category.formats)
        category.rules = eligibility.validate_rules(category.rules or [])
        after = (category.min_seconds, category.max_seconds, list(category.formats))
        if category.pk and before != after and category.entries.live().exists():
            raise ValidationError(HAS_ENTRIES_MESSAGE, code="has_entries")
        category.full_clean()
        category.save()
    return category


def _replace_items(
    model: type[Declaration] | type[ChecklistItem],
    call: Call,
    rows: Sequence[Mapping[str, Any]],
    text_field: str,
) -> None:
    errors = []
    cleaned = []
    for i, row in enumerate(rows, start=1):
        code = normalize_code(str(row.get("code") or "")).strip().lower()
        text = str(row.get(text_field) or "").strip()
        if not code and not text:
            continue
        if not code or not text:
            errors.append(ValidationError(ITEM_MESSAGE, code="item", params={"row": i}))
            continue
        cleaned.append((code, text, row))
    if errors:
        raise ValidationError(errors)
    # Items are matched by code, so that ticks and acceptances given to a kept item stay.
    existing = {item.code: item for item in model._default_manager.filter(call=call)}
    model._default_manager.filter(call=call).exclude(code__in=[c for c, _t, _r in cleaned]).delete()
    for order, (code, text, row) in enumerate(cleaned, start=1):
        item = existing.get(code) or model(call=call, code=code)
        item.order = order * 10
        setattr(item, text_field, text)
        english = str(row.get(f"{text_field}_en") or "").strip()
        if english:
            setattr(item, f"{text_field}_en", english)
        if isinstance(item, Declaration) and row.get("category"):
            item.category = row["category"]
        item.full_clean()
        item.save()


def set_declarations(*, actor: User, call: Call, rows: Sequence[Mapping[str, Any]]) -> Call:
    """Replace the call's declarations (code, text, text_en, category or none)."""
    with transaction.atomic(), acting_as(actor):
        call = locked(Call, call.pk)
        require_call_staff(actor, call)
        _replace_items(Declaration, call, rows, "text")
    return call


def set_checklist(*, actor: User, call: Call, rows: Sequence[Mapping[str, Any]]) -> Call:
    """Replace the staff's eligibility checklist (code, label, label_en)."""
    with transaction.atomic(), acting_as(actor):
        call = locked(Call, call.pk)
        require_call_staff(actor, call)
        _replace_items(ChecklistItem, call, rows, "label")
    return call


def copy_call(*, actor: User, call: Call, data: Mapping[str, Any]) -> Call:
    """Next year's edition: the same categories, rules, declarations, checklist and awards,
    with a new slug and window (``slug``, ``opens_at``, ``closes_at``, ``age_reference_date``),
    unpublished until staff check it."""
    with transaction.atomic(), acting_as(actor):
        source = locked(Call, call.pk)
        require_call_staff(actor, source)
        shift: dt.timedelta = data["opens_at"] - source.opens_at
        copy = Call.objects.get(pk=source.pk)
        copy.pk = None
        copy.id = None
        copy._state.adding = True
        copy.slug = data["slug"]
        copy.edition = source.edition + 1
        copy.opens_at = data["opens_at"]
        copy.closes_at = data["closes_at"]
        copy.age_reference_date = data.get("age_reference_date") or (
            source.age_reference_date + shift
        )
        copy.published = False
        copy.results_published_at = None
        copy.screening_event = None
        if Call.objects.filter(slug=copy.slug).exists():
            raise ValidationError({"slug": SLUG_TAKEN_MESSAGE % {"slug": copy.slug}})
        copy.full_clean()
        copy.save()
        copy.member_studios.set(source.member_studios.all())
        categories = {}
        for category in source.categories.all():
            old_pk = category.pk
            category.pk = None
            category.id = None
            category._state.adding = True
            category.call = copy
            category.save()
            categories[old_pk] = category
        for declaration in source.declarations.all():
            declaration.pk = None
            declaration.id = None
            declaration._state.adding = True
            declaration.call = copy
            declaration.category = (
                categories.get(declaration.category_id) if declaration.category_id else None
            )
            declaration.save()
        for item in source.checklist.all():
            item.pk = None
            item.id = None
            item._state.adding = True
            item.call = copy
            item.save()
        for award in source.awards.all():
            award.pk = None
            award.id = None
            award._state.adding = True
            award.call = copy
            award.category = categories.get(award.category_id) if award.category_id else None
            award.save()
    return copy

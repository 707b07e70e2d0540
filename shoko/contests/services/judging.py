"""Judging: staff set up rounds (rubric, panel, field) and open them, which deals out the score
sheets; judges declare conflicts of interest (and are recused), score, comment and submit;
staff close a round and advance entries to the next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.contests import assignment, scoring
from shoko.contests.models import (
    Assignment,
    Call,
    Category,
    ConflictDeclaration,
    Criterion,
    Entry,
    EntryStatus,
    Round,
    RoundEntry,
    RoundJudge,
    RoundStatus,
    ScoreSheet,
)
from shoko.contests.services.common import locked, require_call_staff
from shoko.core.audit import acting_as
from shoko.core.concurrency import busy_is_a_message
from shoko.core.models import User
from shoko.core.permissions import has_role
from shoko.core.roles import Role
from shoko.core.text import normalize_code

NOT_SETUP_MESSAGE = _("準備中のラウンドだけ変更できます（現在: %(status)s）。")
NOT_SCORING_MESSAGE = _("このラウンドは採点を受け付けていません（%(status)s）。")
NO_CRITERIA_MESSAGE = _("評価項目を1つ以上設定してください。")
NO_PANEL_MESSAGE = _("審査員を1人以上選んでください。")
NO_FIELD_MESSAGE = _("審査する作品がありません。")
NOT_A_JUDGE_MESSAGE = _("%(name)s さんは審査員の役割を持っていません。")
CRITERION_MESSAGE = _("%(row)s 行目: コードと評価項目名と重み（0より大きい数）を入力してください。")
DUPLICATE_CODE_MESSAGE = _("評価項目のコード「%(code)s」が重複しています。")
SCORE_RANGE_MESSAGE = _("「%(criterion)s」は %(low)s〜%(high)s の整数で入力してください。")
SCORES_MISSING_MESSAGE = _("採点していない評価項目があります: %(items)s")
NOT_YOUR_SHEET_MESSAGE = _("この採点表はあなたのものではありません。")
RECUSED_MESSAGE = _("利害関係を申告した作品は採点できません。")
NOT_ON_PANEL_MESSAGE = _("あなたはこの作品を審査するラウンドの審査員ではありません。")
REASON_MESSAGE = _("利害関係の内容を入力してください。")
ALREADY_DECLARED_MESSAGE = _("この作品にはすでに利害関係を申告しています。")
NOT_ELIGIBLE_MESSAGE = _("審査対象になっていない作品は選べません: %(numbers)s")
ORDER_MESSAGE = _("次のラウンドには、前のラウンドの作品だけを選べます。")


#: What staff set on a round.
ROUND_FIELDS = (
    "name",
    "name_en",
    "assignment",
    "judges_per_entry",
    "seed",
    "scale_min",
    "scale_max",
    "scoring_closes_at",
)


def _require_setup(round_: Round) -> None:
    if round_.status != RoundStatus.SETUP:
        raise ValidationError(
            NOT_SETUP_MESSAGE, code="not_setup", params={"status": round_.get_status_display()}
        )


def create_round(*, actor: User, call: Call, data: Mapping[str, Any]) -> Round:
    """A new round after the last one; the first round's field is every eligible entry."""
    with transaction.atomic(), acting_as(actor):
        call = locked(Call, call.pk)
        require_call_staff(actor, call)
        last = call.rounds.order_by("-order").first()
        round_ = Round(
            call=call,
            order=(last.order + 1) if last else 1,
            **{k: data[k] for k in ROUND_FIELDS if k in data},
        )
        if not round_.seed:
            round_.seed = int(timezone.now().timestamp()) % 1_000_000
        round_.full_clean()
        round_.save()
        if last is None:
            RoundEntry.objects.bulk_create(
                RoundEntry(round=round_, entry=e) for e in call.entries.eligible()
            )
    return round_


def update_round(*, actor: User, round_: Round, data: Mapping[str, Any]) -> Round:
    with transaction.atomic(), acting_as(actor):
        round_ = locked(Round, round_.pk)
        require_call_staff(actor, round_.call)
        _require_setup(round_)
        for name in ROUND_FIELDS:
            if name in data:
                setattr(round_, name, data[name])
        round_.full_clean()
        round_.save()
    return round_


def set_criteria(*, actor: User, round_: Round, criteria: Sequence[Mapping[str, Any]]) -> Round:
    """Replace the rubric: rows of code, name (name_en), description and weight."""
    with transaction.atomic(), acting_as(actor):
        round_ = locked(Round, round_.pk)
        require_call_staff(actor, round_.call)
        _require_setup(round_)
        errors: list[ValidationError] = []
        rows: list[Criterion] = []
        seen: set[str] = set()
        for i, row in enumerate(criteria, start=1):
            code = normalize_code(str(row.get("code") or "")).strip().lower()
            name = str(row.get("name") or "").strip()
            if not code and not name:
                continue
            try:
                weight = Decimal(normalize_code(str(row.get("weight") or "1")))
            except InvalidOperation:
                weight = Decimal(0)
            if not code or not name or not weight.is_finite() or weight <= 0 or weight >= 1000:
                errors.append(
                    ValidationError(CRITERION_MESSAGE, code="criterion", params={"row": i})
                )
                continue
            if code in seen:
                errors.append(
                    ValidationError(DUPLICATE_CODE_MESSAGE, code="duplicate", params={"code": code})
                )
                continue
            seen.add(code)
            rows.append(
                Criterion(
                    round=round_,
                    code=code,
                    name=name,
                    name_en=str(row.get("name_en") or "").strip() or None,
                    description=str(row.get("description") or "").strip(),
                    weight=weight.quantize(Decimal("0.01")),
                    order=len(rows) * 10 + 10,
                )
            )
        if errors:
            raise ValidationError(errors)
        round_.criteria.all().delete()
        Criterion.objects.bulk_create(rows)
    return round_


def set_panel(
    *, actor: User, round_: Round, judges: Sequence[tuple[User, Sequence[Category]]]
) -> Round:
    """Replace the round's judges; each with the categories they score (for ``by_category``)."""
    with transaction.atomic(), acting_as(actor):
        round_ = locked(Round, round_.pk)
        require_call_staff(actor, round_.call)
        _require_setup(round_)
        for judge, _categories in judges:
            if not has_role(judge, Role.JUDGE):
                raise ValidationError(
                    NOT_A_JUDGE_MESSAGE, code="not_judge", params={"name": str(judge)}
                )
        round_.panel.all().delete()
        for judge, categories in judges:
            seat = RoundJudge.objects.create(round=round_, judge=judge)
            seat.categories.set([c for c in categories if c.call_id == round_.call_id])
    return round_


def _conflicts(call: Call) -> set[tuple[int, int]]:
    return set(ConflictDeclaration.objects.filter(call=call).values_list("judge_id", "entry_id"))


def _panel(round_: Round) -> tuple[list[int], dict[int, set[int]]]:
    seats = list(round_.panel.order_by("judge_id").prefetch_related("categories"))
    return [s.judge_id for s in seats], {
        s.judge_id: {c.pk for c in s.categories.all()} for s in seats
    }


@busy_is_a_message
def open_round(*, actor: User, round_: Round) -> assignment.Plan[int, int]:
    """Start scoring: deal out the score sheets by the round's way of assigning. Returns the
    plan, whose ``short`` lists entries that could not get K judges."""
    with transaction.atomic(), acting_as(actor):
        round_ = locked(Round, round_.pk)
        require_call_staff(actor, round_.call)
        _require_setup(round_)
        errors = []
        if not round_.criteria.exists():
            errors.append(ValidationError(NO_CRITERIA_MESSAGE, code="no_criteria"))
        judges, judge_categories = _panel(round_)
        if not judges:
            errors.append(ValidationError(NO_PANEL_MESSAGE, code="no_panel"))
        entries = list(
            round_.field.filter(entry__status=EntryStatus.ELIGIBLE)
            .order_by("entry_id")
            .values_list("entry_id", "entry__category_id")
        )
        if not entries:
            errors.append(ValidationError(NO_FIELD_MESSAGE, code="no_field"))
        if errors:
            raise ValidationError(errors)
        plan = assignment.assign(
            entries,
            judges,
            mode=round_.assignment,
            k=round_.judges_per_entry,
            seed=round_.seed,
            judge_categories=judge_categories if round_.assignment != Assignment.ALL else None,
            conflicts=_conflicts(round_.call),
        )
        ScoreSheet.objects.bulk_create(
            ScoreSheet(round=round_, judge_id=j, entry_id=e) for j, e in sorted(plan.pairs)
        )
        round_.status = RoundStatus.SCORING
        round_.save()
    return plan


def close_round(*, actor: User, round_: Round) -> Round:
    with transaction.atomic(), acting_as(actor):
        round_ = locked(Round, round_.pk)
        require_call_staff(actor, round_.call)
        if round_.status != RoundStatus.SCORING:
            raise ValidationError(
                NOT_SCORING_MESSAGE,
                code="not_scoring",
                params={"status": round_.get_status_display()},
            )
        round_.status = RoundStatus.CLOSED
        round_.save()
    return round_


def advance_entries(*, actor: User, round_: Round, entries: Sequence[Entry]) -> Round:
    """Set a later round's field (in setup) from the previous round's entries (the shortlist)."""
    with transaction.atomic(), acting_as(actor):
        round_ = locked(Round, round_.pk)
        require_call_staff(actor, round_.call)
        _require_setup(round_)
        previous = round_.call.rounds.filter(order__lt=round_.order).order_by("-order").first()
        allowed = (
            set(previous.field.values_list("entry_id", flat=True))
            if previous
            else set(round_.call.entries.eligible().values_list("pk", flat=True))
        )
        if any(e.pk not in allowed for e in entries):
            raise ValidationError(ORDER_MESSAGE, code="order")
        not_eligible = [e.number for e in entries if e.status != EntryStatus.ELIGIBLE]
        if not_eligible:
            raise ValidationError(
                NOT_ELIGIBLE_MESSAGE,
                code="not_eligible",
                params={"numbers": ", ".join(not_eligible)},
            )
        round_.field.all().delete()
        RoundEntry.objects.bulk_create(RoundEntry(round=round_, entry=e) for e in entries)
    return round_


@busy_is_a_message
def declare_conflict(*, actor: User, entry: Entry, data: Mapping[str, Any]) -> ConflictDeclaration:
    """A judge declares a conflict of interest with an entry: recused from it in every round
    of the call; where the round deals balanced sheets, another judge takes the sheet over."""
    reason = str(data.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_MESSAGE})
    now = timezone.now()
    with transaction.atomic(), acting_as(actor):
        entry = locked(Entry, entry.pk)
        if (
            not has_role(actor, Role.JUDGE)
            or not RoundJudge.objects.filter(round__call_id=entry.call_id, judge=actor).exists()
        ):
            raise PermissionDenied(NOT_ON_PANEL_MESSAGE)
        if ConflictDeclaration.objects.filter(judge=actor, entry=entry).exists():
            raise ValidationError(ALREADY_DECLARED_MESSAGE, code="already_declared")
        declaration = ConflictDeclaration.objects.create(
            call_id=entry.call_id, judge=actor, entry=entry, reason=reason[:300]
        )
        for sheet in ScoreSheet.objects.select_for_update().filter(
            judge=actor, entry=entry, recused_at__isnull=True
        ):
            sheet.recused_at = now
            sheet.save(update_fields=["recused_at", "updated_at"])
            round_ = sheet.round
            if round_.status == RoundStatus.SCORING and round_.assignment == Assignment.BALANCED:
                _top_up(round_, entry)
    return declaration


def _top_up(round_: Round, entry: Entry) -> None:
    judges, judge_categories = _panel(round_)
    sheets = list(round_.sheets.values_list("judge_id", "entry_id", "recused_at"))
    on_entry = {j for j, e, _r in sheets if e == entry.pk}
    active = sum(1 for _j, e, r in sheets if e == entry.pk and r is None)
    if active >= round_.judges_per_entry:
        return
    load: dict[int, int] = {}
    for j, _e, r in sheets:
        if r is None:
            load[j] = load.get(j, 0) + 1
    judge = assignment.replacement(
        entry.pk,
        entry.category_id,
        judges,
        current=on_entry,
        load=load,
        seed=round_.seed,
        judge_categories=judge_categories,
        conflicts=_conflicts(round_.call),
    )
    if judge is not None:
        ScoreSheet.objects.create(round=round_, judge_id=judge, entry=entry)


def _clean_scores(round_: Round, raw: Mapping[str, Any], *, complete: bool) -> dict[str, int]:
    criteria = list(round_.criteria.all())
    scores: dict[str, int] = {}
    errors: list[ValidationError] = []
    for criterion in criteria:
        value = raw.get(criterion.code)
        if value in (None, ""):
            continue
        try:
            number = int(normalize_code(str(value)))
        except ValueError:
            number = None
        if number is None or not round_.scale_min <= number <= round_.scale_max:
            errors.append(
                ValidationError(
                    SCORE_RANGE_MESSAGE,
                    code="score_range",
                    params={
                        "criterion": criterion.name,
                        "low": round_.scale_min,
                        "high": round_.scale_max,
                    },
                )
            )
            continue
        scores[criterion.code] = number
    if complete:
        missing = [c.name for c in criteria if c.code not in scores]
        if missing and not errors:
            errors.append(
                ValidationError(
                    SCORES_MISSING_MESSAGE,
                    code="scores_missing",
                    params={"items": "、".join(missing)},
                )
            )
    if errors:
        raise ValidationError(errors)
    return scores


@busy_is_a_message
def save_sheet(
    *,
    actor: User,
    sheet: ScoreSheet,
    data: Mapping[str, Any],
    submit: bool = False,
    now: dt.datetime | None = None,
) -> ScoreSheet:
    """A judge saves their scores and comments; ``submit`` makes them count (all criteria
    needed). A submitted sheet can be corrected while the round is open."""
    with transaction.atomic(), acting_as(actor):
        sheet = locked(ScoreSheet, sheet.pk)
        if sheet.judge_id != actor.pk:
            raise PermissionDenied(NOT_YOUR_SHEET_MESSAGE)
        round_ = sheet.round
        if round_.status != RoundStatus.SCORING:
            raise ValidationError(
                NOT_SCORING_MESSAGE,
                code="not_scoring",
                params={"status": round_.get_status_display()},
            )
        if sheet.recused_at is not None:
            raise ValidationError(RECUSED_MESSAGE, code="recused")
        complete = submit or sheet.submitted_at is not None
        scores = _clean_scores(round_, data.get("scores") or {}, complete=complete)
        sheet.scores = scores
        sheet.comment_to_entrant = str(data.get("comment_to_entrant") or "").strip()
        sheet.private_note = str(data.get("private_note") or "").strip()
        weights = {c.code: float(c.weight) for c in round_.criteria.all()}
        if complete:
            sheet.total = Decimal(
                scoring.weighted_score(
                    {k: float(v) for k, v in scores.items()},
                    weights,
                    scale=(round_.scale_min, round_.scale_max),
                )
            ).quantize(Decimal("0.001"))
            sheet.submitted_at = sheet.submitted_at or now or timezone.now()
        sheet.save()
    return sheet

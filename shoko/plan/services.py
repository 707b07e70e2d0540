"""What changes the plan: loading a plan file, manual actuals, target edits, new plan periods.

Every function is keyword-only, takes the acting user, runs in one transaction and leaves an
audit row for every record it changes. Messages users see are the constants below.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import acting_as
from shoko.core.japan import FiscalYear
from shoko.core.translation import field_suffix
from shoko.core.uploads import detect_kind, is_plain_text
from shoko.plan.models import (
    ActionPlan,
    Baseline,
    Column,
    Item,
    ManualActual,
    Measure,
    Strategy,
    Target,
    TargetKind,
    TargetRow,
)
from shoko.plan.planfile import LANGUAGES, PlanFileError, PlanSpec, Problem, Texts, cell_problems

NEGATIVE_VALUE = _("実績値は0以上の整数で入力してください。")
FUTURE_YEAR = _("まだ始まっていない年度の実績は入力できません。")
OUTSIDE_PERIOD = _("この計画の期間外の年度です。")
NOTE_REQUIRED = _("実績の根拠・備考を入力してください。")
EVIDENCE_TYPE = _(
    "根拠資料はPDF、画像（PNG・JPEG）、Excel、Word、CSVまたはテキストのファイルにしてください。"
)
EVIDENCE_TOO_LARGE = _("根拠資料が大きすぎます（上限 %(limit)s MB）。")
EVIDENCE_EMPTY = _("根拠資料が空のファイルです。")
ROW_HAS_ACTUALS = _("目標行「%(label)s」には手入力実績があるため、計画ファイルから削除できません。")
SLUG_TAKEN = _("この識別名の計画はすでにあります。")
PERIOD_ORDER = _("次期計画は複製元の計画より後の年度から始めてください。")
PERIOD_LENGTH = _("計画期間は1〜10年度にしてください。")
TARGET_TEXT_REQUIRED = _("目標の記載（日本語）を入力してください。")

# Staff URLs under /staff/plan/ that a plan's slug must not shadow.
RESERVED_SLUGS = frozenset({"compare", "indicators", "rows", "actuals", "targets"})

NEXT_PERIOD_CAPTION = {
    "ja": "前期計画終了時",
    "en": "end of the previous plan",
    "zh-hans": "上期计划结束时",
    "zh-hant": "上期計畫結束時",
    "ko": "전기 계획 종료 시",
}

# Evidence: the name's extension and the kind read from the content must agree (a renamed .exe
# is not a PDF); CSV and TXT must be text.
EVIDENCE_KINDS: dict[str, str] = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "xlsx": "xlsx",
    "docx": "docx",
    "csv": "text",
    "txt": "text",
}


def tr_fields(field: str, texts: Mapping[str, str]) -> dict[str, str]:
    """``title``, {"ja": …, "en": …} → {"title_ja": …, "title_en": …, "title_zh_hans": "" …}."""
    return {f"{field}_{field_suffix(lang)}": texts.get(lang, "") for lang in LANGUAGES}


def texts_of(obj: Model, field: str) -> Texts:
    """The translations of one field as a language → text mapping."""
    return {lang: getattr(obj, f"{field}_{field_suffix(lang)}") or "" for lang in LANGUAGES}


# --- Loading a plan file -------------------------------------------------------------------------


@dataclass
class LoadReport:
    plan: ActionPlan
    created: int
    updated: int
    deleted: int

    def __str__(self) -> str:
        return (
            f"{self.plan.slug}: {self.created} created, {self.updated} updated, "
            f"{self.deleted} removed"
        )


class _Upserter:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __call__(self, model: type[Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        values = {k: v for k, v in values.items() if k not in lookup}
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            self.counts["created"] += 1
            return obj
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if changed:
            for key, value in changed.items():
                setattr(obj, key, value)
            obj.save()
            self.counts["updated"] += 1
        return obj

    def prune(self, queryset: Any, keep: list[int], line: int) -> None:
        stale = queryset.exclude(pk__in=keep)
        try:
            deleted, _per_model = stale.delete()
        except ProtectedError as error:
            row = next(iter(error.protected_objects)).row
            raise PlanFileError(
                [Problem(line, str(ROW_HAS_ACTUALS % {"label": row.label}))]
            ) from None
        self.counts["deleted"] += deleted


def _cell_values(cell: Any) -> dict[str, Any]:
    return {
        **tr_fields("text", cell.text),
        **tr_fields("unit", cell.unit),
        "kind": cell.kind,
        "number": cell.number,
        "breakdown": cell.breakdown,
    }


def load_plan(*, spec: PlanSpec, source_file: str = "", user: Model | None = None) -> LoadReport:
    """Create or update a plan from a validated plan file, idempotently: loading the same file
    twice changes nothing, and a file that fails half-way changes nothing either."""
    upsert = _Upserter()
    with transaction.atomic(), acting_as(user), translation.override("ja"):
        plan = upsert(
            ActionPlan,
            {"slug": spec.slug},
            {
                **tr_fields("title", spec.title),
                **tr_fields("vision_target", spec.vision_target),
                "first_fy": spec.fiscal_years[0],
                "last_fy": spec.fiscal_years[-1],
                "era_of": spec.era_of,
                "source_file": source_file,
            },
        )
        kept = [
            upsert(Baseline, {"plan": plan, "fiscal_year": fy}, tr_fields("caption", caption)).pk
            for fy, caption in spec.baselines
        ]
        upsert.prune(plan.baselines.all(), kept, 1)
        kept_strategies = []
        for s_pos, s_spec in enumerate(spec.strategies):
            strategy = upsert(
                Strategy,
                {"plan": plan, "number": s_spec.number},
                {
                    **tr_fields("title", s_spec.title),
                    **tr_fields("work_so_far", s_spec.work_so_far),
                    "position": s_pos,
                },
            )
            kept_strategies.append(strategy.pk)
            kept_measures = []
            for m_pos, m_spec in enumerate(s_spec.measures):
                measure = upsert(
                    Measure,
                    {"strategy": strategy, "number": m_spec.number},
                    {
                        **tr_fields("title", m_spec.title),
                        **tr_fields("description", m_spec.description),
                        **tr_fields("divisions", m_spec.divisions),
                        "priority": m_spec.priority,
                        "position": m_pos,
                    },
                )
                kept_measures.append(measure.pk)
                kept_items = []
                for i_pos, i_spec in enumerate(m_spec.items):
                    lookup: dict[str, Any] = {"measure": measure, "number": i_spec.number}
                    if not i_spec.number:
                        lookup["position"] = i_pos
                    item = upsert(
                        Item,
                        lookup,
                        {
                            **tr_fields("goal", i_spec.goal),
                            **tr_fields("description", i_spec.description),
                            "priority": i_spec.priority,
                            "position": i_pos,
                        },
                    )
                    kept_items.append(item.pk)
                    kept_rows = []
                    for r_pos, r_spec in enumerate(i_spec.rows):
                        row = upsert(
                            TargetRow,
                            {"item": item, "position": r_pos},
                            {
                                **tr_fields("label", r_spec.label),
                                "indicator_codes": r_spec.indicators,
                            },
                        )
                        kept_rows.append(row.pk)
                        cells = [
                            *((Column.BASELINE, fy, c) for fy, c in r_spec.baselines.items()),
                            *((Column.TARGET, fy, c) for fy, c in r_spec.targets.items()),
                            (Column.TOTAL, None, r_spec.total),
                        ]
                        kept_cells = [
                            upsert(
                                Target,
                                {"row": row, "column": column, "fiscal_year": fy},
                                _cell_values(cell),
                            ).pk
                            for column, fy, cell in cells
                        ]
                        upsert.prune(row.cells.all(), kept_cells, r_spec.line)
                    upsert.prune(item.rows.all(), kept_rows, i_spec.line)
                upsert.prune(measure.items.all(), kept_items, m_spec.line)
            upsert.prune(strategy.measures.all(), kept_measures, s_spec.line)
        upsert.prune(plan.strategies.all(), kept_strategies, 1)
    return LoadReport(
        plan=plan,
        created=upsert.counts["created"],
        updated=upsert.counts["updated"],
        deleted=upsert.counts["deleted"],
    )


# --- Manual actuals ------------------------------------------------------------------------------


def validate_evidence(evidence: UploadedFile) -> None:
    """Refuse evidence files of the wrong type (by name and content) or size."""
    limit = settings.SHOKO_UPLOAD_MAX_BYTES
    if evidence.size is not None and evidence.size > limit:
        raise ValidationError(
            {"evidence": EVIDENCE_TOO_LARGE % {"limit": limit // (1024 * 1024)}},
            code="too_large",
        )
    if not evidence.size:
        raise ValidationError({"evidence": EVIDENCE_EMPTY}, code="empty")
    extension = (
        (evidence.name or "").rsplit(".", 1)[-1].lower() if "." in (evidence.name or "") else ""
    )
    if extension not in EVIDENCE_KINDS:
        raise ValidationError({"evidence": EVIDENCE_TYPE}, code="type")
    evidence.seek(0)
    data = evidence.read()  # whole: an Office file is told by the parts inside its zip
    evidence.seek(0)
    expected = EVIDENCE_KINDS[extension]
    ok = is_plain_text(data) if expected == "text" else detect_kind(data) == expected
    if not ok:
        raise ValidationError({"evidence": EVIDENCE_TYPE}, code="type")


def record_manual_actual(
    *,
    row: TargetRow,
    fiscal_year: FiscalYear,
    value: int,
    note: str,
    user: Model,
    breakdown: Mapping[str, int] | None = None,
    evidence: UploadedFile | None = None,
) -> ManualActual:
    """Record (or correct) the actual of one target row for one fiscal year, with a note and an
    optional evidence file. Future years, negative values and a missing note are refused."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError({"value": NEGATIVE_VALUE}, code="negative")
    if breakdown and any(
        isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in breakdown.values()
    ):
        raise ValidationError({"value": NEGATIVE_VALUE}, code="negative")
    if fiscal_year > FiscalYear.current():
        raise ValidationError({"fiscal_year": FUTURE_YEAR}, code="future")
    plan = row.item.measure.strategy.plan
    if not plan.first_fy <= fiscal_year.year <= plan.last_fy:
        raise ValidationError({"fiscal_year": OUTSIDE_PERIOD}, code="outside")
    if not (note or "").strip():
        raise ValidationError({"note": NOTE_REQUIRED}, code="note")
    if evidence is not None:
        validate_evidence(evidence)
    values = {
        "value": value,
        "breakdown": dict(breakdown or {}),
        "note": note.strip(),
        "entered_by": user,
    }
    with transaction.atomic(), acting_as(user):
        try:
            with transaction.atomic():
                actual, created = ManualActual.objects.get_or_create(
                    row=row, fiscal_year=fiscal_year.year, defaults=values
                )
        except IntegrityError:  # a double submit raced us to the insert
            actual, created = ManualActual.objects.get(row=row, fiscal_year=fiscal_year.year), False
        if not created:
            actual = ManualActual.objects.select_for_update().get(pk=actual.pk)
            for key, new in values.items():
                setattr(actual, key, new)
        if evidence is not None:
            actual.evidence.save(evidence.name, evidence, save=False)
        actual.save()
    return actual


# --- Editing targets -----------------------------------------------------------------------------


def update_target(
    *,
    target: Target,
    text: Mapping[str, str],
    kind: str,
    number: int | None,
    breakdown: Mapping[str, int] | None,
    user: Model,
) -> Target:
    """Change one cell of the plan (its words, kind and number); the audit trail keeps every
    earlier version, so the target's history can be shown."""
    if not (text.get("ja") or "").strip():
        raise ValidationError({"text_ja": TARGET_TEXT_REQUIRED}, code="required")
    breakdown = dict(breakdown or {})
    problems = cell_problems(text=text["ja"].strip(), kind=kind, number=number, breakdown=breakdown)
    if problems:
        raise ValidationError({"number": problems}, code="disagrees")
    with transaction.atomic(), acting_as(user):
        target = Target.objects.select_for_update().get(pk=target.pk)
        for lang, value in text.items():
            if lang in LANGUAGES:
                setattr(target, f"text_{field_suffix(lang)}", value.strip())
        target.kind = kind
        target.number = number
        target.breakdown = breakdown
        target.save()
    return target


# --- New plan periods ----------------------------------------------------------------------------


def start_next_period(
    *,
    source: ActionPlan,
    slug: str,
    first_fy: int,
    last_fy: int,
    title: Mapping[str, str],
    user: Model,
) -> ActionPlan:
    """Start the next plan period from ``source``: the same strategies, measures, items and rows
    (linked to the same indicators), every new fiscal year's target copied from the source's last
    year, the vision baseline kept and the source's last targets as the new "end of the previous
    plan" baseline. Each new row remembers the row it came from, for comparing periods."""
    if slug in RESERVED_SLUGS or ActionPlan.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": SLUG_TAKEN}, code="taken")
    if first_fy <= source.last_fy:
        raise ValidationError({"first_fy": PERIOD_ORDER}, code="order")
    if not 0 <= last_fy - first_fy < 10:
        raise ValidationError({"last_fy": PERIOD_LENGTH}, code="length")
    source = ActionPlan.objects.prefetch_related(
        "baselines", "strategies__measures__items__rows__cells"
    ).get(pk=source.pk)
    baselines = list(source.baselines.all())
    new_years = range(first_fy, last_fy + 1)
    previous_end = first_fy - 1
    with transaction.atomic(), acting_as(user):
        plan = ActionPlan.objects.create(
            slug=slug,
            first_fy=first_fy,
            last_fy=last_fy,
            era_of="end",
            source=source,
            **tr_fields("title", title),
            **tr_fields("vision_target", texts_of(source, "vision_target")),
        )
        kept_baseline = baselines[0] if baselines else None
        if kept_baseline is not None and kept_baseline.fiscal_year != previous_end:
            Baseline.objects.create(
                plan=plan,
                fiscal_year=kept_baseline.fiscal_year,
                **tr_fields("caption", texts_of(kept_baseline, "caption")),
            )
        Baseline.objects.create(
            plan=plan, fiscal_year=previous_end, **tr_fields("caption", NEXT_PERIOD_CAPTION)
        )
        new_cells: list[Target] = []
        for strategy in source.strategies.all():
            new_strategy = _copy(strategy, plan=plan, fields=("title", "work_so_far"))
            for measure in strategy.measures.all():
                new_measure = _copy(
                    measure, strategy=new_strategy, fields=("title", "description", "divisions")
                )
                for item in measure.items.all():
                    new_item = _copy(item, measure=new_measure, fields=("goal", "description"))
                    for row in item.rows.all():
                        new_row = _copy(
                            row,
                            item=new_item,
                            fields=("label",),
                            indicator_codes=list(row.indicator_codes),
                            copied_from=row,
                        )
                        new_cells += _next_period_cells(
                            row, new_row, kept_baseline, previous_end, new_years, source.last_fy
                        )
        for cell in new_cells:
            cell.save()  # one by one, so that each new target starts its audit history
    return plan


def _copy(obj: Model, *, fields: tuple[str, ...], **values: Any) -> Any:
    plain = {
        name: getattr(obj, name)
        for name in ("number", "priority", "position")
        if hasattr(obj, name) and name not in values
    }
    translated = {}
    for name in fields:
        translated |= tr_fields(name, texts_of(obj, name))
    return type(obj)._default_manager.create(**plain, **translated, **values)


def _clone_cell(cell: Target, row: TargetRow, column: str, fiscal_year: int | None) -> Target:
    return Target(
        row=row,
        column=column,
        fiscal_year=fiscal_year,
        kind=cell.kind if column != Column.BASELINE else TargetKind.NONE,
        number=cell.number,
        breakdown=dict(cell.breakdown),
        **tr_fields("text", texts_of(cell, "text")),
        **tr_fields("unit", texts_of(cell, "unit")),
    )


def _next_period_cells(
    row: TargetRow,
    new_row: TargetRow,
    kept_baseline: Baseline | None,
    previous_end: int,
    new_years: range,
    source_last_fy: int,
) -> list[Target]:
    cells = {(c.column, c.fiscal_year): c for c in row.cells.all()}
    result = []
    if kept_baseline is not None and kept_baseline.fiscal_year != previous_end:
        vision = cells.get((Column.BASELINE, kept_baseline.fiscal_year))
        if vision is not None:
            result.append(_clone_cell(vision, new_row, Column.BASELINE, kept_baseline.fiscal_year))
    last_target = cells.get((Column.TARGET, source_last_fy))
    if last_target is not None:
        result.append(_clone_cell(last_target, new_row, Column.BASELINE, previous_end))
        result += [_clone_cell(last_target, new_row, Column.TARGET, fy) for fy in new_years]
    total = cells.get((Column.TOTAL, None))
    if total is not None:
        result.append(_clone_cell(total, new_row, Column.TOTAL, None))
    return result

"""What the plan reads: the plan's table with actuals and a status per fiscal year.

``plan_progress(plan)`` loads a whole plan in a fixed number of queries (whatever its size) and
asks each linked indicator at most once per fiscal year, per request. Nothing is cached across
requests: the next request computes afresh from the operations' own records.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from shoko.core.japan import FiscalYear
from shoko.plan import indicators
from shoko.plan.indicators import Evidence, Measurement
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

logger = logging.getLogger(__name__)


class Status(StrEnum):
    MET = "met"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    NOT_MET = "not_met"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.MET: _("達成"),
    Status.IN_PROGRESS: _("進行中"),
    Status.NOT_STARTED: _("未着手"),
    Status.NOT_MET: _("未達成"),
}
STATUS_ORDER = [Status.MET, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_MET]


def status_of(
    *, kind: str, number: int | None, value: int | Decimal | None, fy: FiscalYear, today: FiscalYear
) -> Status | None:
    """A target's status in a fiscal year. held/run/started/enlarged are met by any actual > 0;
    a count target by reaching its number. Future years have not started; the current year is in
    progress until met; a past year not met was not met. ``None`` where there is no target."""
    if kind == TargetKind.NONE:
        return None
    if fy > today:
        return Status.NOT_STARTED
    if value is not None:
        met = value >= number if kind == TargetKind.COUNT and number is not None else value > 0
        if met:
            return Status.MET
    return Status.IN_PROGRESS if fy == today else Status.NOT_MET


def overall(statuses: Iterable[Status | None]) -> Status | None:
    """One status for several years (the 計 column): met only when every year is met."""
    present = [s for s in statuses if s is not None]
    if not present:
        return None
    if Status.NOT_MET in present:
        return Status.NOT_MET
    if all(s == Status.MET for s in present):
        return Status.MET
    if all(s == Status.NOT_STARTED for s in present):
        return Status.NOT_STARTED
    return Status.IN_PROGRESS


# --- Indicators, read once per request -----------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    """What the linked indicators say for one row and year (their values added up)."""

    value: int | Decimal
    evidence: Sequence[Evidence]
    breakdown: dict[str, int]
    parts: Sequence[tuple[indicators.Indicator, Measurement]]


class IndicatorReader:
    """Asks each indicator at most once per fiscal year; lives for one request only."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, int], Measurement | None] = {}
        self.failed: set[str] = set()

    def measurement(self, code: str, fy: FiscalYear) -> Measurement | None:
        key = (code, fy.year)
        if key not in self._seen:
            try:
                self._seen[key] = indicators.get(code).measure(fy)
            except KeyError:
                self._seen[key] = None
            except Exception:
                # One app's broken indicator must not take the whole plan down with it.
                logger.exception("indicator %s failed for %s", code, fy)
                self.failed.add(code)
                self._seen[key] = None
        return self._seen[key]

    def computed(self, codes: Sequence[str], fy: FiscalYear) -> Computed | None:
        parts = []
        for code in codes:
            found = self.measurement(code, fy)
            if found is not None:
                parts.append((indicators.get(code), found))
        if not parts:
            return None
        breakdown: Counter[str] = Counter()
        for _indicator, found in parts:
            breakdown.update(found.breakdown)
        return Computed(
            value=sum((found.value for _i, found in parts), start=0),
            evidence=[e for _i, found in parts for e in found.evidence],
            breakdown=dict(breakdown),
            parts=parts,
        )


# --- The plan's table with actuals ---------------------------------------------------------------


@dataclass
class Actual:
    """One row's actual in one fiscal year: computed, manual, or both side by side."""

    fiscal_year: FiscalYear
    target: Target | None
    computed: Computed | None
    manual: ManualActual | None
    status: Status | None
    row: TargetRow | None = None

    @property
    def value(self) -> int | Decimal | None:
        if self.manual is not None:
            return self.manual.value
        return self.computed.value if self.computed is not None else None

    @property
    def breakdown(self) -> dict[str, int]:
        if self.manual is not None and self.manual.breakdown:
            return dict(self.manual.breakdown)
        return dict(self.computed.breakdown) if self.computed is not None else {}

    @property
    def source(self) -> str:
        if self.manual is not None:
            return "manual"
        return "computed" if self.computed is not None else "none"

    @property
    def differs(self) -> bool:
        """A manual figure that disagrees with what the operations computed."""
        return (
            self.manual is not None
            and self.computed is not None
            and self.manual.value != self.computed.value
        )


@dataclass
class RowProgress:
    row: TargetRow
    baselines: list[Target | None]
    targets: list[Target | None]
    total: Target | None
    actuals: list[Actual]
    total_status: Status | None
    missing_indicators: list[str] = field(default_factory=list)
    chart: str = ""  # filled in by the page that shows it

    @property
    def unit(self) -> str:
        for cell in [*self.targets, self.total]:
            if cell is not None and cell.unit:
                return cell.unit
        for code in self.row.indicator_codes:
            if indicators.is_registered(code):
                return str(indicators.get(code).unit)
        return ""


@dataclass
class ItemProgress:
    item: Item
    rows: list[RowProgress]


def _counts(statuses: Iterable[Status | None]) -> dict[str, int]:
    counter = Counter(s for s in statuses if s is not None)
    return {status.value: counter.get(status, 0) for status in STATUS_ORDER}


@dataclass
class Rollup:
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def met(self) -> int:
        return self.counts.get(Status.MET.value, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 0

    @property
    def entries(self) -> list[tuple[Status, int]]:
        return [(s, self.counts.get(s.value, 0)) for s in STATUS_ORDER]

    @classmethod
    def combine(cls, rollups: Iterable[Rollup]) -> Rollup:
        counts: Counter[str] = Counter()
        for rollup in rollups:
            counts.update(rollup.counts)
        return cls({s.value: counts.get(s.value, 0) for s in STATUS_ORDER})


@dataclass
class MeasureProgress:
    measure: Measure
    items: list[ItemProgress]
    rollup: Rollup

    @property
    def rows(self) -> list[RowProgress]:
        return [row for item in self.items for row in item.rows]


@dataclass
class StrategyProgress:
    strategy: Strategy
    measures: list[MeasureProgress]
    rollup: Rollup


@dataclass
class PlanProgress:
    plan: ActionPlan
    baselines: list[Baseline]
    fiscal_years: list[FiscalYear]
    today: FiscalYear
    strategies: list[StrategyProgress]
    reader: IndicatorReader

    @property
    def measures(self) -> list[MeasureProgress]:
        return [m for s in self.strategies for m in s.measures]

    @property
    def rows(self) -> list[RowProgress]:
        return [r for m in self.measures for r in m.rows]

    def measure(self, number: str) -> MeasureProgress:
        return next(m for m in self.measures if m.measure.number == number)

    @property
    def rollup(self) -> Rollup:
        return Rollup.combine(s.rollup for s in self.strategies)


def plans() -> QuerySet[ActionPlan]:
    return ActionPlan.objects.order_by("-first_fy", "slug")


def current_plan(today: FiscalYear | None = None) -> ActionPlan | None:
    """The plan in force this fiscal year, else the latest one."""
    today = today or FiscalYear.current()
    in_force = plans().filter(first_fy__lte=today.year, last_fy__gte=today.year).first()
    return in_force or plans().first()


def plan_tree(queryset: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """A plan with everything under it, in seven queries however large it is."""
    return queryset.prefetch_related(
        "baselines",
        Prefetch("strategies", Strategy.objects.order_by("position")),
        Prefetch("strategies__measures", Measure.objects.order_by("position")),
        Prefetch("strategies__measures__items", Item.objects.order_by("position")),
        Prefetch("strategies__measures__items__rows", TargetRow.objects.order_by("position")),
        "strategies__measures__items__rows__cells",
        "strategies__measures__items__rows__manual_actuals",
    )


def plan_progress(
    plan: ActionPlan, *, today: FiscalYear | None = None, reader: IndicatorReader | None = None
) -> PlanProgress:
    """The plan's table with actuals and statuses, rolled up to measures and strategies."""
    today = today or FiscalYear.current()
    reader = reader or IndicatorReader()
    plan = plan_tree(ActionPlan.objects.filter(pk=plan.pk)).get()
    baselines = list(plan.baselines.all())
    years = plan.fiscal_years
    strategies = []
    for strategy in plan.strategies.all():
        measures = []
        for measure in strategy.measures.all():
            # Prefetched: the reverse relations are set by hand so templates never query again.
            items = []
            for item in measure.items.all():
                item.measure = measure
                rows = [
                    _row_progress(row, baselines, years, today, reader) for row in item.rows.all()
                ]
                items.append(ItemProgress(item=item, rows=rows))
            statuses = [a.status for i in items for r in i.rows for a in r.actuals]
            measures.append(
                MeasureProgress(measure=measure, items=items, rollup=Rollup(_counts(statuses)))
            )
        strategies.append(
            StrategyProgress(
                strategy=strategy,
                measures=measures,
                rollup=Rollup.combine(m.rollup for m in measures),
            )
        )
    return PlanProgress(
        plan=plan,
        baselines=baselines,
        fiscal_years=years,
        today=today,
        strategies=strategies,
        reader=reader,
    )


def _row_progress(
    row: TargetRow,
    baselines: list[Baseline],
    years: list[FiscalYear],
    today: FiscalYear,
    reader: IndicatorReader,
) -> RowProgress:
    cells = {(c.column, c.fiscal_year): c for c in row.cells.all()}
    manual = {m.fiscal_year: m for m in row.manual_actuals.all()}
    actuals = [
        _actual(row, fy, cells.get((Column.TARGET, fy.year)), manual.get(fy.year), reader, today)
        for fy in years
    ]
    return RowProgress(
        row=row,
        baselines=[cells.get((Column.BASELINE, b.fiscal_year)) for b in baselines],
        targets=[cells.get((Column.TARGET, fy.year)) for fy in years],
        total=cells.get((Column.TOTAL, None)),
        actuals=actuals,
        total_status=overall(a.status for a in actuals),
        missing_indicators=[c for c in row.indicator_codes if not indicators.is_registered(c)],
    )


def row_actual(row: TargetRow, fy: FiscalYear, *, today: FiscalYear | None = None) -> Actual:
    """One row's actual in one year, for the drill-down page."""
    today = today or FiscalYear.current()
    target = row.cells.filter(column=Column.TARGET, fiscal_year=fy.year).first()
    manual = row.manual_actuals.select_related("entered_by").filter(fiscal_year=fy.year).first()
    return _actual(row, fy, target, manual, IndicatorReader(), today)


def _actual(
    row: TargetRow,
    fy: FiscalYear,
    target: Target | None,
    manual: ManualActual | None,
    reader: IndicatorReader,
    today: FiscalYear,
) -> Actual:
    computed = reader.computed(row.indicator_codes, fy) if row.indicator_codes else None
    actual = Actual(
        fiscal_year=fy, target=target, computed=computed, manual=manual, status=None, row=row
    )
    if target is not None:
        actual.status = status_of(
            kind=target.kind, number=target.number, value=actual.value, fy=fy, today=today
        )
    return actual


def row_with_context(row_id: int) -> TargetRow:
    return TargetRow.objects.select_related("item__measure__strategy__plan").get(pk=row_id)


# --- Indicators across years, for charts ---------------------------------------------------------


@dataclass
class IndicatorSeries:
    indicator: indicators.Indicator
    points: list[tuple[FiscalYear, Measurement | None]]
    rows: list[TargetRow]


def indicator_series(
    years: Sequence[FiscalYear], reader: IndicatorReader | None = None
) -> list[IndicatorSeries]:
    """Every registered indicator across ``years``, with the target rows linked to it."""
    reader = reader or IndicatorReader()
    linked: dict[str, list[TargetRow]] = {}
    for row in TargetRow.objects.select_related("item__measure__strategy__plan").exclude(
        indicator_codes=[]
    ):
        for code in row.indicator_codes:
            linked.setdefault(code, []).append(row)
    return [
        IndicatorSeries(
            indicator=indicator,
            points=[(fy, reader.measurement(indicator.code, fy)) for fy in years],
            rows=linked.get(indicator.code, []),
        )
        for indicator in indicators.registered()
    ]


# --- Comparing periods ---------------------------------------------------------------------------


@dataclass
class ComparedRow:
    measure_number: str
    item_code: str
    label: str
    earlier: RowProgress | None
    later: RowProgress | None


def compare_periods(earlier: PlanProgress, later: PlanProgress) -> list[ComparedRow]:
    """Rows of two periods side by side, matched by the row each was copied from (else by item
    code and position), in the later plan's order, then rows the later plan dropped."""
    earlier_rows = {r.row.pk: r for r in earlier.rows}
    by_code = {(r.row.item.code, r.row.position): r for r in earlier.rows}
    used: set[int] = set()
    result = []
    for row in later.rows:
        match = earlier_rows.get(row.row.copied_from_id or -1) or by_code.get(
            (row.row.item.code, row.row.position)
        )
        if match is not None:
            used.add(match.row.pk)
        result.append(
            ComparedRow(
                measure_number=row.row.item.measure.number,
                item_code=row.row.item.code,
                label=row.row.label,
                earlier=match,
                later=row,
            )
        )
    for row in earlier.rows:
        if row.row.pk not in used:
            result.append(
                ComparedRow(
                    measure_number=row.row.item.measure.number,
                    item_code=row.row.item.code,
                    label=row.row.label,
                    earlier=row,
                    later=None,
                )
            )
    return result

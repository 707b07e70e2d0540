"""The action plan (行動計画) as data: plan → strategy → measure → item → target row → cells.

A target row is one line of the plan's table (13-2 (1) has two: the trade fair and the
business-matching meetings). Its cells are the plan's own words per column — the baselines at the
end of earlier fiscal years, one target per fiscal year of the plan, and the total (計) — each
with, where the plan gives one, a number, a unit and a breakdown (継続4地域、新規1地域 →
{"continuing": 4, "new": 1}). Actuals come live from indicators other apps register
(``shoko.plan.indicators``) or, where none exists, from a manual actual entered by staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import audited
from shoko.core.japan import FiscalYear
from shoko.core.models import TimeStampedModel
from shoko.plan.storage import evidence_storage


class EraOf(models.TextChoices):
    """Which era names a fiscal year in the plan's wording (FY2019: 平成31年度 or 令和元年度)."""

    START = "start", _("年度開始時の元号")
    END = "end", _("年度末の元号")


@audited(exclude_fields=["baselines", "strategies", "successors"])
class ActionPlan(TimeStampedModel):
    """行動計画 — one plan period (e.g. FY2018–FY2019) with its vision target."""

    slug = models.SlugField(_("識別名"), max_length=80, unique=True)
    title = models.CharField(_("計画名"), max_length=200)
    first_fy = models.PositiveSmallIntegerField(_("開始年度"))
    last_fy = models.PositiveSmallIntegerField(_("終了年度"))
    era_of = models.CharField(
        _("年度表記の元号"), max_length=5, choices=EraOf.choices, default=EraOf.END
    )
    vision_target = models.TextField(_("ビジョンに掲げた目標"), blank=True)
    source = models.ForeignKey(
        "self",
        verbose_name=_("複製元の計画"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )
    source_file = models.CharField(_("計画ファイル"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("行動計画")
        verbose_name_plural = _("行動計画")
        ordering = ["-first_fy", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_fy__gte=models.F("first_fy")), name="plan_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def fiscal_years(self) -> list[FiscalYear]:
        return FiscalYear.span(self.first_fy, self.last_fy)


class Baseline(models.Model):
    """現況 — a column of the table: the state at the end of an earlier fiscal year."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="baselines")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    caption = models.CharField(_("説明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("現況の列")
        verbose_name_plural = _("現況の列")
        ordering = ["plan", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "fiscal_year"], name="baseline_unique_fy")
        ]

    def __str__(self) -> str:
        return f"{self.plan.slug} FY{self.fiscal_year}"


@audited(exclude_fields=["measures"])
class Strategy(models.Model):
    """戦略 — e.g. No. 13, with what has been done so far (これまでの取組)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="strategies")
    number = models.CharField(_("番号"), max_length=20)
    title = models.CharField(_("戦略名"), max_length=200)
    work_so_far = models.TextField(_("これまでの取組"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("戦略")
        verbose_name_plural = _("戦略")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="strategy_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


@audited(exclude_fields=["items"])  # reverse relations are not changes
class Measure(models.Model):
    """取組 — 13-1 … 13-5: title, initiative text, responsible divisions (事業実施課), ☆."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="measures")
    number = models.CharField(_("番号"), max_length=20)
    title = models.CharField(_("取組名"), max_length=200)
    description = models.TextField(_("取組の内容"), blank=True)
    divisions = models.CharField(_("事業実施課"), max_length=200, blank=True)
    priority = models.BooleanField(_("重点（☆）"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("取組")
        verbose_name_plural = _("取組")
        ordering = ["strategy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="measure_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


@audited(exclude_fields=["rows"])
class Item(models.Model):
    """取組項目 — (1), (2) … of a measure (the 31年度目標 cell), ☆ where the plan marks it.

    Measures 13-4 and 13-5 have a single item without a number."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("項目番号"), max_length=10, blank=True)
    goal = models.CharField(_("目標"), max_length=300)
    description = models.TextField(_("内容"), blank=True)
    priority = models.BooleanField(_("重点（☆）"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("取組項目")
        verbose_name_plural = _("取組項目")
        ordering = ["measure", "position"]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """The item as people cite it: ``13-1(1)``, or ``13-4`` for an unnumbered item."""
        return f"{self.measure.number}{self.number}"

    @property
    def goal_cell(self) -> str:
        """The 31年度目標 cell as the plan prints it: ``☆ (1) 企業間交流の活性化…``."""
        parts = ["☆"] if self.priority else []
        if self.number:
            parts.append(self.number)
        parts.append(self.goal)
        return " ".join(parts)


class TargetKind(models.TextChoices):
    """How a target is met: held/run/started/enlarged when the actual is > 0; count when the
    actual reaches the number."""

    HELD = "held", _("開催")
    RUN = "run", _("実施")
    STARTED = "started", _("開始")
    ENLARGED = "enlarged", _("充実")
    COUNT = "count", _("数値")
    NONE = "none", _("目標なし")


class TargetRow(models.Model):
    """目標行 — one line of the plan's table, linked to the indicators that count for it."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="rows")
    label = models.CharField(_("行の名称"), max_length=200)
    indicator_codes = models.JSONField(_("指標コード"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("複製元の行"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )

    class Meta:
        verbose_name = _("目標行")
        verbose_name_plural = _("目標行")
        ordering = ["item", "position"]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.position} {self.label}"


class Column(models.TextChoices):
    BASELINE = "baseline", _("現況")
    TARGET = "target", _("年度目標")
    TOTAL = "total", _("計")


@audited()
class Target(models.Model):
    """目標 — one cell of a target row: a baseline, a fiscal year's target or the total (計).

    ``text`` is the plan's wording (translated per language); ``number``/``unit``/``breakdown``
    are what the text says in numbers, where it says any."""

    row = models.ForeignKey(TargetRow, on_delete=models.CASCADE, related_name="cells")
    column = models.CharField(_("列"), max_length=10, choices=Column.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    text = models.CharField(_("記載"), max_length=300)
    kind = models.CharField(
        _("目標の種類"), max_length=10, choices=TargetKind.choices, default=TargetKind.NONE
    )
    number = models.PositiveIntegerField(_("数値"), null=True, blank=True)
    unit = models.CharField(_("単位"), max_length=20, blank=True)
    breakdown = models.JSONField(_("内訳"), default=dict, blank=True)

    class Meta:
        verbose_name = _("目標")
        verbose_name_plural = _("目標")
        ordering = ["row", "column", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["row", "column", "fiscal_year"],
                condition=models.Q(fiscal_year__isnull=False),
                name="target_unique_cell",
            ),
            models.UniqueConstraint(
                fields=["row", "column"],
                condition=models.Q(fiscal_year__isnull=True),
                name="target_unique_total",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def fy(self) -> FiscalYear | None:
        return FiscalYear(self.fiscal_year) if self.fiscal_year else None


def evidence_path(instance: ManualActual, filename: str) -> str:
    return f"plan/evidence/{instance.fiscal_year}/{filename}"


@audited()
class ManualActual(TimeStampedModel):
    """手入力実績 — a value staff vouch for, with a note and optional evidence, where no indicator
    computes one (or to record a figure from before Shoko)."""

    row = models.ForeignKey(TargetRow, on_delete=models.PROTECT, related_name="manual_actuals")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    value = models.PositiveIntegerField(_("実績値"))
    breakdown = models.JSONField(_("内訳"), default=dict, blank=True)
    note = models.TextField(_("根拠・備考"))
    evidence = models.FileField(
        _("根拠資料"), upload_to=evidence_path, storage=evidence_storage, blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("入力者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("手入力実績")
        verbose_name_plural = _("手入力実績")
        ordering = ["row", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["row", "fiscal_year"], name="manual_actual_unique_fy")
        ]

    def __str__(self) -> str:
        return f"{self.row} FY{self.fiscal_year}: {self.value}"

"""Template helpers for the plan's table: its fiscal-year headings, statuses and actuals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shoko.core.japan import FiscalYear

register = template.Library()


def _lang() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _fy(value: FiscalYear | int) -> FiscalYear:
    return value if isinstance(value, FiscalYear) else FiscalYear(int(value))


@register.simple_tag
def plan_fy_short(plan: Any, fy: FiscalYear | int) -> str:
    """A fiscal year as the plan's table heads it: ``30年度`` (era year per the plan's own
    wording) in Japanese, ``FY2018`` in English, ``2018年度`` in Chinese…"""
    fy = _fy(fy)
    if _lang() == "ja":
        era, number = fy.era_year(plan.era_of)
        # The plan omits its own era (31年度) but names another (平成26年度 in a 令和 plan).
        named = "" if era == FiscalYear(plan.last_fy).era(plan.era_of) else era.name
        return f"{named}{'元' if number == 1 else number}年度"
    return fy.label(_lang())


@register.simple_tag
def plan_fy_full(plan: Any, fy: FiscalYear | int) -> str:
    """``平成31年度 (FY2019)`` where the plan writes 平成31年度; else ``令和8年度 (FY2026)``."""
    fy = _fy(fy)
    lang = _lang()
    if lang == "ja":
        return fy.label("ja", era_of=plan.era_of, with_western=True)
    return fy.label(lang)


@register.simple_tag
def goal_header(plan: Any) -> str:
    """The first column: ``31年度目標`` / ``FY2019 target``."""
    return _("%(fy)s目標") % {"fy": plan_fy_short(plan, plan.last_fy)}


@register.simple_tag
def baseline_header(plan: Any, baseline: Any) -> str:
    """``26年度末の現況`` / ``End of FY2014``."""
    return _("%(fy)s末の現況") % {"fy": plan_fy_short(plan, baseline.fiscal_year)}


@register.filter
def status_badge(status: Any) -> SafeString | str:
    if not status:
        return ""
    return format_html('<span class="badge badge-{}">{}</span>', status.value, status.label)


def format_number(value: int | Decimal | None, unit: str = "") -> str:
    if value is None:
        return "—"
    shown = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return shown
    return f"{shown}{unit}" if _lang() in ("ja", "zh-hans", "zh-hant") else f"{shown} {unit}"


@register.simple_tag
def amount(value: int | Decimal | None, unit: str = "") -> str:
    return format_number(value, unit)


@register.filter
def breakdown_text(breakdown: dict[str, int] | None) -> str:
    """{"continuing": 4, "new": 1} → ``継続4、新規1``."""
    if not breakdown:
        return ""
    if set(breakdown) <= {"continuing", "new"}:
        return _("継続%(continuing)s、新規%(new)s") % {
            "continuing": breakdown.get("continuing", 0),
            "new": breakdown.get("new", 0),
        }
    return ", ".join(f"{key}: {value}" for key, value in breakdown.items())


@register.filter
def percent_width(value: int) -> str:
    return f"{max(0, min(100, int(value)))}%"

"""Bar charts as inline SVG, drawn on the server: no JavaScript library, readable when printed.

Each chart is an ``<svg role="img">`` with a title and a description; the pages put a table with
the same figures beside it (the text alternative).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from shoko.plan.selectors import Actual, RowProgress, Status

WIDTH = 320
HEIGHT = 160
PAD_LEFT = 28
PAD_BOTTOM = 34
PAD_TOP = 18


@dataclass(frozen=True)
class Point:
    label: str
    value: int | Decimal | None
    target: int | None = None
    status: Status | None = None


def bar_chart(
    *, chart_id: str, title: str, points: list[Point], description: str = ""
) -> SafeString:
    """Bars for values, a dashed mark for each year's numeric target. ``chart_id`` must be
    unique on the page (it ties the title and description to the chart)."""
    values = [float(p.value) for p in points if p.value is not None]
    targets = [float(p.target) for p in points if p.target is not None]
    top = max([*values, *targets, 1.0])
    plot_w = WIDTH - PAD_LEFT - 8
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = plot_w / max(len(points), 1)
    bar_w = min(slot * 0.6, 48)
    parts: list[str] = [
        format_html(
            '<svg class="plan-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
            'xmlns="http://www.w3.org/2000/svg">',
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
        ),
        format_html('<title id="{}-t">{}</title>', chart_id, title),
        format_html('<desc id="{}-d">{}</desc>', chart_id, description or _describe(points)),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>',
            PAD_LEFT,
            PAD_TOP + plot_h,
            WIDTH - 4,
            PAD_TOP + plot_h,
        ),
        format_html('<text x="{}" y="{}" class="tick">{}</text>', 2, PAD_TOP + 4, _short(top)),
        format_html('<text x="{}" y="{}" class="tick">0</text>', 2, PAD_TOP + plot_h),
    ]
    for index, point in enumerate(points):
        centre = PAD_LEFT + slot * index + slot / 2
        if point.value is not None:
            height = plot_h * float(point.value) / top
            y = PAD_TOP + plot_h - height
            status = point.status.value if point.status else "none"
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="bar bar-{}"/>',
                    _n(centre - bar_w / 2),
                    _n(y),
                    _n(bar_w),
                    _n(max(height, 0.5)),
                    status,
                )
            )
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="value">{}</text>',
                    _n(centre),
                    _n(y - 3),
                    _short(float(point.value)),
                )
            )
        if point.target is not None:
            y = PAD_TOP + plot_h - plot_h * point.target / top
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" class="target"/>',
                    _n(centre - bar_w / 2 - 4),
                    _n(y),
                    _n(centre + bar_w / 2 + 4),
                    _n(y),
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="label">{}</text>',
                _n(centre),
                HEIGHT - PAD_BOTTOM + 16,
                point.label,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 — every part is escaped above


def _n(value: float) -> str:
    return f"{value:.1f}"


def _short(value: float) -> str:
    return f"{int(value)}" if value == int(value) else f"{value:.1f}"


def _describe(points: list[Point]) -> str:
    return "; ".join(
        f"{p.label}: {'—' if p.value is None else _short(float(p.value))}"
        + (f" / {p.target}" if p.target is not None else "")
        for p in points
    )


def row_points(row: RowProgress, label_of: object) -> list[Point]:
    """One point per fiscal year of a row: the actual, the numeric target, the status."""
    return [_point(actual, label_of) for actual in row.actuals]


def _point(actual: Actual, label_of: object) -> Point:
    target = actual.target.number if actual.target is not None else None
    return Point(
        label=str(label_of(actual.fiscal_year)),  # type: ignore[operator]
        value=actual.value,
        target=target,
        status=actual.status,
    )


def has_figures(row: RowProgress) -> bool:
    """Whether a chart would show anything: linked indicators, manual figures or number targets."""
    return bool(row.row.indicator_codes) or any(
        a.value is not None or (a.target is not None and a.target.number is not None)
        for a in row.actuals
    )


__all__ = ["Point", "bar_chart", "escape", "has_figures", "row_points"]

"""The plan's table leaving Shoko: xlsx laid out like the plan, CSV (UTF-8 with BOM), a PDF report,
and the open-data records behind the public CSV and JSON."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shoko.core.japan import FiscalYear, to_wareki, today_in_tokyo
from shoko.core.pdf import register_japanese_fonts
from shoko.plan.models import Column, Target
from shoko.plan.selectors import Actual, PlanProgress, RowProgress
from shoko.plan.templatetags.plan import (
    baseline_header,
    breakdown_text,
    format_number,
    goal_header,
    plan_fy_full,
    plan_fy_short,
)

REPORT = gettext_lazy("取組状況報告")

# --- Records: one per cell of the table, shared by CSV and open data -----------------------------

CSV_COLUMNS: list[tuple[str, Any]] = [
    ("plan", "計画"),
    ("strategy", "戦略"),
    ("measure", "取組番号"),
    ("measure_title", "取組"),
    ("measure_priority", "取組の重点"),
    ("divisions", "事業実施課"),
    ("item", "項目番号"),
    ("item_goal", "目標"),
    ("item_priority", "項目の重点"),
    ("row", "行"),
    ("column", "列"),
    ("fiscal_year", "年度"),
    ("fiscal_year_label", "年度表記"),
    ("text", "記載"),
    ("kind", "目標の種類"),
    ("number", "数値"),
    ("unit", "単位"),
    ("breakdown", "内訳"),
    ("actual", "実績"),
    ("computed", "集計値"),
    ("manual", "手入力値"),
    ("status", "状況"),
]


def _header_labels() -> list[str]:
    labels = {
        "plan": _("計画"),
        "strategy": _("戦略"),
        "measure": _("取組番号"),
        "measure_title": _("取組"),
        "measure_priority": _("取組の重点"),
        "divisions": _("事業実施課"),
        "item": _("項目番号"),
        "item_goal": _("目標"),
        "item_priority": _("項目の重点"),
        "row": _("行"),
        "column": _("列"),
        "fiscal_year": _("年度"),
        "fiscal_year_label": _("年度表記"),
        "text": _("記載"),
        "kind": _("目標の種類"),
        "number": _("数値"),
        "unit": _("単位"),
        "breakdown": _("内訳"),
        "actual": _("実績"),
        "computed": _("集計値"),
        "manual": _("手入力値"),
        "status": _("状況"),
    }
    return [labels[key] for key, _label in CSV_COLUMNS]


def records(progress: PlanProgress) -> Iterator[dict[str, Any]]:
    """One record per cell of the plan's table (baselines, yearly targets, total), with the
    actual and status for yearly targets. Keys are stable: open data depends on them."""
    plan = progress.plan
    for strategy in progress.strategies:
        for measure in strategy.measures:
            m = measure.measure
            for item in measure.items:
                for row in item.rows:
                    base = {
                        "plan": plan.slug,
                        "strategy": strategy.strategy.number,
                        "measure": m.number,
                        "measure_title": m.title,
                        "measure_priority": m.priority,
                        "divisions": m.divisions,
                        "item": item.item.code,
                        "item_goal": item.item.goal_cell,
                        "item_priority": item.item.priority,
                        "row": row.row.label,
                    }
                    cells: list[tuple[Target | None, Actual | None]] = [
                        *((cell, None) for cell in row.baselines),
                        *zip(row.targets, row.actuals, strict=True),
                        (row.total, None),
                    ]
                    for cell, actual in cells:
                        if cell is None:
                            continue
                        yield base | _cell_record(plan, cell, actual, row)


def _cell_record(
    plan: Any, cell: Target, actual: Actual | None, row: RowProgress
) -> dict[str, Any]:
    fy = FiscalYear(cell.fiscal_year) if cell.fiscal_year else None
    status = actual.status if actual is not None else row.total_status
    if cell.column == Column.BASELINE:
        status = None
    return {
        "column": cell.column,
        "fiscal_year": fy.year if fy else None,
        "fiscal_year_label": plan_fy_full(plan, fy) if fy else "",
        "text": cell.text,
        "kind": cell.kind,
        "number": cell.number,
        "unit": cell.unit,
        "breakdown": dict(cell.breakdown),
        "actual": actual.value if actual is not None else None,
        "computed": actual.computed.value if actual and actual.computed else None,
        "manual": actual.manual.value if actual and actual.manual else None,
        "status": status.value if status else None,
    }


def csv_rows(progress: PlanProgress) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for record in records(progress):
        values = []
        for key, _label in CSV_COLUMNS:
            value = record[key]
            if isinstance(value, bool):
                value = "☆" if value else ""
            elif isinstance(value, dict):
                value = breakdown_text(value)
            values.append(value)
        rows.append(values)
    return _header_labels(), rows


# --- xlsx, laid out like the plan ----------------------------------------------------------------

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE5EE")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
STATUS_FILL = {
    "met": "D7F0DD",
    "in_progress": "FFF1CC",
    "not_started": "EEEEEE",
    "not_met": "F9D6D5",
}


def _actual_text(actual: Actual, unit: str) -> str:
    if actual.value is None:
        return "—"
    text = format_number(actual.value, unit)
    if actual.breakdown:
        text += f" ({breakdown_text(actual.breakdown)})"
    if actual.manual is not None and actual.computed is not None:
        text += "\n" + _("集計値: %(value)s") % {
            "value": format_number(actual.computed.value, unit)
        }
    return text


def workbook(progress: PlanProgress) -> Workbook:
    """One sheet per measure reproducing the plan's table (merged headings, ☆, divisions), with
    each year's actual and status to its right, plus a summary sheet first."""
    book = Workbook()
    summary = book.active
    summary.title = _("概要")
    _summary_sheet(summary, progress)
    for measure in progress.measures:
        _measure_sheet(book.create_sheet(measure.measure.number), progress, measure)
    return book


def _summary_sheet(sheet: Any, progress: PlanProgress) -> None:
    plan = progress.plan
    sheet["A1"] = plan.title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _("計画期間: %(first)s〜%(last)s") % {
        "first": plan_fy_full(plan, plan.first_fy),
        "last": plan_fy_full(plan, plan.last_fy),
    }
    sheet["A3"] = _("ビジョンに掲げた目標: %(text)s") % {"text": plan.vision_target}
    sheet["A4"] = _("出力日: %(date)s") % {"date": _today_text()}
    header = [_("番号"), _("取組"), _("重点"), _("事業実施課"), _("達成"), _("目標数"), _("達成率")]
    header += [status.label for status, _count in progress.rollup.entries]
    sheet.append([])
    sheet.append(header)
    head_row = sheet.max_row
    for strategy in progress.strategies:
        sheet.append(
            _rollup_line(
                f"No. {strategy.strategy.number}", strategy.strategy.title, "", "", strategy.rollup
            )
        )
        for measure in strategy.measures:
            m = measure.measure
            sheet.append(
                _rollup_line(
                    m.number, m.title, "☆" if m.priority else "", m.divisions, measure.rollup
                )
            )
    for cell in sheet[head_row]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
    for row in sheet.iter_rows(min_row=head_row, max_row=sheet.max_row):
        for cell in row:
            cell.border = BORDER
            cell.alignment = WRAP
    for index, width in enumerate([10, 40, 6, 30, 8, 8, 8, 8, 8, 8, 8], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _rollup_line(number: str, title: str, star: str, divisions: str, rollup: Any) -> list[Any]:
    return [
        number,
        title,
        star,
        divisions,
        rollup.met,
        rollup.total,
        f"{rollup.percent}%",
        *(count for _status, count in rollup.entries),
    ]


def _measure_sheet(sheet: Any, progress: PlanProgress, measure: Any) -> None:
    plan = progress.plan
    m = measure.measure
    years = progress.fiscal_years
    n_base = len(progress.baselines)
    plan_cols = 1 + n_base + len(years) + 1  # goal, baselines, years, total
    actual_cols = 2 * len(years) + 1
    last_col = plan_cols + actual_cols
    star = " ☆" if m.priority else ""
    sheet.cell(1, 1, f"{m.number} {m.title}{star}").font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    sheet.cell(2, 1, f"No. {m.number}")
    # Two heading rows, merged as the plan prints them.
    sheet.cell(3, 1, goal_header(plan))
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    for index, baseline in enumerate(progress.baselines, start=2):
        caption = f"\n({baseline.caption})" if baseline.caption else ""
        sheet.cell(3, index, baseline_header(plan, baseline) + caption)
        sheet.merge_cells(start_row=3, start_column=index, end_row=4, end_column=index)
    first_year_col = 2 + n_base
    sheet.cell(3, first_year_col, _("年度別の取組計画"))
    sheet.merge_cells(start_row=3, start_column=first_year_col, end_row=3, end_column=plan_cols)
    for offset, fy in enumerate(years):
        sheet.cell(4, first_year_col + offset, plan_fy_short(plan, fy))
    sheet.cell(4, plan_cols, _("計"))
    sheet.cell(3, plan_cols + 1, _("実績と状況"))
    sheet.merge_cells(start_row=3, start_column=plan_cols + 1, end_row=3, end_column=last_col)
    for offset, fy in enumerate(years):
        col = plan_cols + 1 + 2 * offset
        sheet.cell(4, col, _("%(fy)s 実績") % {"fy": plan_fy_short(plan, fy)})
        sheet.cell(4, col + 1, _("%(fy)s 状況") % {"fy": plan_fy_short(plan, fy)})
    sheet.cell(4, last_col, _("計 状況"))
    for row_cells in sheet.iter_rows(min_row=3, max_row=4, max_col=last_col):
        for cell in row_cells:
            cell.font = Font(bold=True)
            cell.fill = HEAD_FILL
            cell.alignment = CENTRE
            cell.border = BORDER
    line = 5
    for item in measure.items:
        first_line = line
        for row in item.rows:
            sheet.cell(line, 1, item.item.goal_cell)
            for index, cell in enumerate(row.baselines, start=2):
                sheet.cell(line, index, cell.text if cell else "")
            for offset, cell in enumerate(row.targets):
                sheet.cell(line, first_year_col + offset, cell.text if cell else "")
            sheet.cell(line, plan_cols, row.total.text if row.total else "")
            for offset, actual in enumerate(row.actuals):
                col = plan_cols + 1 + 2 * offset
                sheet.cell(line, col, _actual_text(actual, row.unit))
                _status_cell(sheet.cell(line, col + 1), actual.status)
            _status_cell(sheet.cell(line, last_col), row.total_status)
            line += 1
        if line - first_line > 1:
            sheet.merge_cells(start_row=first_line, start_column=1, end_row=line - 1, end_column=1)
    for row_cells in sheet.iter_rows(min_row=5, max_row=line - 1, max_col=last_col):
        for cell in row_cells:
            cell.border = BORDER
            if cell.alignment is None or not cell.alignment.horizontal:
                cell.alignment = WRAP
    sheet.cell(line + 1, 1, _("事業実施課： %(divisions)s") % {"divisions": m.divisions})
    widths = [34] + [22] * n_base + [18] * len(years) + [14] + [16, 10] * len(years) + [10]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B5"


def _status_cell(cell: Any, status: Any) -> None:
    cell.value = status.label if status else ""
    if status:
        cell.fill = PatternFill("solid", fgColor=STATUS_FILL[status.value])
    cell.alignment = CENTRE


def xlsx_bytes(progress: PlanProgress) -> bytes:
    buffer = io.BytesIO()
    workbook(progress).save(buffer)
    return buffer.getvalue()


# --- PDF report ----------------------------------------------------------------------------------


def report_title(fy: FiscalYear) -> str:
    """``令和元年度 取組状況報告``: the fiscal year as the ward names it today."""
    return f"{fy.label('ja')} {REPORT}"


def _today_text() -> str:
    today = today_in_tokyo()
    return to_wareki(today) if translation.get_language() == "ja" else today.isoformat()


def pdf_report(progress: PlanProgress, fy: FiscalYear) -> bytes:
    """The year's report to the council: per measure, each row's target, actual and status."""
    gothic, _mincho = register_japanese_fonts()
    plan = progress.plan
    base = ParagraphStyle("base", fontName=gothic, fontSize=8.5, leading=11, wordWrap="CJK")
    title_style = ParagraphStyle("title", parent=base, fontSize=18, leading=24)
    heading = ParagraphStyle(
        "heading", parent=base, fontSize=12, leading=16, spaceBefore=8, keepWithNext=1
    )
    small = ParagraphStyle(
        "small", parent=base, fontSize=8, textColor=colors.HexColor("#444444"), keepWithNext=1
    )
    index = next((i for i, y in enumerate(progress.fiscal_years) if y == fy), None)
    story: list[Any] = [
        Paragraph(report_title(fy), title_style),
        Paragraph(plan.title, base),
        Paragraph(
            _("対象年度: %(fy)s ／ 出力日: %(date)s")
            % {"fy": plan_fy_full(plan, fy), "date": _today_text()},
            small,
        ),
        Spacer(1, 4 * mm),
    ]
    rollup = progress.rollup
    story.append(
        Paragraph(
            _("全体: 目標 %(total)s 件のうち %(met)s 件達成（%(percent)s%%）")
            % {"total": rollup.total, "met": rollup.met, "percent": rollup.percent},
            base,
        )
    )
    header = [
        _("項目"),
        _("行"),
        _("%(fy)sの目標") % {"fy": plan_fy_short(plan, fy)},
        _("実績"),
        _("状況"),
        _("計"),
    ]
    for measure in progress.measures:
        m = measure.measure
        star = " ☆" if m.priority else ""
        story.append(Paragraph(f"No. {m.number} {m.title}{star}", heading))
        story.append(
            Paragraph(
                _("事業実施課： %(divisions)s ／ 達成 %(met)s/%(total)s")
                % {
                    "divisions": m.divisions,
                    "met": measure.rollup.met,
                    "total": measure.rollup.total,
                },
                small,
            )
        )
        data = [[Paragraph(h, base) for h in header]]
        for item in measure.items:
            for row_index, row in enumerate(item.rows):
                actual = row.actuals[index] if index is not None else None
                target = actual.target.text if actual and actual.target else "—"
                data.append(
                    [
                        Paragraph(item.item.goal_cell if row_index == 0 else "", base),
                        Paragraph(row.row.label, base),
                        Paragraph(target, base),
                        Paragraph(
                            _actual_text(actual, row.unit).replace("\n", "<br/>")
                            if actual
                            else "—",
                            base,
                        ),
                        Paragraph(actual.status.label if actual and actual.status else "—", base),
                        Paragraph(row.total.text if row.total else "", base),
                    ]
                )
        table = Table(
            data, colWidths=[70 * mm, 50 * mm, 45 * mm, 40 * mm, 22 * mm, 30 * mm], repeatRows=1
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE5EE")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=report_title(fy),
        author=settings.SHOKO_CITY_NAME,
    )
    document.build(story)
    return buffer.getvalue()


# --- Open data (JSON) ----------------------------------------------------------------------------


def open_data(progress: PlanProgress, *, generated: date | None = None) -> dict[str, Any]:
    """The public table as JSON: the plan, its columns and one record per cell."""
    plan = progress.plan
    return {
        "plan": plan.slug,
        "title": plan.title,
        "city": settings.SHOKO_CITY_NAME,
        "city_code": settings.SHOKO_CITY_CODE,
        "licence": settings.SHOKO_OPEN_DATA_LICENCE,
        "fiscal_years": [fy.year for fy in progress.fiscal_years],
        "baselines": [b.fiscal_year for b in progress.baselines],
        "generated": (generated or today_in_tokyo()).isoformat(),
        "records": list(records(progress)),
    }

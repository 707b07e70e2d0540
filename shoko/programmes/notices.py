"""The notices the ward issues (通知書) as numbered A4 PDFs with embedded Japanese fonts.

交付決定通知書 on approval, 額の確定通知書 on confirmation. Official documents stay in
Japanese whatever the applicant's language; dates are in the era calendar, as the ward writes
them. The number (``8練産商第12号``) comes from a locked sequence per fiscal year and prefix.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from shoko.core.japan import FiscalYear, to_wareki
from shoko.core.pdf import register_japanese_fonts
from shoko.programmes.models import Application, NoticeKind
from shoko.programmes.money import yen

LEFT = 25 * mm
RIGHT = A4[0] - 25 * mm


def notice_number(fiscal_year: int, prefix: str, sequence: int) -> str:
    """``8練産商第12号``: the era year of the fiscal year, the prefix, the number."""
    _era, year = FiscalYear(fiscal_year).era_year()
    return f"{year}{prefix}第{sequence}号"


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Japanese wraps at any character; keep explicit line breaks."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for char in paragraph:
            if stringWidth(line + char, font, size) > width:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines


class _Page:
    def __init__(self, title: str) -> None:
        self.gothic, self.mincho = register_japanese_fonts()
        self.buffer = io.BytesIO()
        self.pdf = canvas.Canvas(self.buffer, pagesize=A4)
        self.pdf.setTitle(title)
        self.pdf.setAuthor(f"{settings.SHOKO_CITY_NAME}")
        self.y = A4[1] - 25 * mm

    def right(self, text: str, size: float = 10.5) -> None:
        self.pdf.setFont(self.mincho, size)
        self.pdf.drawRightString(RIGHT, self.y, text)
        self.y -= size * 1.8

    def left(self, text: str, size: float = 10.5, indent: float = 0) -> None:
        for line in _wrap(text, self.mincho, size, RIGHT - LEFT - indent):
            self.pdf.setFont(self.mincho, size)
            self.pdf.drawString(LEFT + indent, self.y, line)
            self.y -= size * 1.8

    def centre(self, text: str, size: float = 14) -> None:
        self.pdf.setFont(self.gothic, size)
        self.pdf.drawCentredString(A4[0] / 2, self.y, text)
        self.y -= size * 2.2

    def gap(self, height: float = 6) -> None:
        self.y -= height

    def items(self, rows: Iterable[tuple[str, str]]) -> None:
        for number, (label, value) in enumerate(rows, start=1):
            self.pdf.setFont(self.gothic, 10.5)
            self.pdf.drawString(LEFT, self.y, f"{number}　{label}")
            lines = _wrap(value, self.mincho, 10.5, RIGHT - LEFT - 62 * mm)
            for line in lines:
                self.pdf.setFont(self.mincho, 10.5)
                self.pdf.drawString(LEFT + 62 * mm, self.y, line)
                self.y -= 10.5 * 1.8
            self.y -= 3

    def done(self) -> bytes:
        self.pdf.showPage()
        self.pdf.save()
        return self.buffer.getvalue()


def _heading(page: _Page, application: Application, number: str, issued_on: dt.date) -> None:
    page.right(number)
    page.right(to_wareki(issued_on))
    page.gap()
    page.left(application.applicant_name, size=12)
    if application.representative_name:
        page.left(f"代表者　{application.representative_name}　様", size=12)
    else:
        page.left("様", size=12, indent=60 * mm)
    page.gap()
    page.right(f"{settings.SHOKO_CITY_NAME}長")
    page.gap(12)


def _fy_label(application: Application) -> str:
    return application.fy.label("ja")


def grant_decision_pdf(
    application: Application, *, number: str, issued_on: dt.date, comment: str = ""
) -> bytes:
    programme = application.programme
    title = f"{_fy_label(application)}　{programme.name_ja}　補助金交付決定通知書"
    page = _Page(title)
    _heading(page, application, number, issued_on)
    page.centre(title, size=13)
    submitted = to_wareki(application.submitted_at) if application.submitted_at else ""
    page.left(
        f"{submitted}付けで申請のあった標記の補助金については、下記のとおり交付することに"
        "決定したので通知します。"
    )
    page.gap()
    page.centre("記", size=11)
    cap = f"、上限 {yen(programme.cap_yen)}円" if programme.cap_yen else ""
    rows = [
        ("申請番号", application.number),
        ("事業の名称", application.title),
        ("補助対象経費", f"{yen(application.eligible_expense_yen)}円"),
        ("交付決定額", f"金 {yen(application.approved_yen)} 円"),
        ("補助率・上限", f"{programme.rate_label}{cap}"),
        (
            "実績報告の期限",
            f"事業完了の日から{programme.report_due_days}日を経過した日又は"
            f"{to_wareki(application.fy.end)}のいずれか早い日まで",
        ),
    ]
    if comment:
        rows.append(("交付の条件", comment))
    page.items(rows)
    page.gap(12)
    page.left("この決定に不服があるときは、担当課にお問い合わせください。", size=9)
    return page.done()


def amount_confirmation_pdf(
    application: Application,
    *,
    number: str,
    issued_on: dt.date,
    decision_number: str = "",
    comment: str = "",
) -> bytes:
    programme = application.programme
    title = f"{_fy_label(application)}　{programme.name_ja}　補助金の額の確定通知書"
    page = _Page(title)
    _heading(page, application, number, issued_on)
    page.centre(title, size=13)
    page.left(
        "実績報告のあった標記の補助金については、下記のとおり交付すべき額を確定したので通知します。"
    )
    page.gap()
    page.centre("記", size=11)
    rows = [
        ("申請番号", application.number),
        ("事業の名称", application.title),
        ("交付決定通知書の番号", decision_number or "—"),
        ("交付決定額", f"{yen(application.approved_yen)}円"),
        ("実績の補助対象経費", f"{yen(application.reported_expense_yen)}円"),
        ("確定額", f"金 {yen(application.confirmed_yen)} 円"),
    ]
    if comment:
        rows.append(("備考", comment))
    page.items(rows)
    return page.done()


RENDERERS = {
    NoticeKind.GRANT_DECISION: grant_decision_pdf,
    NoticeKind.AMOUNT_CONFIRMATION: amount_confirmation_pdf,
}

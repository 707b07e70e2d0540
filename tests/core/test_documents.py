"""Files leave Shoko in forms the standard readers open: Excel's CSV, xlsx, PDF with Japanese."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from shoko.core.exports import csv_bytes, csv_response, xlsx_response
from shoko.core.pdf import pdf_response, register_japanese_fonts


def test_csv_is_utf8_with_bom_and_crlf_for_excel():
    data = csv_bytes(["名称", "件数"], [["練馬商店街", 3], ["石神井, 公園", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["名称", "件数"], ["練馬商店街", "3"], ["石神井, 公園", ""]]


def test_downloads_carry_the_japanese_file_name():
    response = csv_response(["a"], [], "令和元年度 取組状況.csv")
    disposition = response["Content-Disposition"]
    assert (
        disposition.startswith('attachment; filename=".csv"') or "filename*=UTF-8''" in disposition
    )
    assert "%E4%BB%A4%E5%92%8C" in disposition  # 令和, percent-encoded


def test_xlsx_round_trips_through_openpyxl():
    workbook = Workbook()
    workbook.active.append(["年度", "目標"])
    workbook.active.append(["令和元年度", "3地域 (継続)"])
    response = xlsx_response(workbook, "plan.xlsx")
    loaded = load_workbook(io.BytesIO(response.content))
    assert loaded.active["B2"].value == "3地域 (継続)"


def test_pdf_embeds_a_japanese_font_and_its_text_can_be_extracted():
    gothic, _mincho = register_japanese_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont(gothic, 14)
    pdf.drawString(72, 760, "令和元年度 取組状況報告")
    pdf.save()
    response = pdf_response(buffer.getvalue(), "report.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert "令和元年度 取組状況報告" in reader.pages[0].extract_text()
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    embedded = [
        f
        for f in fonts
        if "/FontDescriptor" in f and "/FontFile2" in f["/FontDescriptor"].get_object()
    ]
    assert embedded, "the Japanese TrueType font is embedded"
    assert "IPAexGothic" in str(embedded[0]["/BaseFont"])

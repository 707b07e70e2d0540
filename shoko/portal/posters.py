"""QR posters (A4 / A5) that staff print for a shop or a street.

The QR code holds a short, language-neutral address (``/s/<code>``); that page sends each
visitor on to the page in their phone's language (or the one they chose before). The code is
drawn as vector squares from ``qrcode``'s matrix, so it prints sharp at any size.
"""

from __future__ import annotations

import io
from typing import Any

import qrcode
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from shoko.core.pdf import register_japanese_fonts
from shoko.directory.models import Shop, ShoppingStreet

SIZES = {"a4": A4, "a5": A5}
KIND_CODES = {"shop": "s", "street": "t", "story": "a"}
CODE_KINDS = {v: k for k, v in KIND_CODES.items()}
URL_NAMES = {
    "shop": "portal:shop-detail",
    "street": "portal:street-detail",
    "story": "portal:story-detail",
}
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"

# "Scan to read in your language", in the portal's five languages (printed, not translated
# through gettext, because the poster shows all of them at once).
SCAN_LINES = [
    ("ja", "スマートフォンで読み取ると、お使いの言語で案内します"),
    ("en", "Scan with your phone to read in your language"),
    ("zh-hans", "用手机扫描，以您的语言阅读"),
    ("zh-hant", "用手機掃描，以您的語言閱讀"),
    ("ko", "휴대폰으로 스캔하면 사용 언어로 안내합니다"),
]


def _base36(number: int) -> str:
    if number <= 0:
        raise ValueError("ids are positive")
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = _ALPHABET[rest] + digits
    return digits


def short_code(kind: str, object_id: int) -> str:
    """``shop`` 12 → ``sc``: a kind letter and the id in base 36."""
    return KIND_CODES[kind] + _base36(object_id)


def parse_short_code(code: str) -> tuple[str, int] | None:
    code = (code or "").strip().lower()
    if len(code) < 2 or len(code) > 14 or code[0] not in CODE_KINDS:
        return None
    if any(ch not in _ALPHABET for ch in code[1:]):
        return None
    number = int(code[1:], 36)
    if number <= 0:
        return None
    return CODE_KINDS[code[0]], number


def page_path(kind: str, object_id: int, language: str) -> str:
    with translation.override(language):
        return reverse(URL_NAMES[kind], args=[object_id])


def poster_payload(request: HttpRequest, kind: str, object_id: int) -> str:
    """What the QR code says: the absolute short URL."""
    return request.build_absolute_uri(
        reverse("portal-short-link", args=[short_code(kind, object_id)])
    )


def _draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix)
    cell = size / modules
    canvas.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                canvas.rect(
                    x + col_index * cell,
                    y + size - (row_index + 1) * cell,
                    cell,
                    cell,
                    stroke=0,
                    fill=1,
                )


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 8 and canvas.stringWidth(text, font, size) > width:
        size -= 1
    return size


def render_poster(
    *, request: HttpRequest, kind: str, record: Shop | ShoppingStreet, size: str = "a4"
) -> bytes:
    gothic, _mincho = register_japanese_fonts()
    page_w, page_h = SIZES.get(size, A4)
    scale = page_w / A4[0]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_w, page_h))
    name_ja = record.name_ja or record.name
    canvas.setTitle(f"{name_ja} — QR")
    canvas.setAuthor(f"{settings.SHOKO_CITY_NAME} {settings.SHOKO_SITE_NAME}")
    margin = 18 * mm * scale
    width = page_w - 2 * margin
    # Band with the programme's name.
    canvas.setFillColorRGB(0.043, 0.361, 0.678)
    canvas.rect(0, page_h - 28 * mm * scale, page_w, 28 * mm * scale, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    band = f"{settings.SHOKO_CITY_NAME}の商店街 · Shopping streets of Nerima"
    canvas.setFont(gothic, 14 * scale)
    canvas.drawString(margin, page_h - 17 * mm * scale, band)
    # Names.
    canvas.setFillColorRGB(0.1, 0.11, 0.13)
    y = page_h - 50 * mm * scale
    title_size = _fit(canvas, name_ja, gothic, 34 * scale, width)
    canvas.setFont(gothic, title_size)
    canvas.drawString(margin, y, name_ja)
    name_en = getattr(record, "name_en", "") or ""
    if name_en:
        y -= 12 * mm * scale
        canvas.setFont(gothic, _fit(canvas, name_en, gothic, 18 * scale, width))
        canvas.drawString(margin, y, name_en)
    # The code.
    qr_size = 110 * mm * scale
    qr_x = (page_w - qr_size) / 2
    qr_y = y - 20 * mm * scale - qr_size
    payload = poster_payload(request, kind, record.pk)
    _draw_qr(canvas, payload, qr_x, qr_y, qr_size)
    # Scan lines and the address for those who type it.
    line_y = qr_y - 12 * mm * scale
    for _lang, line in SCAN_LINES:
        canvas.setFont(gothic, _fit(canvas, line, gothic, 12 * scale, width))
        canvas.drawCentredString(page_w / 2, line_y, line)
        line_y -= 7 * mm * scale
    canvas.setFont(gothic, 14 * scale)
    canvas.drawCentredString(page_w / 2, line_y - 4 * mm * scale, payload)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def poster_filename(record: Any, size: str) -> str:
    return f"QR_{record.name_ja or record.name}_{size.upper()}.pdf"

"""PDF documents with embedded Japanese fonts (reports, certificates, notices).

IPAexGothic ships with Shoko (IPA Font License, see ``fonts/``), so PDFs render the same on a
fresh machine; IPAexMincho is used for formal documents when the system has it (Debian's
``fonts-ipaexfont-mincho``), else Gothic stands in.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.http import HttpResponse
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from shoko.core.exports import content_disposition

FONT_DIR = Path(__file__).resolve().parent / "fonts"
GOTHIC = "IPAexGothic"
MINCHO = "IPAexMincho"
_MINCHO_CANDIDATES = [
    Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont-mincho/ipaexm.ttf"),
]


@cache
def register_japanese_fonts() -> tuple[str, str]:
    """Register the fonts once per process; returns (gothic, mincho) font names."""
    pdfmetrics.registerFont(TTFont(GOTHIC, str(FONT_DIR / "ipaexg.ttf")))
    for candidate in _MINCHO_CANDIDATES:
        if candidate.exists():
            pdfmetrics.registerFont(TTFont(MINCHO, str(candidate)))
            return GOTHIC, MINCHO
    return GOTHIC, GOTHIC


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response

"""Checks on files people upload: size first (before anything is read), then the real type from
the content — never from the name or the browser's claimed content type."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

FILE_TOO_LARGE_MESSAGE = _("ファイルが大きすぎます（上限 %(limit)s、このファイルは %(size)s）。")
NOT_AN_IMAGE_MESSAGE = _(
    "画像ファイル（JPEG、PNG、WebP）を選んでください。このファイルは画像として読めません。"
)
IMAGE_TOO_BIG_MESSAGE = _("画像の縦横が大きすぎます（上限 %(limit)s ピクセル）。")
EMPTY_FILE_MESSAGE = _("ファイルが空です。")

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_IMAGE_SIDE = 10_000


def check_size(upload: UploadedFile, *, limit: int | None = None) -> None:
    limit = limit or settings.SHOKO_UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(EMPTY_FILE_MESSAGE, code="empty")
    if upload.size > limit:
        raise ValidationError(
            FILE_TOO_LARGE_MESSAGE,
            code="too_large",
            params={"limit": filesizeformat(limit), "size": filesizeformat(upload.size)},
        )


def validate_image(upload: UploadedFile, *, limit: int | None = None) -> str:
    """Return the image's MIME type, or raise: too large, not an image, or absurd dimensions."""
    check_size(upload, limit=limit)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise ValidationError(NOT_AN_IMAGE_MESSAGE, code="not_image") from exc
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(NOT_AN_IMAGE_MESSAGE, code="not_image")
    if max(width, height) > MAX_IMAGE_SIDE:
        raise ValidationError(
            IMAGE_TOO_BIG_MESSAGE, code="dimensions", params={"limit": MAX_IMAGE_SIDE}
        )
    return IMAGE_FORMATS[image_format]


# --- Documents: the kind from the content -------------------------------------------------------

_EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O 32
    b"\xfe\xed\xfa\xcf",  # Mach-O 64
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
)


def detect_kind(data: bytes) -> str | None:
    """What a file is, from its bytes — never from its name: ``pdf``, ``jpeg``, ``png``,
    ``xlsx``, ``docx``, ``executable`` (a program, whatever it is called) or None (unknown).
    Office files are told apart by the parts inside their zip, so pass the whole file."""
    head = data[:8]
    if head.startswith(_EXECUTABLE_SIGNATURES):
        return "executable"
    if data[:1024].lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "word/document.xml" in names:
                return "docx"
    return None


def is_plain_text(data: bytes) -> bool:
    """Text a person could open (CSV, TXT): no NUL byte, UTF-8 or Shift_JIS (cp932) throughout."""
    if b"\x00" in data or detect_kind(data) == "executable":
        return False
    for encoding in ("utf-8-sig", "cp932"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False

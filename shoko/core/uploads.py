"""Checks on files people upload: size first (before anything is read), then the real type from
the content — never from the name or the browser's claimed content type."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

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
    from PIL import Image, UnidentifiedImageError

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

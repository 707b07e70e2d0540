"""Checking uploaded documents by what they are, not by what they are called.

A file's kind is read from its first bytes (magic numbers) and, for Office files, from the
parts inside the zip; the name's extension must agree. Executables are refused whatever their
name — a "quote.pdf" that starts with ``MZ`` is a Windows program. Sizes are limited per
document type and by the site limit (``SHOKO_UPLOAD_MAX_BYTES``). A virus scanner can be plugged
in with the setting ``SHOKO_PROGRAMMES_VIRUS_SCANNER`` (the dotted path of a function
``scan(data: bytes, name: str) -> str | None`` returning the threat's name, or None if clean).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from shoko.core.uploads import detect_kind

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "jpeg": (".jpg", ".jpeg"),
    "png": (".png",),
    "xlsx": (".xlsx",),
    "docx": (".docx",),
}
KIND_LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "xlsx": "Excel", "docx": "Word"}

FILE_EMPTY_MESSAGE = _("「%(name)s」は空のファイルです。")
FILE_TOO_LARGE_MESSAGE = _(
    "「%(name)s」は %(size)s で、上限の %(limit)s を超えています。小さくしてから提出してください。"
)
FILE_EXECUTABLE_MESSAGE = _(
    "「%(name)s」は実行ファイル（プログラム）です。書類として受け付けられません。"
)
FILE_UNKNOWN_MESSAGE = _(
    "「%(name)s」の形式を判別できません。%(allowed)s のファイルを提出してください。"
)
FILE_KIND_NOT_ALLOWED_MESSAGE = _(
    "「%(name)s」は %(kind)s ファイルです。この書類は %(allowed)s で提出してください。"
)
FILE_NAME_MISMATCH_MESSAGE = _(
    "「%(name)s」は名前の拡張子と中身（%(kind)s）が一致しません。正しいファイルか確認してください。"
)
FILE_INFECTED_MESSAGE = _(
    "「%(name)s」からウイルス（%(threat)s）が検出されたため受け付けられません。"
)


def human_size(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            return f"{value:.1f} {unit}".replace(".0 ", " ")
    return f"{size} B"


def _scanner() -> Callable[[bytes, str], str | None] | None:
    path = getattr(settings, "SHOKO_PROGRAMMES_VIRUS_SCANNER", None)
    return import_string(path) if path else None


EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def eicar_scanner(data: bytes, name: str) -> str | None:
    """A scanner that knows only the EICAR test signature: for demos and tests of the hook.
    Production points the setting at a function that asks ClamAV or the city's scanner."""
    return "EICAR-Test-File" if EICAR in data else None


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    name: str
    kind: str
    size: int
    sha256: str
    scanned: bool


def check_upload(upload: Any, *, allowed: Iterable[str], limit: int) -> CheckedFile:
    """Read and check one uploaded file; ValidationError (with a message for the applicant)
    if it is empty, too large, not of an allowed kind, an executable or infected."""
    name = PurePath(getattr(upload, "name", "") or "file").name[:255]
    allowed = [kind for kind in allowed if kind in EXTENSIONS] or list(EXTENSIONS)
    allowed_label = "・".join(KIND_LABELS[k] for k in allowed)
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            FILE_TOO_LARGE_MESSAGE,
            code="too_large",
            params={"name": name, "size": human_size(size), "limit": human_size(limit)},
        )
    data = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if len(data) > limit:
        raise ValidationError(
            FILE_TOO_LARGE_MESSAGE,
            code="too_large",
            params={
                "name": name,
                "size": human_size(size or len(data)),
                "limit": human_size(limit),
            },
        )
    if not data:
        raise ValidationError(FILE_EMPTY_MESSAGE, code="empty", params={"name": name})
    kind = detect_kind(data)
    if kind == "executable":
        raise ValidationError(FILE_EXECUTABLE_MESSAGE, code="executable", params={"name": name})
    if kind is None:
        raise ValidationError(
            FILE_UNKNOWN_MESSAGE,
            code="unknown_kind",
            params={"name": name, "allowed": allowed_label},
        )
    if kind not in allowed:
        raise ValidationError(
            FILE_KIND_NOT_ALLOWED_MESSAGE,
            code="kind_not_allowed",
            params={"name": name, "kind": KIND_LABELS[kind], "allowed": allowed_label},
        )
    suffix = PurePath(name).suffix.lower()
    if suffix and suffix not in EXTENSIONS[kind]:
        raise ValidationError(
            FILE_NAME_MISMATCH_MESSAGE,
            code="name_mismatch",
            params={"name": name, "kind": KIND_LABELS[kind]},
        )
    scanner = _scanner()
    if scanner is not None:
        threat = scanner(data, name)
        if threat:
            raise ValidationError(
                FILE_INFECTED_MESSAGE, code="infected", params={"name": name, "threat": threat}
            )
    return CheckedFile(
        data=data,
        name=name,
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        scanned=scanner is not None,
    )

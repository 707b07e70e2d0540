"""Private files answered after a permission check: by nginx where it runs in front
(``X-Accel-Redirect``, SHOKO_X_ACCEL_REDIRECT=true), by Django otherwise.

A view checks who may read the file, then returns ``private_file_response(field_file, …)``.
With nginx, the app worker is free as soon as the headers are out: nginx reads the file from
its internal locations (deploy/nginx/shoko.conf): ``/_protected/media/`` is MEDIA_ROOT and
``/_protected/private/`` the private root (plan evidence). These locations are ``internal``, so
no visitor can ask for them directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse

from shoko.core.exports import content_disposition

__all__ = ["ACCEL_PREFIXES", "private_file_response"]

#: nginx's internal location for each root (deploy/nginx/shoko.conf).
ACCEL_PREFIXES = {"media": "/_protected/media/", "private": "/_protected/private/"}


def _roots() -> dict[str, Path]:
    private = getattr(settings, "SHOKO_PRIVATE_MEDIA_ROOT", None)
    return {
        "media": Path(settings.MEDIA_ROOT).resolve(),
        "private": Path(private or Path(settings.MEDIA_ROOT).parent / "private").resolve(),
    }


def _accel_path(path: Path) -> str | None:
    resolved = path.resolve()
    for name, root in _roots().items():
        if resolved.is_relative_to(root):
            return ACCEL_PREFIXES[name] + quote(str(resolved.relative_to(root)))
    return None


def private_file_response(
    file: FieldFile,
    *,
    filename: str,
    content_type: str | None = None,
    inline: bool = False,
) -> HttpResponse:
    """The file, for a person whose right to it the view has checked."""
    disposition = content_disposition(filename, inline=inline)
    if getattr(settings, "SHOKO_X_ACCEL_REDIRECT", False):
        accel = _accel_path(Path(file.path))
        if accel is not None:
            response = HttpResponse(content_type=content_type or "application/octet-stream")
            response["X-Accel-Redirect"] = accel
            response["Content-Disposition"] = disposition
            # nginx keeps these headers and adds the file's length and bytes.
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "private, no-store"
            return response
    streamed = FileResponse(file.open("rb"), content_type=content_type)
    streamed["Content-Disposition"] = disposition
    streamed["Cache-Control"] = "private, no-store"
    # A streaming response; the views' decorators are typed for HttpResponse, and Django's
    # handler treats both alike.
    return cast(HttpResponse, streamed)

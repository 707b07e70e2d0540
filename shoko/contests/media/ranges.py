"""Serving stored files with HTTP range requests (RFC 9110 §14), so that a video player can
seek, and so that nothing served from Shoko's origin runs as a page.

Django's ``FileResponse`` answers whole files only. ``ranged_response`` answers ``Range: bytes=``
with 206 and ``Content-Range`` (one range; several ranges are answered with the whole file, as
the RFC allows), 416 when the range lies beyond the end, and always sets the content type we
decided (never the uploader's), ``Content-Disposition``, ``X-Content-Type-Options: nosniff``
and a Content-Security-Policy that forbids scripts, in case a browser is opened on the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import Storage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from shoko.core.exports import content_disposition

#: What may be served: anything else is sent as a download of octets.
SAFE_TYPES = {"video/mp4", "video/webm", "video/quicktime", "image/jpeg", "image/png"}
BLOCK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """(first, last) byte of a single satisfiable range; None to send the whole file (no header,
    a malformed one, or several ranges); False when unsatisfiable (416)."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first_text, last_text = match.groups()
    if first_text == "" and last_text == "":
        return None
    if first_text == "":  # the last N bytes
        length = int(last_text)
        if length == 0:
            return False
        return (max(size - length, 0), size - 1) if size else False
    first = int(first_text)
    if first >= size:
        return False
    last = min(int(last_text), size - 1) if last_text else size - 1
    if last < first:
        return None
    return first, last


def _stream(handle: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        remaining = length
        while remaining > 0:
            block = handle.read(min(BLOCK, remaining))
            if not block:
                break
            remaining -= len(block)
            yield block
    finally:
        handle.close()


def _harden(response: HttpResponse | StreamingHttpResponse, filename: str, inline: bool) -> None:
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"


def ranged_response(
    request: HttpRequest,
    storage: Storage,
    name: str,
    *,
    content_type: str,
    filename: str,
    inline: bool = True,
) -> HttpResponse | StreamingHttpResponse:
    """Serve ``name`` from ``storage`` honouring ``Range``."""
    if content_type not in SAFE_TYPES:
        content_type, inline = "application/octet-stream", False
    size = storage.size(name)
    wanted = parse_range(request.headers.get("Range"), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        _harden(response, filename, inline)
        return response
    first, last = wanted if isinstance(wanted, tuple) else (0, size - 1)
    length = last - first + 1 if size else 0
    handle = storage.open(name, "rb")
    if request.method == "HEAD":
        handle.close()
        streaming: StreamingHttpResponse = StreamingHttpResponse(
            iter(()), content_type=content_type
        )
    else:
        streaming = StreamingHttpResponse(_stream(handle, first, length), content_type=content_type)
    if isinstance(wanted, tuple):
        streaming.status_code = 206
        streaming["Content-Range"] = f"bytes {first}-{last}/{size}"
    streaming["Content-Length"] = str(length)
    _harden(streaming, filename, inline)
    return streaming

"""The chunked-upload endpoints (JSON), used by ``static/contests/upload.js``.

- ``POST /my/contests/entries/<pk>/uploads/`` ``{"name", "size"}`` → 201 (new) or 200 (resumed)
  ``{"upload", "chunk_size", "chunks", "received": [indexes], "status"}``
- ``GET /my/contests/uploads/<token>/`` → the same description (what to send next)
- ``PUT /my/contests/uploads/<token>/chunks/<index>`` body = the chunk's bytes, header
  ``X-Chunk-SHA256`` → 200 ``{"index", "received_bytes"}``; 400 with ``{"error"}`` if refused
- ``POST /my/contests/uploads/<token>/complete/`` ``{"checksum"}`` → 202 (processing started)

Errors are JSON ``{"error": message, "code": code}`` in the entrant's language; another
entrant's upload answers 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from shoko.contests import access, selectors
from shoko.contests.models import Video
from shoko.contests.services import uploads
from shoko.core.http import AuthenticatedRequest


def _login_json(view: Any) -> Any:
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "login required", "code": "login"}, status=401)
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _error(error: ValidationError, status: int = 400) -> JsonResponse:
    code = getattr(error, "code", None) or (
        error.error_list[0].code if hasattr(error, "error_list") and error.error_list else "invalid"
    )
    return JsonResponse({"error": " ".join(error.messages), "code": code}, status=status)


def describe(video: Video) -> dict[str, Any]:
    return {
        "upload": str(video.token),
        "chunk_size": video.chunk_size,
        "chunks": video.chunk_count,
        "size": video.size,
        "received": uploads.received_indexes(video),
        "received_bytes": video.received_bytes,
        "status": video.status,
        "status_label": str(video.get_status_display()),
        "urls": {
            "self": reverse("contests:upload", args=[video.token]),
            "chunk": reverse("contests:upload-chunk", args=[video.token, 0])[:-1],
            "complete": reverse("contests:upload-complete", args=[video.token]),
            "status": reverse("contests:my-video-status", args=[video.entry_id]),
        },
    }


def _video(request: AuthenticatedRequest, token: str) -> Video:
    try:
        video = Video.objects.select_related("entry__call", "entry__category").get(token=token)
    except (Video.DoesNotExist, ValidationError) as exc:
        raise Http404 from exc
    if not access.owns_entry(request.user, video.entry):
        raise Http404
    return video


def _json_body(request: AuthenticatedRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@_login_json
@require_http_methods(["POST"])
def start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = selectors.my_entry(request.user, pk)
    try:
        before = set(entry.videos.values_list("pk", flat=True))
        video = uploads.start_upload(actor=request.user, entry=entry, data=_json_body(request))
    except ValidationError as error:
        return _error(error)
    except PermissionDenied:
        return JsonResponse({"error": "forbidden", "code": "forbidden"}, status=403)
    return JsonResponse(describe(video), status=200 if video.pk in before else 201)


@_login_json
@require_GET
def upload(request: AuthenticatedRequest, token: str) -> HttpResponse:
    return JsonResponse(describe(_video(request, token)))


@_login_json
@require_http_methods(["PUT"])
def chunk(request: AuthenticatedRequest, token: str, index: int) -> HttpResponse:
    video = _video(request, token)
    try:
        stored = uploads.receive_chunk(
            actor=request.user,
            video=video,
            index=index,
            stream=request,  # type: ignore[arg-type]  # HttpRequest.read() streams the body
            sha256=request.headers.get("X-Chunk-SHA256", ""),
        )
    except ValidationError as error:
        return _error(error)
    video.refresh_from_db(fields=["received_bytes"])
    return JsonResponse({"index": stored.index, "received_bytes": video.received_bytes})


@_login_json
@require_http_methods(["POST"])
def complete(request: AuthenticatedRequest, token: str) -> HttpResponse:
    video = _video(request, token)
    try:
        video = uploads.complete_upload(actor=request.user, video=video, data=_json_body(request))
    except ValidationError as error:
        return _error(error)
    except PermissionDenied:
        return JsonResponse({"error": "forbidden", "code": "forbidden"}, status=403)
    video.refresh_from_db()
    return JsonResponse(describe(video), status=202)


@require_GET
def status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The video panel (htmx polls it while the file is inspected or converted)."""
    if not request.user.is_authenticated:
        raise Http404
    entry = selectors.my_entry(request.user, pk)
    latest = entry.videos.order_by("-created_at").first()
    return render(
        request,
        "contests/my/_video_status.html",
        {"entry": entry, "latest": latest, "video": entry.video},
    )

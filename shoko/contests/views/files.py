"""Every file of an entry leaves through here, after one permission check:

- the entrant (and members of the entering studio), always;
- officials, for the staff screens;
- a judge with a (not recused) score sheet for the entry;
- anyone, for a winning entry once the results are published (the public results page).

Videos are served with HTTP range requests (seeking), with the content type Shoko decided from
ffprobe (``video/mp4`` for the renditions), ``Content-Disposition`` and no-sniff — never under
the uploader's name or type. Others get 404, never a hint that the file exists.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from shoko.contests import access, selectors
from shoko.contests.media.ranges import ranged_response
from shoko.contests.media.storage import media_storage
from shoko.contests.models import Entry, RenditionStatus, ScoreSheet, Still
from shoko.core.http import PublicRequest
from shoko.core.permissions import is_official

VIDEO_TYPES = {"mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}


def _may_see(request: PublicRequest, entry: Entry) -> bool:
    user = request.user
    if entry.pk in selectors.public_entry_ids(entry.call):
        return True
    if not user.is_authenticated:
        return False
    if access.owns_entry(user, entry) or is_official(user):
        return True
    return ScoreSheet.objects.filter(entry=entry, judge=user, recused_at__isnull=True).exists()


def _entry(request: PublicRequest, pk: int) -> Entry:
    entry = get_object_or_404(Entry.objects.select_related("call", "video"), pk=pk)
    if not _may_see(request, entry):
        raise Http404
    return entry


@require_http_methods(["GET", "HEAD"])
def video(request: PublicRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    entry = _entry(request, pk)
    clip = entry.video
    if clip is None or not clip.playable_name:
        raise Http404
    if clip.rendition_status == RenditionStatus.DONE:
        content_type = "video/mp4"
    else:
        content_type = VIDEO_TYPES.get(clip.container, "application/octet-stream")
    return ranged_response(
        request,
        media_storage(),
        clip.playable_name,
        content_type=content_type,
        filename=f"{entry.number or entry.pk}.mp4"
        if content_type == "video/mp4"
        else f"{entry.number or entry.pk}",
    )


@require_http_methods(["GET", "HEAD"])
def thumbnail(request: PublicRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    entry = _entry(request, pk)
    if entry.video is None or not entry.video.thumbnail_name:
        raise Http404
    return ranged_response(
        request,
        media_storage(),
        entry.video.thumbnail_name,
        content_type="image/jpeg",
        filename=f"{entry.number or entry.pk}-thumbnail.jpg",
    )


@require_http_methods(["GET", "HEAD"])
def still(request: PublicRequest, pk: int, still_pk: int) -> HttpResponse | StreamingHttpResponse:
    entry = _entry(request, pk)
    found = get_object_or_404(Still, pk=still_pk, entry=entry)
    return ranged_response(
        request,
        media_storage(),
        found.file_name,
        content_type="image/jpeg",
        filename=f"{entry.number or entry.pk}-{found.order}.jpg",
    )

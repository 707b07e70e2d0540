"""What happens to a video once its chunks are in — run by the background worker
(``tasks.py``), step by step, each step recorded on the ``Video`` so that the entrant's page
shows where it is:

1. **join** the chunks into one file through the storage API, computing the SHA-256 of the
   whole and checking the composite checksum once more (a chunk lost or altered in storage is
   caught here); the chunks are then deleted;
2. **sniff** the first bytes: only known video containers go further (``probe.sniff_container``);
3. **probe** with ffprobe: container, codecs, resolution, frame rate, duration
   (``probe.parse_probe``), and **decide** against the category (``probe.decide``): a file outside
   the duration range is refused with the number of seconds it is over or under;
4. a **thumbnail** is extracted, and the video becomes the entry's video;
5. where the file is not an H.264/AAC MP4, a **rendition** is made (``render``), with progress.

``apply_probe`` is the decision step on its own, so that tests give it recorded ffprobe JSON.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shoko.contests.media import ffmpeg, probe
from shoko.contests.media.storage import local_path, media_storage
from shoko.contests.models import Entry, RenditionStatus, Video, VideoStatus

logger = logging.getLogger(__name__)

JOIN_FAILED_MESSAGE = _(
    "受信したファイルを組み立てられませんでした。もう一度アップロードしてください。"
)
NOT_A_CONTAINER_MESSAGE = probe.NOT_A_VIDEO_MESSAGE
TOOLS_MISSING_MESSAGE = _(
    "動画を確認できませんでした（サーバーに ffprobe がありません）。担当課にお問い合わせください。"
)
PROBE_FAILED_MESSAGE = _("動画として読めませんでした。書き出し直したファイルを選んでください。")
ENTRY_CLOSED_MESSAGE = _("応募作品が編集できない状態になったため、この動画は使われていません。")


def _chunks(video: Video) -> Iterator[bytes]:
    storage = media_storage()
    for chunk in video.chunks.order_by("index"):
        with storage.open(f"{video.chunk_prefix}/{chunk.index:06d}", "rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != chunk.sha256 or len(data) != chunk.size:
            raise ValueError(f"chunk {chunk.index} of video {video.pk} changed in storage")
        yield data


@dataclass(frozen=True)
class Outcome:
    status: str
    needs_rendition: bool


def _set(video: Video, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(video, name, value)
    video.save(update_fields=[*fields, "updated_at"])


def join(video: Video) -> str:
    """Join the chunks into ``contests/videos/<token>/original``; returns the SHA-256."""
    storage = media_storage()
    whole = hashlib.sha256()
    with tempfile.TemporaryFile() as spool:
        for data in _chunks(video):
            whole.update(data)
            spool.write(data)
        if spool.tell() != video.size:
            raise ValueError(
                f"video {video.pk}: joined {spool.tell()} bytes, expected {video.size}"
            )
        spool.seek(0)
        name = storage.save(f"contests/videos/{video.token.hex}/original", File(spool))
    _set(video, file_name=name, sha256=whole.hexdigest(), received_bytes=video.size)
    for chunk in video.chunks.all():
        storage.delete(f"{video.chunk_prefix}/{chunk.index:06d}")
    video.chunks.all().delete()
    return whole.hexdigest()


def apply_probe(video: Video, data: dict[str, Any]) -> probe.Decision:
    """Record what ffprobe found and decide against the entry's category; on acceptance the
    video becomes the entry's (if the entry can still change)."""
    facts = probe.parse_probe(data)
    category = video.entry.category
    decision = probe.decide(
        facts,
        min_seconds=category.min_seconds,
        max_seconds=category.max_seconds,
        formats=category.formats or (),
    )
    fields: dict[str, Any] = {
        "probe": data,
        "container": facts.container,
        "video_codec": facts.video_codec or "",
        "audio_codec": facts.audio_codec or "",
        "width": facts.width,
        "height": facts.height,
        "frame_rate": facts.frame_rate,
        "duration": facts.duration,
    }
    if decision.accepted:
        fields.update(
            status=VideoStatus.ACCEPTED,
            message="",
            rendition_status=(
                RenditionStatus.PENDING if decision.needs_rendition else RenditionStatus.NOT_NEEDED
            ),
        )
    else:
        fields.update(
            status=VideoStatus.REFUSED, message="\n".join(str(p) for p in decision.problems)
        )
    with transaction.atomic():
        _set(video, **fields)
        if decision.accepted:
            entry = Entry.objects.select_for_update().get(pk=video.entry_id)
            if entry.is_editable:
                previous_id = entry.video_id
                entry.video = video
                entry.save(update_fields=["video", "updated_at"])
                if previous_id and previous_id != video.pk:
                    transaction.on_commit(lambda: discard_files(previous_id))
            else:
                _set(video, message=str(ENTRY_CLOSED_MESSAGE))
    return decision


def discard_files(video_id: int) -> None:
    """A replaced video's files go; its record stays (the audit trail refers to it)."""
    video = Video.objects.get(pk=video_id)
    storage = media_storage()
    for name in (video.file_name, video.thumbnail_name, video.rendition_name):
        if name:
            storage.delete(name)
    _set(video, file_name="", thumbnail_name="", rendition_name="")


def _thumbnail(video: Video, path: Path) -> None:
    storage = media_storage()
    seconds = float(video.duration or 0) * 0.1
    with tempfile.TemporaryDirectory(prefix="shoko-thumb-") as folder:
        out = Path(folder) / "thumbnail.jpg"
        ffmpeg.extract_thumbnail(path, out, at_seconds=min(seconds, 5.0))
        with out.open("rb") as handle:
            name = storage.save(f"contests/videos/{video.token.hex}/thumbnail.jpg", File(handle))
    _set(video, thumbnail_name=name)


def process(video_id: int) -> Outcome:
    """Steps 1–4 for one uploaded video."""
    video = Video.objects.select_related("entry__category").get(pk=video_id)
    if video.status != VideoStatus.ASSEMBLING:
        return Outcome(video.status, False)
    try:
        join(video)
    except (OSError, ValueError):
        logger.exception("joining video %s failed", video.pk)
        _set(video, status=VideoStatus.FAILED, message=str(JOIN_FAILED_MESSAGE))
        return Outcome(video.status, False)
    storage = media_storage()
    with storage.open(video.file_name, "rb") as handle:
        head = handle.read(1024)
    if probe.sniff_container(head) is None:
        _set(video, status=VideoStatus.REFUSED, message=str(NOT_A_CONTAINER_MESSAGE))
        return Outcome(video.status, False)
    _set(video, status=VideoStatus.PROBING)
    try:
        with local_path(storage, video.file_name) as path:
            data = ffmpeg.run_ffprobe(path)
            decision = apply_probe(video, data)
            if decision.accepted:
                try:
                    _thumbnail(video, path)
                except ffmpeg.ToolFailed:
                    logger.warning("no thumbnail for video %s", video.pk)
    except ffmpeg.ToolMissing:
        _set(video, status=VideoStatus.FAILED, message=str(TOOLS_MISSING_MESSAGE))
        return Outcome(video.status, False)
    except ffmpeg.ToolFailed:
        _set(video, status=VideoStatus.REFUSED, message=str(PROBE_FAILED_MESSAGE))
        return Outcome(video.status, False)
    return Outcome(video.status, decision.accepted and decision.needs_rendition)


def render(video_id: int) -> str:
    """Step 5: the H.264/AAC MP4 rendition, with progress recorded (at most every 2 %)."""
    video = Video.objects.get(pk=video_id)
    if video.rendition_status not in (RenditionStatus.PENDING, RenditionStatus.FAILED):
        return video.rendition_status
    _set(video, rendition_status=RenditionStatus.RUNNING, rendition_progress=0)
    storage = media_storage()
    shown = [0]

    def on_progress(fraction: float) -> None:
        percent = int(fraction * 100)
        if percent >= shown[0] + 2 or percent == 100:
            shown[0] = percent
            Video.objects.filter(pk=video.pk).update(rendition_progress=percent)

    try:
        with (
            local_path(storage, video.file_name) as path,
            tempfile.TemporaryDirectory(prefix="shoko-render-") as folder,
        ):
            out = Path(folder) / "rendition.mp4"
            ffmpeg.transcode_to_mp4(path, out, duration=video.duration, on_progress=on_progress)
            with out.open("rb") as handle:
                name = storage.save(
                    f"contests/videos/{video.token.hex}/rendition.mp4", File(handle)
                )
    except (ffmpeg.ToolMissing, ffmpeg.ToolFailed):
        logger.exception("rendition of video %s failed", video.pk)
        _set(video, rendition_status=RenditionStatus.FAILED)
        return RenditionStatus.FAILED
    _set(
        video,
        rendition_name=name,
        rendition_status=RenditionStatus.DONE,
        rendition_progress=100,
    )
    return RenditionStatus.DONE

"""Resumable video uploads, in chunks, that survive a phone on a train.

The protocol (JSON over HTTPS, views in ``views/uploads.py``; the browser side is
``static/contests/upload.js``):

1. ``start_upload`` — the entrant names the file and its size; Shoko refuses a file over the
   call's limit at once and answers with an upload id, the chunk size and the chunks it already
   holds (asking again for the same file resumes it).
2. ``receive_chunk`` — each chunk is sent with its SHA-256; a chunk whose bytes do not match
   is refused and sent again. Chunks may come in any order and more than once.
3. ``complete_upload`` — the entrant sends the whole file's checksum: the SHA-256 of the
   chunks' SHA-256 digests in order (a composite checksum, as object stores use for multipart
   uploads: the browser hashes each chunk natively and never holds the whole file). Shoko checks
   it against the chunks it stored, then a background task joins them, records the SHA-256 of the
   whole file, and inspects it (``media/pipeline.py``).

Chunks and files go through Django's storage API (``media/storage.py``); nothing is ever
executed or served under the name the entrant gave.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from shoko.contests import access, tasks
from shoko.contests.media.storage import media_storage
from shoko.contests.models import Entry, UploadChunk, Video, VideoStatus
from shoko.contests.services.common import locked, require_editable, require_owner
from shoko.core.audit import acting_as
from shoko.core.concurrency import busy_is_a_message
from shoko.core.models import User

NOT_VIDEO_CATEGORY_MESSAGE = _("この部門は動画の応募ではありません。")
EMPTY_MESSAGE = _("ファイルが空です。")
TOO_LARGE_MESSAGE = _("ファイルが大きすぎます（上限 %(limit)s、このファイルは %(size)s）。")
NAME_MESSAGE = _("ファイル名を確かめてください。")
CHUNK_INDEX_MESSAGE = _("チャンク番号 %(index)s はこのアップロードにありません。")
CHUNK_LENGTH_MESSAGE = _(
    "チャンク %(index)s の長さが違います（期待 %(expected)s バイト、受信 %(got)s バイト）。"
)
CHUNK_CHECKSUM_MESSAGE = _("チャンク %(index)s が壊れて届きました。もう一度送ってください。")
CHECKSUM_FORMAT_MESSAGE = _("チェックサムは 64 桁の16進数（SHA-256）で送ってください。")
MISSING_CHUNKS_MESSAGE = _("まだ届いていないチャンクがあります（%(count)s 個）。")
WHOLE_CHECKSUM_MESSAGE = _(
    "ファイル全体のチェックサムが一致しません。もう一度アップロードしてください。"
)
NOT_UPLOADING_MESSAGE = _("このアップロードは受付を終えています（%(status)s）。")

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
READ_BLOCK = 256 * 1024


def _check_hex(value: str) -> str:
    value = (value or "").strip().lower()
    if not _HEX64.match(value):
        raise ValidationError(CHECKSUM_FORMAT_MESSAGE, code="checksum_format")
    return value


@busy_is_a_message
def start_upload(*, actor: User, entry: Entry, data: Mapping[str, Any]) -> Video:
    """Begin (or resume) the upload of a video for ``entry``: ``data`` has the file's ``name``
    and ``size`` in bytes. The same person asking again for a file of the same name and size
    gets the upload they started, with the chunks already received."""
    name = str(data.get("name") or "").strip()
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    try:
        size = int(data.get("size") or 0)
    except (TypeError, ValueError):
        size = 0
    with transaction.atomic(), acting_as(actor):
        entry = locked(Entry, entry.pk)
        require_owner(actor, entry)
        require_editable(entry)
        if not entry.category.is_video:
            raise ValidationError(NOT_VIDEO_CATEGORY_MESSAGE, code="not_video")
        if not name:
            raise ValidationError(NAME_MESSAGE, code="name")
        if size <= 0:
            raise ValidationError(EMPTY_MESSAGE, code="empty")
        limit = entry.call.video_limit
        if size > limit:
            raise ValidationError(
                TOO_LARGE_MESSAGE,
                code="too_large",
                params={"limit": filesizeformat(limit), "size": filesizeformat(size)},
            )
        existing = (
            Video.objects.filter(
                entry=entry,
                uploaded_by=actor,
                original_name=name,
                size=size,
                status=VideoStatus.UPLOADING,
            )
            .order_by("-created_at")
            .first()
        )
        if existing is not None:
            return existing
        return Video.objects.create(
            entry=entry,
            uploaded_by=actor,
            original_name=name,
            size=size,
            chunk_size=settings.SHOKO_CONTESTS_CHUNK_BYTES,
        )


def _may_upload(actor: User, video: Video) -> None:
    if video.uploaded_by_id != actor.pk and not access.owns_entry(actor, video.entry):
        raise PermissionDenied


def received_indexes(video: Video) -> list[int]:
    return list(video.chunks.order_by("index").values_list("index", flat=True))


def receive_chunk(
    *, actor: User, video: Video, index: int, stream: IO[bytes], sha256: str
) -> UploadChunk:
    """Store chunk ``index`` read from ``stream`` if its bytes have the SHA-256 the client
    sent. Sending a chunk again replaces it; two copies arriving at once are both fine."""
    _may_upload(actor, video)
    if video.status != VideoStatus.UPLOADING:
        raise ValidationError(
            NOT_UPLOADING_MESSAGE,
            code="not_uploading",
            params={"status": video.get_status_display()},
        )
    if not 0 <= index < video.chunk_count:
        raise ValidationError(CHUNK_INDEX_MESSAGE, code="chunk_index", params={"index": index})
    expected = _check_hex(sha256)
    length = video.chunk_length(index)
    digest = hashlib.sha256()
    received = 0
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
        while True:
            block = stream.read(min(READ_BLOCK, length + 1 - received))
            if not block:
                break
            received += len(block)
            if received > length:
                break
            digest.update(block)
            buffer.write(block)
        if received != length:
            raise ValidationError(
                CHUNK_LENGTH_MESSAGE,
                code="chunk_length",
                params={"index": index, "expected": length, "got": received},
            )
        if digest.hexdigest() != expected:
            raise ValidationError(
                CHUNK_CHECKSUM_MESSAGE, code="chunk_checksum", params={"index": index}
            )
        buffer.seek(0)
        storage = media_storage()
        name = f"{video.chunk_prefix}/{index:06d}"
        # Storage never overwrites: a chunk sent again replaces the first copy.
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, buffer)
    try:
        with transaction.atomic():
            chunk, created = UploadChunk.objects.get_or_create(
                video=video, index=index, defaults={"size": length, "sha256": expected}
            )
            if not created and chunk.sha256 != expected:
                chunk.sha256 = expected
                chunk.save(update_fields=["sha256"])
            total = video.chunks.aggregate(total=Sum("size"))["total"] or 0
            Video.objects.filter(pk=video.pk).update(received_bytes=total)
    except IntegrityError:  # the same chunk arrived twice at once: the other copy is stored
        chunk = UploadChunk.objects.get(video=video, index=index)
    if saved != name:  # a concurrent copy took the name; keep one file
        storage.delete(saved)
    return chunk


def composite_checksum(chunk_digests: list[str]) -> str:
    """SHA-256 over the chunks' SHA-256 digests (raw bytes, in order)."""
    whole = hashlib.sha256()
    for hex_digest in chunk_digests:
        whole.update(bytes.fromhex(hex_digest))
    return whole.hexdigest()


@busy_is_a_message
def complete_upload(*, actor: User, video: Video, data: Mapping[str, Any]) -> Video:
    """All chunks are in: check the whole file's (composite) checksum, then hand the file to
    the background task that joins, inspects and converts it."""
    checksum = _check_hex(str(data.get("checksum") or ""))
    with transaction.atomic(), acting_as(actor):
        video = locked(Video, video.pk)
        _may_upload(actor, video)
        entry = video.entry
        require_owner(actor, entry)
        require_editable(entry)
        if video.status != VideoStatus.UPLOADING:
            if video.checksum == checksum:
                return video  # a double click: the first request already completed it
            raise ValidationError(
                NOT_UPLOADING_MESSAGE,
                code="not_uploading",
                params={"status": video.get_status_display()},
            )
        digests = list(video.chunks.order_by("index").values_list("sha256", flat=True))
        if len(digests) != video.chunk_count:
            raise ValidationError(
                MISSING_CHUNKS_MESSAGE,
                code="missing_chunks",
                params={"count": video.chunk_count - len(digests)},
            )
        if composite_checksum(digests) != checksum:
            raise ValidationError(WHOLE_CHECKSUM_MESSAGE, code="whole_checksum")
        video.checksum = checksum
        video.status = VideoStatus.ASSEMBLING
        video.save(update_fields=["checksum", "status", "updated_at"])
        video_id = video.pk
        transaction.on_commit(lambda: tasks.process_video.enqueue(video_id))
    return video

"""Large videos over a phone on a train: chunks with checksums, resumption, the composite
checksum, and the inspection that follows — through the JSON endpoints the browser uses."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.files.storage import default_storage

from shoko.contests.media import pipeline
from shoko.contests.media.storage import media_storage
from shoko.contests.models import UploadChunk, Video, VideoStatus
from shoko.contests.services import uploads
from tests.contests.conftest import start

DATA = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 10  # 2572 bytes: 3 chunks of 1024


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chunks(data: bytes, size: int = 1024) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def send_all(entry, actor):
    """Every chunk of DATA, through the service, with its SHA-256."""
    video = uploads.start_upload(
        actor=actor, entry=entry, data={"name": "a.mp4", "size": len(DATA)}
    )
    for index, piece in enumerate(chunks(DATA)):
        uploads.receive_chunk(
            actor=actor, video=video, index=index, stream=io.BytesIO(piece), sha256=sha(piece)
        )
    return video, [sha(piece) for piece in chunks(DATA)]


@pytest.fixture
def entry(call, entrant):
    return start(call, entrant)


def begin(client, entry, data=DATA, name="作品.mp4"):
    return client.post(
        f"/my/contests/entries/{entry.pk}/uploads/",
        data=json.dumps({"name": name, "size": len(data)}),
        content_type="application/json",
    )


def put(client, body, index, data, digest=None):
    return client.put(
        f"{body['urls']['chunk']}{index}",
        data=data,
        content_type="application/octet-stream",
        HTTP_X_CHUNK_SHA256=digest or sha(data),
    )


def test_an_upload_interrupted_then_resumed_then_completed(
    client, entry, entrant, django_capture_on_commit_callbacks
):
    client.force_login(entrant)
    started = begin(client, entry)
    assert started.status_code == 201
    body = started.json()
    assert (body["chunk_size"], body["chunks"], body["received"]) == (1024, 3, [])
    pieces = chunks(DATA)
    assert put(client, body, 0, pieces[0]).json()["received_bytes"] == 1024
    # The train enters a tunnel; later the same file is chosen again.
    again = begin(client, entry)
    assert again.status_code == 200
    assert again.json()["upload"] == body["upload"]
    assert again.json()["received"] == [0]
    for index in (2, 1):  # any order
        assert put(client, body, index, pieces[index]).status_code == 200
    assert put(client, body, 1, pieces[1]).status_code == 200  # a retried chunk is fine
    checksum = hashlib.sha256(b"".join(bytes.fromhex(sha(p)) for p in pieces)).hexdigest()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            body["urls"]["complete"],
            data=json.dumps({"checksum": checksum}),
            content_type="application/json",
        )
    assert done.status_code == 202
    video = Video.objects.get(token=body["upload"])
    # The worker ran at once: joined, checked, sniffed as MP4, then handed to ffprobe — which
    # unit tests do not have, so it waits with a message for staff.
    assert video.sha256 == sha(DATA)
    assert video.status == VideoStatus.FAILED
    assert not UploadChunk.objects.filter(video=video).exists()
    assert not media_storage().exists(f"{video.chunk_prefix}/000000")
    assert media_storage().open(video.file_name).read() == DATA
    assert not default_storage.exists(video.file_name)  # never under MEDIA_ROOT


def test_damaged_chunks_wrong_lengths_and_wrong_totals_are_refused(client, entry, entrant):
    client.force_login(entrant)
    body = begin(client, entry).json()
    pieces = chunks(DATA)
    bad = put(client, body, 0, pieces[0], digest=sha(b"something else"))
    assert bad.status_code == 400
    assert bad.json()["code"] == "chunk_checksum"
    assert "壊れて" in bad.json()["error"]
    short = put(client, body, 0, pieces[0][:10])
    assert short.json()["code"] == "chunk_length"
    assert put(client, body, 9, pieces[0]).json()["code"] == "chunk_index"
    assert put(client, body, 0, pieces[0], digest="not-hex").json()["code"] == "checksum_format"
    for index, piece in enumerate(pieces[:2]):
        put(client, body, index, piece)
    early = client.post(
        body["urls"]["complete"],
        data=json.dumps({"checksum": "0" * 64}),
        content_type="application/json",
    )
    assert early.json()["code"] == "missing_chunks"
    put(client, body, 2, pieces[2])
    wrong = client.post(
        body["urls"]["complete"],
        data=json.dumps({"checksum": "0" * 64}),
        content_type="application/json",
    )
    assert wrong.json()["code"] == "whole_checksum"
    assert Video.objects.get(token=body["upload"]).status == VideoStatus.UPLOADING


def test_a_file_over_the_limit_is_refused_before_a_byte_is_sent(client, entry, entrant, settings):
    settings.SHOKO_CONTESTS_MAX_VIDEO_BYTES = 2 * 1024**3
    client.force_login(entrant)
    response = client.post(
        f"/my/contests/entries/{entry.pk}/uploads/",
        data=json.dumps({"name": "huge.mov", "size": 3 * 1024**3}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "too_large"
    assert "2.0\xa0GB" in response.json()["error"]
    for size in (0, -5, "abc"):
        response = client.post(
            f"/my/contests/entries/{entry.pk}/uploads/",
            data=json.dumps({"name": "x.mp4", "size": size}),
            content_type="application/json",
        )
        assert response.json()["code"] == "empty"


def test_another_entrants_upload_is_not_found(client, entry, entrant, other_entrant):
    client.force_login(entrant)
    body = begin(client, entry).json()
    client.force_login(other_entrant)
    assert client.get(body["urls"]["self"]).status_code == 404
    assert put(client, body, 0, chunks(DATA)[0]).status_code == 404
    assert begin(client, entry).status_code == 404
    client.logout()
    assert client.get(body["urls"]["self"]).status_code == 401


def test_a_playlist_pretending_to_be_a_video_never_reaches_ffprobe(
    entry, entrant, settings, django_capture_on_commit_callbacks
):
    settings.SHOKO_CONTESTS_FFPROBE = "/nonexistent/ffprobe-would-fail-loudly"
    playlist = b"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n"
    video = uploads.start_upload(
        actor=entrant, entry=entry, data={"name": "movie.mp4", "size": len(playlist)}
    )
    uploads.receive_chunk(
        actor=entrant, video=video, index=0, stream=io.BytesIO(playlist), sha256=sha(playlist)
    )
    with django_capture_on_commit_callbacks(execute=True):
        uploads.complete_upload(
            actor=entrant,
            video=video,
            data={"checksum": hashlib.sha256(bytes.fromhex(sha(playlist))).hexdigest()},
        )
    video.refresh_from_db()
    assert video.status == VideoStatus.REFUSED
    assert "動画ファイルとして読めませんでした" in video.message


def test_without_ffprobe_the_upload_waits_for_staff_with_a_clear_message(
    entry, entrant, settings, django_capture_on_commit_callbacks
):
    settings.SHOKO_CONTESTS_FFPROBE = "definitely-not-installed-ffprobe"
    video, digests = send_all(entry, entrant)
    with django_capture_on_commit_callbacks(execute=True):
        uploads.complete_upload(
            actor=entrant, video=video, data={"checksum": uploads.composite_checksum(digests)}
        )
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED
    assert "ffprobe がありません" in video.message


def test_a_chunk_changed_in_storage_is_caught_when_joining(entry, entrant):
    video, digests = send_all(entry, entrant)
    storage = media_storage()
    name = f"{video.chunk_prefix}/000001"
    storage.delete(name)
    storage.save(name, io.BytesIO(b"x" * 1024))
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.ASSEMBLING, checksum=uploads.composite_checksum(digests)
    )
    outcome = pipeline.process(video.pk)
    assert outcome.status == VideoStatus.FAILED


def test_a_refused_video_does_not_replace_the_accepted_one(
    call, entrant, django_capture_on_commit_callbacks
):
    from tests.contests.conftest import attach_video

    entry = start(call, entrant)
    first = attach_video(entry, entrant)
    attach_video(entry, entrant, recorded="long95_mp4")
    entry.refresh_from_db()
    assert entry.video == first
    type(entry.category).objects.filter(pk=entry.category_id).update(formats=[])  # any format
    with django_capture_on_commit_callbacks(execute=True):
        webm = attach_video(entry, entrant, recorded="vp9_webm")
    entry.refresh_from_db()
    assert entry.video == webm
    assert webm.rendition_status == "pending"
    first.refresh_from_db()
    assert first.file_name == ""  # the replaced video's files are gone

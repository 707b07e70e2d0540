"""The file is inspected, not trusted: ffprobe's recorded output parsed and judged against the
category; the first bytes sniffed; ffmpeg's progress read; ranges served for seeking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import RequestFactory

from shoko.contests.media.ffmpeg import progress_fraction
from shoko.contests.media.probe import decide, parse_probe, sniff_container
from shoko.contests.media.ranges import parse_range, ranged_response
from tests.contests.conftest import probe

ONE_MINUTE = {"min_seconds": Decimal(30), "max_seconds": Decimal(90), "formats": ["mp4", "mov"]}


def test_an_h264_aac_mp4_is_read_and_played_as_it_is():
    facts = parse_probe(probe("ok45_mp4"))
    assert (facts.container, facts.video_codec, facts.audio_codec) == ("mp4", "h264", "aac")
    assert (facts.width, facts.height, facts.frame_rate) == (320, 180, Decimal("24.000"))
    assert facts.duration == Decimal("45.000")
    decision = decide(facts, **ONE_MINUTE)
    assert decision.accepted
    assert not decision.needs_rendition


def test_too_long_says_by_how_many_seconds():
    facts = parse_probe(probe("long95_mp4"))
    assert facts.frame_rate == Decimal("29.970")
    decision = decide(facts, **ONE_MINUTE)
    assert not decision.accepted
    assert [str(p) for p in decision.problems] == [
        "作品の長さは 95.2 秒で、この部門の上限 90 秒を 5.2 秒超えています。"
    ]


def test_too_short_and_wrong_format_are_both_reported_in_english_too():
    from django.utils import translation

    facts = parse_probe(probe("short20_mov"))
    assert facts.container == "mov"
    assert facts.audio_codec is None
    with translation.override("en"):
        decision = decide(facts, min_seconds=Decimal(30), max_seconds=Decimal(90), formats=["mp4"])
        problems = [str(p) for p in decision.problems]
    assert problems == [
        "MOV files are not accepted (accepted formats: MP4).",
        "The work is 20 seconds long, 10 seconds shorter than this category's minimum of "
        "30 seconds.",
    ]


def test_a_webm_is_accepted_but_gets_a_browser_playable_rendition():
    facts = parse_probe(probe("vp9_webm"))
    assert (facts.container, facts.video_codec, facts.audio_codec) == ("webm", "vp9", "opus")
    decision = decide(facts, **ONE_MINUTE | {"formats": []})
    assert decision.accepted
    assert decision.needs_rendition


def test_an_image_is_not_a_video():
    decision = decide(parse_probe(probe("frame_png")), **ONE_MINUTE)
    assert not decision.accepted
    assert "動画ファイルとして読めませんでした" in str(decision.problems[0])


def test_a_few_hundredths_over_is_encoder_padding_but_a_tenth_more_is_over():
    facts = parse_probe(probe("ok45_mp4"))
    padded = facts.__class__(**{**facts.__dict__, "duration": Decimal("90.04")})
    assert decide(padded, **ONE_MINUTE).accepted
    over = facts.__class__(**{**facts.__dict__, "duration": Decimal("90.14")})
    assert "0.2 秒超えています" in str(decide(over, **ONE_MINUTE).problems[0])


def test_missing_or_odd_fields_do_not_break_the_parser():
    facts = parse_probe(
        {
            "format": {"format_name": "matroska,webm", "duration": "N/A"},
            "streams": [
                {
                    "codec_type": "video",
                    "codec_name": "h264",
                    "avg_frame_rate": "0/0",
                    "r_frame_rate": "25/1",
                    "width": "x",
                }
            ],
        }
    )
    assert facts.container == "mkv"
    assert facts.frame_rate == Decimal("25.000")
    assert facts.duration is None
    assert facts.width is None
    assert "長さを読み取れませんでした" in str(
        decide(facts, **ONE_MINUTE | {"formats": []}).problems[0]
    )


def test_cover_art_is_not_the_film():
    data = probe("ok45_mp4")
    data["streams"].insert(
        0, {"codec_type": "video", "codec_name": "mjpeg", "disposition": {"attached_pic": 1}}
    )
    assert parse_probe(data).video_codec == "h264"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 20, "isobmff"),
        (b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 20, "isobmff"),
        (b"\x1a\x45\xdf\xa3" + b"\x00" * 20, "matroska"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "avi"),
        (b"#EXTM3U\n#EXT-X-VERSION:3\nfile:///etc/passwd\n", None),
        (b"ffconcat version 1.0\nfile '/etc/passwd'\n", None),
        (b"MZ\x90\x00" + b"\x00" * 40, None),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, None),
    ],
)
def test_only_known_video_containers_reach_ffprobe(head, kind):
    assert sniff_container(head) == kind


def test_ffmpeg_progress_lines():
    assert progress_fraction("out_time_us=22500000", Decimal(45)) == 0.5
    assert progress_fraction("out_time_ms=90000000", Decimal(45)) == 1.0
    assert progress_fraction("frame=12", Decimal(45)) is None
    assert progress_fraction("out_time_us=N/A", Decimal(45)) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=1000-", False),
        ("bytes=-0", False),
        ("bytes=5-2", None),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
    ],
)
def test_range_headers(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.fixture
def stored(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("clip", ContentFile(bytes(range(256)) * 4))
    return storage, name


def _body(response):
    return b"".join(response.streaming_content)


def test_a_range_is_answered_with_206_and_only_those_bytes(stored):
    storage, name = stored
    request = RequestFactory().get("/", HTTP_RANGE="bytes=10-19")
    response = ranged_response(
        request, storage, name, content_type="video/mp4", filename="作品.mp4"
    )
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 10-19/1024"
    assert response["Content-Length"] == "10"
    assert _body(response) == bytes(range(10, 20))
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_whole_file_beyond_the_end_and_unsafe_types(stored):
    storage, name = stored
    whole = ranged_response(
        RequestFactory().get("/"), storage, name, content_type="video/mp4", filename="a.mp4"
    )
    assert whole.status_code == 200
    assert len(_body(whole)) == 1024
    beyond = ranged_response(
        RequestFactory().get("/", HTTP_RANGE="bytes=2000-"),
        storage,
        name,
        content_type="video/mp4",
        filename="a",
    )
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == "bytes */1024"
    html = ranged_response(
        RequestFactory().get("/"), storage, name, content_type="text/html", filename="x.html"
    )
    assert html["Content-Type"] == "application/octet-stream"
    assert html["Content-Disposition"].startswith("attachment;")

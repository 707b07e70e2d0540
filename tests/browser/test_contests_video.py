"""The thin runner around Debian's ffprobe and ffmpeg, for real: probing what ffmpeg made,
a thumbnail, and an H.264/AAC rendition of a QuickTime file with progress. These need ffmpeg,
so they run in the browser step, which .ci/run prepares (never in ``make test``)."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from shoko.contests.media import ffmpeg
from shoko.contests.media.probe import decide, parse_probe, sniff_container

pytestmark = pytest.mark.browser


def run_ffmpeg(*args: str) -> None:
    """Debian's ffmpeg, by its absolute path, making test clips from its own test sources."""
    subprocess.run([ffmpeg.ffmpeg_binary(), "-v", "error", "-y", *args], check=True)  # noqa: S603


@pytest.fixture
def quicktime(tmp_path) -> Path:
    path = tmp_path / "work.mov"
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=25",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=330",
        "-t",
        "12",
        "-c:v",
        "mpeg4",
        "-c:a",
        "pcm_s16le",
        "-f",
        "mov",
        str(path),
    )
    return path


def test_probe_thumbnail_and_rendition(quicktime, tmp_path):
    assert ffmpeg.available()
    assert sniff_container(quicktime.read_bytes()[:1024]) == "isobmff"
    facts = parse_probe(ffmpeg.run_ffprobe(quicktime))
    assert (facts.container, facts.video_codec, facts.audio_codec) == ("mov", "mpeg4", "pcm_s16le")
    assert facts.duration == Decimal("12.000")
    decision = decide(facts, min_seconds=Decimal(5), max_seconds=Decimal(30), formats=["mov"])
    assert decision.accepted
    assert decision.needs_rendition
    thumb = tmp_path / "thumb.jpg"
    ffmpeg.extract_thumbnail(quicktime, thumb, at_seconds=1.2)
    assert thumb.read_bytes()[:3] == b"\xff\xd8\xff"
    seen: list[float] = []
    out = tmp_path / "rendition.mp4"
    ffmpeg.transcode_to_mp4(quicktime, out, duration=facts.duration, on_progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    rendition = parse_probe(ffmpeg.run_ffprobe(out))
    assert rendition.browser_playable
    assert abs(rendition.duration - Decimal(12)) < Decimal("0.2")


def test_a_file_ffprobe_cannot_read_fails_cleanly(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000)
    with pytest.raises(ffmpeg.ToolFailed):
        ffmpeg.run_ffprobe(junk)


def test_the_recorded_probes_match_what_ffprobe_says_today(tmp_path):
    """The unit tests' recorded output stays honest: a clip made the same way parses the same."""
    path = tmp_path / "ok45.mp4"
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x180:rate=24",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=44100",
        "-t",
        "45",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-preset",
        "veryfast",
        "-crf",
        "35",
        "-c:a",
        "aac",
        "-b:a",
        "48k",
        "-movflags",
        "+faststart",
        str(path),
    )
    recorded = json.loads(
        (Path(__file__).parents[1] / "contests" / "probes" / "ok45_mp4.json").read_text()
    )
    assert parse_probe(ffmpeg.run_ffprobe(path)) == parse_probe(recorded).__class__(
        **{
            **parse_probe(recorded).__dict__,
            "size": parse_probe(ffmpeg.run_ffprobe(path)).size,
            "bit_rate": parse_probe(ffmpeg.run_ffprobe(path)).bit_rate,
        }
    )

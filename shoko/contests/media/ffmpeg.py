"""The thin runner around Debian's ``ffprobe`` and ``ffmpeg`` — nothing else in Shoko starts
them. Decisions about what they report live in ``probe.py`` (tested without the programs);
the tests that run these functions for real are in tests/browser/test_contests_video.py, which
CI runs after installing ffmpeg.

Every call has a timeout, reads only a local file given as ``file:`` (never a URL or a
playlist: ``probe.sniff_container`` has already refused anything but a known container), and
writes only where it is told.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

PROBE_TIMEOUT = 120
THUMBNAIL_TIMEOUT = 120


class ToolMissing(RuntimeError):
    """ffprobe or ffmpeg is not installed (Debian: ``apt-get install ffmpeg``)."""


class ToolFailed(RuntimeError):
    """The program ran and could not read or write the file."""


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(name)
    return path


def ffprobe_binary() -> str:
    return _binary(settings.SHOKO_CONTESTS_FFPROBE)


def ffmpeg_binary() -> str:
    return _binary(settings.SHOKO_CONTESTS_FFMPEG)


def available() -> bool:
    try:
        ffprobe_binary()
        ffmpeg_binary()
    except ToolMissing:
        return False
    return True


def _input(path: Path) -> str:
    return f"file:{path.resolve()}"


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(  # noqa: S603 — fixed arguments, never a shell
            command, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolFailed(f"{Path(command[0]).name} timed out") from exc


def run_ffprobe(path: Path) -> dict[str, Any]:
    """ffprobe's JSON for a local file."""
    command = [
        ffprobe_binary(),
        "-v",
        "error",
        "-protocol_whitelist",
        "file",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        _input(path),
    ]
    done = _run(command, PROBE_TIMEOUT)
    if done.returncode != 0:
        raise ToolFailed(done.stderr.decode("utf-8", "replace")[-500:])
    try:
        data = json.loads(done.stdout)
    except ValueError as exc:
        raise ToolFailed("ffprobe printed no JSON") from exc
    if not isinstance(data, dict):
        raise ToolFailed("ffprobe printed no JSON object")
    return data


def extract_thumbnail(path: Path, out: Path, *, at_seconds: float) -> None:
    """One JPEG frame, 640 pixels wide at most."""
    command = [
        ffmpeg_binary(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        "-y",
        "-protocol_whitelist",
        "file",
        "-ss",
        f"{max(at_seconds, 0):.3f}",
        "-i",
        _input(path),
        "-frames:v",
        "1",
        "-vf",
        "scale='min(640,iw)':-2",
        "-q:v",
        "3",
        str(out),
    ]
    done = _run(command, THUMBNAIL_TIMEOUT)
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise ToolFailed(done.stderr.decode("utf-8", "replace")[-500:])


def progress_fraction(line: str, duration: Decimal | None) -> float | None:
    """From a line of ``ffmpeg -progress`` output, the fraction done (None: not a time line)."""
    key, _sep, value = line.strip().partition("=")
    if key not in ("out_time_us", "out_time_ms") or not duration or duration <= 0:
        return None
    try:
        micros = int(value)
    except ValueError:
        return None
    # ffmpeg writes microseconds under both names (out_time_ms is a historical misnomer).
    return max(0.0, min(1.0, micros / 1_000_000 / float(duration)))


def transcode_to_mp4(
    path: Path,
    out: Path,
    *,
    duration: Decimal | None,
    on_progress: Callable[[float], None],
    timeout: float = 6 * 3600,
) -> None:
    """A browser-playable rendition: H.264 (yuv420p, at most 1920 wide) and AAC in MP4 with
    the index first (faststart), reporting progress as it goes."""
    command = [
        ffmpeg_binary(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        "-y",
        "-protocol_whitelist",
        "file,pipe",
        "-i",
        _input(path),
        "-map",
        "0:v:0",
        "-map",
        "0:a:0?",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "22",
        "-pix_fmt",
        "yuv420p",
        "-vf",
        "scale='min(1920,iw)':-2",
        "-c:a",
        "aac",
        "-b:a",
        "160k",
        "-movflags",
        "+faststart",
        "-progress",
        "pipe:1",
        "-nostats",
        str(out),
    ]
    process = subprocess.Popen(  # noqa: S603 — fixed arguments
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None  # noqa: S101 — set by stdout=PIPE
    # A watchdog, since reading the progress lines blocks: a stuck ffmpeg is killed.
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    try:
        for line in process.stdout:
            fraction = progress_fraction(line, duration)
            if fraction is not None:
                on_progress(fraction)
        _out, err = process.communicate()
    finally:
        timed_out = not watchdog.is_alive()
        watchdog.cancel()
    if timed_out:
        raise ToolFailed("ffmpeg timed out")
    if process.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise ToolFailed((err or "")[-500:])
    on_progress(1.0)

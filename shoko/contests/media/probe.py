"""What a video file really is — read from ffprobe's JSON, never from its name — and whether a
category accepts it. Pure functions: tests feed them recorded ffprobe output.

``ffprobe -v error -print_format json -show_format -show_streams FILE`` gives ``{"format":
{...}, "streams": [...]}``; ``parse_probe`` turns it into ``VideoFacts``; ``decide`` says whether
a category takes the file and, if not, why (by how many seconds it is too long or short).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Containers padded by encoders (AAC priming, a last frame's length) run a few hundredths of a
#: second over the length the maker set; within this the length is taken as meant.
DURATION_TOLERANCE = Decimal("0.1")

#: Containers a category may list, as people call them.
KNOWN_CONTAINERS = ("mp4", "mov", "webm", "mkv", "avi", "mpegts", "mpeg", "flv", "ogg")

NOT_A_VIDEO_MESSAGE = _(
    "動画ファイルとして読めませんでした。MP4 などの動画ファイルを選んでください。"
)
NO_DURATION_MESSAGE = _(
    "動画の長さを読み取れませんでした。書き出し直したファイルを選んでください。"
)
TOO_SHORT_MESSAGE = _(
    "作品の長さは %(duration)s 秒で、この部門の最短 %(limit)s 秒より %(diff)s 秒短いです。"
)
TOO_LONG_MESSAGE = _(
    "作品の長さは %(duration)s 秒で、この部門の上限 %(limit)s 秒を %(diff)s 秒超えています。"
)
FORMAT_MESSAGE = _("%(container)s 形式は受け付けていません（受け付ける形式: %(formats)s）。")

# Brands of the ISO base media file format that are QuickTime rather than MP4.
_QUICKTIME_BRANDS = {"qt"}
_WEBM_VIDEO = {"vp8", "vp9", "av1"}
_WEBM_AUDIO = {"vorbis", "opus"}
_PLAYABLE_PIXEL_FORMATS = {"yuv420p", "yuvj420p"}


@dataclass(frozen=True)
class VideoFacts:
    container: str  # mp4, mov, webm, mkv, avi… ("" when ffprobe found no known container)
    format_name: str  # ffprobe's own, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    video_codec: str | None
    audio_codec: str | None
    width: int | None
    height: int | None
    frame_rate: Decimal | None
    duration: Decimal | None  # seconds
    pixel_format: str | None = None
    size: int | None = None
    bit_rate: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def has_video(self) -> bool:
        return self.video_codec is not None

    @property
    def browser_playable(self) -> bool:
        """An H.264/AAC MP4 that every browser (phones included) plays as it is."""
        return (
            self.container == "mp4"
            and self.video_codec == "h264"
            and (self.pixel_format or "yuv420p") in _PLAYABLE_PIXEL_FORMATS
            and self.audio_codec in (None, "aac")
        )


def _decimal(value: Any) -> Decimal | None:
    if value in (None, "", "N/A"):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def _rate(value: Any) -> Decimal | None:
    """ffprobe's rational frame rate ("30000/1001", "25/1", "0/0") as frames per second."""
    if not isinstance(value, str) or "/" not in value:
        return _decimal(value)
    num, _sep, den = value.partition("/")
    n, d = _decimal(num), _decimal(den)
    if n is None or not d:
        return None
    rate = (n / d).quantize(Decimal("0.001"))
    return rate if rate > 0 else None


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _container(
    format_name: str, tags: Mapping[str, Any], video: str | None, audio: str | None
) -> str:
    names = set(format_name.split(","))
    if "mp4" in names or "mov" in names:
        brand = str(tags.get("major_brand", "")).strip().lower()
        return "mov" if brand in _QUICKTIME_BRANDS else "mp4"
    if "matroska" in names or "webm" in names:
        if video in _WEBM_VIDEO and audio in ({None} | _WEBM_AUDIO):
            return "webm"
        return "mkv"
    for known in ("avi", "mpegts", "mpeg", "flv", "ogg"):
        if known in names:
            return known
    return ""


def parse_probe(data: Mapping[str, Any]) -> VideoFacts:
    """``VideoFacts`` from ffprobe's JSON (``-show_format -show_streams``)."""
    fmt = data.get("format") or {}
    streams: Sequence[Mapping[str, Any]] = data.get("streams") or []
    # Cover art is a "video" stream with the attached_pic disposition: not the film.
    videos = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    video = videos[0] if videos else None
    audio = audios[0] if audios else None
    video_codec = str(video["codec_name"]) if video and video.get("codec_name") else None
    audio_codec = str(audio["codec_name"]) if audio and audio.get("codec_name") else None
    format_name = str(fmt.get("format_name", ""))
    duration = _decimal(fmt.get("duration"))
    if duration is None and video is not None:
        duration = _decimal(video.get("duration"))
    frame_rate = None
    if video is not None:
        frame_rate = _rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate"))
    return VideoFacts(
        container=_container(format_name, fmt.get("tags") or {}, video_codec, audio_codec),
        format_name=format_name,
        video_codec=video_codec,
        audio_codec=audio_codec,
        width=_int(video.get("width")) if video else None,
        height=_int(video.get("height")) if video else None,
        frame_rate=frame_rate,
        duration=duration.quantize(Decimal("0.001")) if duration is not None else None,
        pixel_format=str(video["pix_fmt"]) if video and video.get("pix_fmt") else None,
        size=_int(fmt.get("size")),
        bit_rate=_int(fmt.get("bit_rate")),
    )


@dataclass(frozen=True)
class Decision:
    accepted: bool
    problems: Sequence[str | Promise]
    needs_rendition: bool


def _seconds(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.1'))}"
    return text[:-2] if text.endswith(".0") else text


def _over(value: Decimal) -> str:
    """By how many seconds, rounded up to a tenth: 0.04 s over reads "0.1", never "0"."""
    return _seconds(value.quantize(Decimal("0.1"), rounding=ROUND_CEILING))


def decide(
    facts: VideoFacts,
    *,
    min_seconds: Decimal | None,
    max_seconds: Decimal | None,
    formats: Sequence[str] = (),
) -> Decision:
    """Does a category with this duration range and these formats take the file?"""
    if not facts.has_video or not facts.container:
        return Decision(False, [NOT_A_VIDEO_MESSAGE], False)
    problems: list[str | Promise] = []
    if formats and facts.container not in formats:
        problems.append(
            FORMAT_MESSAGE
            % {
                "container": facts.container.upper(),
                "formats": ", ".join(f.upper() for f in formats),
            }
        )
    duration = facts.duration
    if duration is None or not math.isfinite(float(duration)) or duration <= 0:
        problems.append(NO_DURATION_MESSAGE)
    else:
        if min_seconds is not None and duration < min_seconds - DURATION_TOLERANCE:
            problems.append(
                TOO_SHORT_MESSAGE
                % {
                    "duration": _seconds(duration),
                    "limit": _seconds(min_seconds),
                    "diff": _over(min_seconds - duration),
                }
            )
        if max_seconds is not None and duration > max_seconds + DURATION_TOLERANCE:
            problems.append(
                TOO_LONG_MESSAGE
                % {
                    "duration": _seconds(duration),
                    "limit": _seconds(max_seconds),
                    "diff": _over(duration - max_seconds),
                }
            )
    return Decision(not problems, problems, not facts.browser_playable)


# --- The first bytes: only known video containers reach ffprobe ---------------------------------


def sniff_container(head: bytes) -> str | None:
    """The container family from a file's first bytes (at least 400), or None.

    ffprobe and ffmpeg follow playlists and concat lists (HLS, ffconcat) to other files; an
    upload that is not a known binary video container is refused before either program sees it.
    """
    if len(head) >= 12 and head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"):
        return "isobmff"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "avi"
    if head.startswith(b"FLV"):
        return "flv"
    if head.startswith(b"OggS"):
        return "ogg"
    if len(head) >= 377 and head[0] == 0x47 and head[188] == 0x47 and head[376] == 0x47:
        return "mpegts"
    if head.startswith(b"\x00\x00\x01\xba"):
        return "mpegps"
    return None

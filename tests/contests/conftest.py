"""Fixtures telling the contest's stories: the Anime Competition Nerima loaded from its data
file, its staff (商工観光課), another division's official, judges and entrants."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shoko.contests import configuration
from shoko.contests.media import pipeline
from shoko.contests.models import Call, Entry, Video, VideoStatus
from shoko.contests.services import entries as entry_services
from shoko.contests.services import uploads
from tests.factories import user_with_role

PROBES = Path(__file__).parent / "probes"


def probe(name: str) -> dict:
    """ffprobe's JSON recorded from a real file (see probes/README)."""
    return json.loads((PROBES / f"{name}.json").read_text())


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHOKO_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SHOKO_CONTESTS_CHUNK_BYTES = 1024
    settings.SHOKO_SITE_URL = "https://shoko.example.jp"
    # Unit tests never start ffprobe or ffmpeg (tests/browser/test_contests_video.py does).
    settings.SHOKO_CONTESTS_FFPROBE = "shoko-tests-have-no-ffprobe"
    settings.SHOKO_CONTESTS_FFMPEG = "shoko-tests-have-no-ffmpeg"


@pytest.fixture
def commerce(db):
    return user_with_role("commerce_staff", email="commerce@example.jp", full_name="商工 次郎")


@pytest.fixture
def economy(db):
    """An official of the other division: reads, never acts, never sees personal data."""
    return user_with_role("economy_staff", email="economy@example.jp")


@pytest.fixture
def judges(db):
    return [
        user_with_role("judge", email=f"judge{i}@example.jp", full_name=f"審査員 {i}")
        for i in range(1, 4)
    ]


@pytest.fixture
def entrant(db):
    from tests.factories import UserFactory

    return UserFactory(
        email="animator@example.jp", full_name="練馬 アニ子", preferred_language="ja"
    )


@pytest.fixture
def other_entrant(db):
    from tests.factories import UserFactory

    return UserFactory(email="rival@example.jp", full_name="別の 応募者", preferred_language="en")


def load_call(actor, *, slug="anime-2026", opens_days_ago=10, closes_in_days=20) -> Call:
    now = timezone.now()
    return configuration.load_call(
        actor=actor,
        slug=slug,
        edition=10,
        opens_at=now - dt.timedelta(days=opens_days_ago),
        closes_at=now + dt.timedelta(days=closes_in_days),
        age_reference_date=(now + dt.timedelta(days=20)).date(),
    )


@pytest.fixture
def call(commerce) -> Call:
    return load_call(commerce)


def png_upload(name: str = "still.png", size=(64, 36)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def birth_date_for_age(call: Call, age: int) -> dt.date:
    day = call.age_reference_date
    return day.replace(year=day.year - age) - dt.timedelta(days=1)


def attach_video(entry: Entry, actor, recorded: str = "ok45_mp4", content: bytes = b"") -> Video:
    """An uploaded video whose inspection is the recorded ffprobe output ``recorded``: the
    upload protocol runs for real; only the ffprobe call is replaced by its recorded answer."""
    data = content or (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2100)
    video = uploads.start_upload(
        actor=actor, entry=entry, data={"name": "work.mp4", "size": len(data)}
    )
    digests = []
    for index in range(video.chunk_count):
        piece = data[index * video.chunk_size : (index + 1) * video.chunk_size]
        digest = hashlib.sha256(piece).hexdigest()
        digests.append(digest)
        uploads.receive_chunk(
            actor=actor, video=video, index=index, stream=io.BytesIO(piece), sha256=digest
        )
    video = Video.objects.get(pk=video.pk)
    video.status = VideoStatus.ASSEMBLING
    video.checksum = uploads.composite_checksum(digests)
    video.save()
    pipeline.join(video)
    pipeline.apply_probe(video, probe(recorded))
    return Video.objects.get(pk=video.pk)


def fill(entry: Entry, actor, *, age: int = 22, **extra) -> Entry:
    """A complete entry: details, declarations, a still and an accepted video."""
    data = {
        "title": "はじまりの商店街",
        "synopsis": "小さな商店街に、ある朝ロボットがやってくる。",
        "entrant_name": "練馬 アニ子",
        "entrant_name_kana": "ネリマ アニコ",
        "date_of_birth": birth_date_for_age(entry.call, age),
        "declarations": [d.code for d in entry.call.declarations.all()],
        **extra,
    }
    entry = entry_services.update_entry(actor=actor, entry=entry, data=data)
    entry_services.add_still(actor=actor, entry=entry, upload=png_upload())
    if entry.category.is_video:
        short = (entry.category.max_seconds or 999) < 45
        attach_video(entry, actor, recorded="short20_mov" if short else "ok45_mp4")
    return Entry.objects.get(pk=entry.pk)


def start(call: Call, actor, code: str = "one-minute", **kwargs) -> Entry:
    return entry_services.start_entry(
        actor=actor, call=call, category=call.categories.get(code=code), **kwargs
    )


@pytest.fixture
def draft(call, entrant) -> Entry:
    return fill(start(call, entrant), entrant)


@pytest.fixture
def submitted(draft, entrant) -> Entry:
    entry = entry_services.submit_entry(actor=entrant, entry=draft)
    mail.outbox.clear()
    return entry


def eligible_entries(call, staff, count: int, *, code: str = "one-minute") -> list[Entry]:
    """``count`` entries by different people, submitted and accepted (checklist ticked)."""
    from tests.factories import UserFactory

    out = []
    for i in range(count):
        person = UserFactory(email=f"maker{Entry.objects.count()}-{i}-{code}@example.jp")
        age = 10 if code == "kids" else 25
        extra = {}
        if code == "kids":
            extra = {
                "guardian_name": "保護者",
                "guardian_relationship": "母",
                "guardian_email": f"parent{i}@example.jp",
                "guardian_consent": True,
            }
        entry = fill(start(call, person, code), person, age=age, title=f"作品 {code} {i}", **extra)
        entry = entry_services.submit_entry(actor=person, entry=entry)
        for item in call.checklist.all():
            entry_services.check_item(actor=staff, entry=entry, item=item, data={"ok": True})
        out.append(entry_services.accept_entry(actor=staff, entry=entry))
    mail.outbox.clear()
    return out

"""Demo data: last year's Anime Competition Nerima with its entries judged in two rounds, awards,
published results and the winners' screening; and this year's call, open, with entries in
progress. Everything goes through the services — videos included: small test clips are made
with ffmpeg's test sources at seed time (no third-party material, nothing binary in the
repository), uploaded in chunks and inspected like any entrant's. Without ffmpeg the entries
get no video files, and the output says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from shoko.contests import configuration, selectors
from shoko.contests.media import ffmpeg, pipeline
from shoko.contests.models import Call, Entry, Round, Video, VideoStatus
from shoko.contests.services import entries as entry_services
from shoko.contests.services import judging, results, uploads
from shoko.core.demo import DEMO_PASSWORD
from shoko.core.japan import TOKYO, FiscalYear
from shoko.core.models import User
from shoko.core.roles import Role, sync_roles

Progress = Callable[[str], None]

JUDGES = [
    ("judge@demo.shoko.example", "審査 桜"),
    ("judge2@demo.shoko.example", "演出 一郎"),
    ("judge3@demo.shoko.example", "作画監督 二葉"),
]
#: (title, title_en, pen name, category, age, source) — made-up works for the demo.
WORKS = [
    ("はじまりの商店街", "Where the Street Begins", "ねりまロボ", "one-minute", 24, "testsrc"),
    ("大根とロケット", "Radish Rocket", "石神井スタジオ", "one-minute", 31, "testsrc2"),
    ("夜のバス停", "The Night Bus Stop", "みどり", "one-minute", 19, "smptebars"),
    ("光が丘の風", "Wind over Hikarigaoka", "風見", "one-minute", 27, "mandelbrot"),
    ("ねこの引っ越し", "The Cat Moves House", "こむぎ", "kids", 11, "life"),
    ("ぼくの自転車", "My Bicycle", "はると", "kids", 13, "testsrc"),
    (
        "レイアウト課題：雨の交差点",
        "Layout task: Rainy Crossing",
        "原画 新人",
        "young-animators",
        23,
        "smptebars",
    ),
    (
        "レイアウト課題：朝の駅",
        "Layout task: Morning Station",
        "動画 みなみ",
        "young-animators",
        22,
        "testsrc2",
    ),
]
SECONDS = {"one-minute": 34, "kids": 20, "young-animators": 12}


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def _user(email: str, name: str, role: Role | None = None, language: str = "ja") -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "preferred_language": language}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


def _clip(
    folder: Path, index: int, source: str, seconds: int, *, quicktime: bool = False
) -> Path | None:
    """A small licence-free clip from ffmpeg's test sources (None without ffmpeg). A QuickTime
    file is not played by every browser as it is: it gets a rendition, as a real upload would."""
    if not ffmpeg.available():
        return None
    out = folder / (f"clip{index}.mov" if quicktime else f"clip{index}.mp4")
    inputs = [
        *("-f", "lavfi", "-i", f"{source}=size=320x180:rate=24"),
        *("-f", "lavfi", "-i", f"sine=frequency={220 + 55 * index}:sample_rate=44100"),
    ]
    encode = [
        *("-c:v", "libx264", "-preset", "veryfast", "-crf", "34", "-pix_fmt", "yuv420p"),
        *("-c:a", "aac", "-b:a", "48k"),
        *(("-f", "mov") if quicktime else ("-movflags", "+faststart")),
    ]
    command = [
        ffmpeg.ffmpeg_binary(),
        *("-v", "error", "-y", "-nostdin"),
        *inputs,
        *("-t", str(seconds), "-vf", f"hue=h={index * 40}"),
        *encode,
        str(out),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603
    return out


def _send(entry: Entry, actor: User, data: bytes, name: str) -> tuple[Video, list[str]]:
    """Start an upload and send every chunk with its SHA-256, as the browser does."""
    video = uploads.start_upload(actor=actor, entry=entry, data={"name": name, "size": len(data)})
    digests = []
    for index in range(video.chunk_count):
        piece = data[index * video.chunk_size : (index + 1) * video.chunk_size]
        digests.append(hashlib.sha256(piece).hexdigest())
        uploads.receive_chunk(
            actor=actor, video=video, index=index, stream=io.BytesIO(piece), sha256=digests[-1]
        )
    return video, digests


def _upload(entry: Entry, actor: User, data: bytes, name: str) -> Video:
    """The entrant's upload, chunk by chunk, then the worker's inspection (run here)."""
    video, digests = _send(entry, actor, data, name)
    uploads.complete_upload(
        actor=actor, video=video, data={"checksum": uploads.composite_checksum(digests)}
    )
    outcome = pipeline.process(video.pk)
    if outcome.needs_rendition:
        pipeline.render(video.pk)
    return Video.objects.get(pk=video.pk)


def _video_without_ffmpeg(entry: Entry, actor: User, seconds: int) -> None:
    """Without ffmpeg: the upload runs, and the inspection is what ffprobe would report for a
    clip of that length (the file is then dropped — nothing playable is pretended)."""
    video, digests = _send(entry, actor, b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000, "demo.mp4")
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=video.pk)
        video.status = VideoStatus.ASSEMBLING
        video.checksum = uploads.composite_checksum(digests)
        video.save()
    pipeline.join(video)
    pipeline.apply_probe(
        video,
        {
            "format": {
                "format_name": "mov,mp4,m4a,3gp,3g2,mj2",
                "duration": str(seconds),
                "tags": {"major_brand": "isom"},
            },
            "streams": [
                {
                    "codec_type": "video",
                    "codec_name": "h264",
                    "width": 320,
                    "height": 180,
                    "avg_frame_rate": "24/1",
                    "pix_fmt": "yuv420p",
                },
                {"codec_type": "audio", "codec_name": "aac"},
            ],
        },
    )
    pipeline.discard_files(video.pk)


def _still(title: str, index: int) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), (30 + index * 25 % 200, 60, 120 + index * 17 % 120))
    draw = ImageDraw.Draw(image)
    for step in range(8):
        draw.ellipse(
            (
                40 + step * 60,
                80 + (step * 37 + index * 11) % 120,
                140 + step * 60,
                180 + (step * 37 + index * 11) % 120,
            ),
            fill=(255, 200 - step * 20, 80 + step * 20),
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"still{index}.png", buffer.getvalue(), content_type="image/png")


def _enter(
    call: Call,
    *,
    person: User,
    work: tuple[str, str, str, str, int, str],
    index: int,
    folder: Path,
    now: dt.datetime,
    submit: bool = True,
    quicktime: bool = False,
) -> Entry:
    title, title_en, pen_name, code, age, source = work
    category = call.categories.get(code=code)
    entry = entry_services.start_entry(actor=person, call=call, category=category, now=now)
    born = call.age_reference_date.replace(year=call.age_reference_date.year - age) - dt.timedelta(
        days=40
    )
    data: dict[str, Any] = {
        "title": title,
        "title_en": title_en,
        "pen_name": pen_name,
        "synopsis": f"{title}。練馬のまちを舞台にした短いアニメーションです。",
        "synopsis_en": f"{title_en}: a short animation set in the streets of Nerima.",
        "entrant_name": person.full_name,
        "date_of_birth": born,
        "technique": "デジタル作画" if code != "kids" else "手描き",
        "music_credits": "自作",
        "declarations": [d.code for d in call.declarations.all()],
    }
    if code == "kids":
        data.update(
            guardian_name="保護者 一郎",
            guardian_relationship="父",
            guardian_email=f"guardian{index}@demo.shoko.example",
            guardian_consent=True,
        )
    if code == "young-animators":
        data.update(
            connections=["work"],
            connection_detail="練馬区内のアニメ制作会社",
            career_stage="key_animation",
            first_key_animation_year=call.age_reference_date.year - 1,
        )
    entry = entry_services.update_entry(actor=person, entry=entry, data=data)
    entry_services.add_still(actor=person, entry=entry, upload=_still(title, index))
    clip = _clip(folder, index, source, SECONDS[code], quicktime=quicktime)
    if clip is not None:
        _upload(entry, person, clip.read_bytes(), clip.name)
    else:
        _video_without_ffmpeg(entry, person, SECONDS[code])
    if submit:
        entry = entry_services.submit_entry(actor=person, entry=entry, now=now)
    return entry


def _accept(entry: Entry, staff: User) -> Entry:
    for item in entry.call.checklist.all():
        entry_services.check_item(actor=staff, entry=entry, item=item, data={"ok": True})
    return entry_services.accept_entry(actor=staff, entry=entry)


def _score(round_: Round, rng: random.Random, habits: dict[int, tuple[int, int]]) -> None:
    """Each judge scores with their own habit (generous, strict, narrow): the corrected ranking
    differs from the plain one, as in a real jury."""
    for sheet in round_.sheets.select_related("judge", "entry").order_by("pk"):
        base, spread = habits[sheet.judge_id]
        quality = (sheet.entry.pk * 7) % 5
        scores = {
            c.code: max(
                round_.scale_min,
                min(round_.scale_max, base + quality * spread // 2 + rng.randint(-1, 1)),
            )
            for c in round_.criteria.all()
        }
        judging.save_sheet(
            actor=sheet.judge,
            sheet=sheet,
            data={
                "scores": scores,
                "comment_to_entrant": rng.choice(
                    [
                        "動きのタイミングが気持ちよく、最後まで見せます。",
                        "アイデアが光ります。音と絵の合わせ方をもう一歩詰めると、さらに良くなります。",
                        "背景の描き込みが丁寧です。キャラクターの芝居に緩急をつけてみてください。",
                    ]
                ),
                "private_note": "二次に推す" if quality > 2 else "",
            },
            submit=True,
        )


def _last_edition(staff: User, judges: list[User], progress: Progress, folder: Path) -> Call:
    previous = FiscalYear.current() - 1
    opens = _at(previous.start + dt.timedelta(days=150))
    closes = _at(previous.start + dt.timedelta(days=300), 17)
    call = configuration.load_call(
        actor=staff,
        slug=f"anime-{previous.start.year}",
        edition=9,
        opens_at=opens,
        closes_at=closes,
        age_reference_date=closes.date(),
    )
    progress(f"  {call.title} ({previous.label('ja')}): {len(WORKS)} entries")
    during = opens + dt.timedelta(days=30)
    entries = []
    for index, work in enumerate(WORKS, start=1):
        person = _user(f"maker{index}@demo.shoko.example", f"応募者 {index}")
        entries.append(
            _enter(
                call,
                person=person,
                work=work,
                index=index,
                folder=folder,
                now=during,
                quicktime=index == 2,
            )
        )
        progress(f"    [{index}/{len(WORKS)}] {work[0]}")
    entries = [_accept(entry, staff) for entry in entries]
    rng = random.Random(2025)  # noqa: S311 — demo scores
    habits = {judges[0].pk: (6, 1), judges[1].pk: (3, 2), judges[2].pk: (5, 1)}
    definitions = configuration.round_definitions()
    first = configuration.create_round(actor=staff, call=call, definition=definitions[0], seed=7)
    judging.set_panel(actor=staff, round_=first, judges=[(j, []) for j in judges])
    judging.open_round(actor=staff, round_=first)
    _score(first, rng, habits)
    judging.close_round(actor=staff, round_=first)
    ranked = [
        row.entry for group in selectors.round_ranking(first).categories for row in group.rows[:2]
    ]
    final = configuration.create_round(actor=staff, call=call, definition=definitions[1], seed=8)
    judging.advance_entries(actor=staff, round_=final, entries=ranked)
    judging.set_panel(actor=staff, round_=final, judges=[(j, []) for j in judges])
    judging.open_round(actor=staff, round_=final)
    _score(final, rng, habits)
    judging.close_round(actor=staff, round_=final)
    progress("    judged in two rounds (balanced first round, final round by the whole jury)")
    comments = {
        "one-minute": (
            "商店街の一日を1分に凝縮した構成が見事です。",
            "A whole day of the street packed into one minute.",
        ),
        "kids": ("のびのびとした線が魅力的です。", "Free, lively lines."),
        "young-animators": (
            "レイアウトの意図を読み取った確かな作画です。",
            "Solid animation that reads the layout's intent.",
        ),
    }
    by_category: dict[str, list[Entry]] = {}
    for entry in ranked:
        by_category.setdefault(entry.category.code, []).append(entry)
    for award in call.awards.select_related("category").order_by("order"):
        pool = by_category.get(award.category.code, []) if award.category else ranked[:1]
        for entry in pool[: award.places]:
            text, text_en = comments[entry.category.code]
            results.grant_award(
                actor=staff,
                award=award,
                entry=entry,
                data={"jury_comment": text, "jury_comment_en": text_en, "screened": True},
            )
    published = closes + dt.timedelta(days=40)
    results.publish_results(
        actor=staff,
        call=call,
        now=published,
        screening=results.Screening(
            starts_at=published + dt.timedelta(days=12, hours=4),
            ends_at=published + dt.timedelta(days=12, hours=6),
            venue_name="ココネリホール",
            venue_address="東京都練馬区練馬1-17-1 Coconeri 3階",
            capacity=300,
        ),
    )
    progress("    results published, winners told, screening created in events")
    return call


def _this_year(staff: User, progress: Progress, folder: Path) -> Call:
    today = timezone.localdate()
    fy = FiscalYear.current()
    call = configuration.load_call(
        actor=staff,
        slug=f"anime-{fy.start.year}",
        edition=10,
        opens_at=_at(today - dt.timedelta(days=30), 9),
        closes_at=_at(today + dt.timedelta(days=60), 17),
        age_reference_date=today + dt.timedelta(days=60),
    )
    now = timezone.now()
    entrant = _user("entrant@demo.shoko.example", "練馬 アニ子")
    progress(f"  {call.title} ({fy.label('ja')}): open; entrant login entrant@demo.shoko.example")
    submitted = _enter(call, person=entrant, work=WORKS[0], index=11, folder=folder, now=now)
    _enter(call, person=entrant, work=WORKS[1], index=12, folder=folder, now=now, submit=False)
    other = _user("maker-new@demo.shoko.example", "石神井 二郎", language="en")
    fix = _enter(call, person=other, work=WORKS[3], index=13, folder=folder, now=now)
    entry_services.request_fix(
        actor=staff,
        entry=fix,
        data={
            "message": "使用した音楽の権利処理の方法を書いてください。",
            "deadline": now + dt.timedelta(days=10),
        },
    )
    _accept(submitted, staff)
    return call


def seed(progress: Progress) -> list[str]:
    sync_roles()
    staff = _user("commerce@demo.shoko.example", "商工 次郎", Role.COMMERCE_STAFF)
    judges = [_user(email, name, Role.JUDGE) for email, name in JUDGES]
    made = []
    if not ffmpeg.available():
        progress(
            "  ffmpeg/ffprobe not found: demo entries get no video files "
            "(install Debian's ffmpeg and run seed_demo again for playable clips)"
        )
    with tempfile.TemporaryDirectory(prefix="shoko-demo-clips-") as folder:
        previous = FiscalYear.current() - 1
        # One transaction per edition: a failure leaves no half-made call behind.
        if Call.objects.filter(slug=f"anime-{previous.start.year}").exists():
            progress("  last year's edition already there")
        else:
            with transaction.atomic():
                made.append(_last_edition(staff, judges, progress, Path(folder)).slug)
        if Call.objects.filter(slug=f"anime-{FiscalYear.current().start.year}").exists():
            progress("  this year's call already there")
        else:
            with transaction.atomic():
                made.append(_this_year(staff, progress, Path(folder)).slug)
    progress(f"  judges: {', '.join(email for email, _name in JUDGES)}")
    return made

"""Contests: the jury's arithmetic at a large competition's size, and the upload path's speed.

1. ``scoring.normalised_means`` and ``scoring.explain`` for a round of 2,000 entries scored by
   40 judges, 5 judges per entry (10,000 scores), and ``assignment.assign`` dealing those
   sheets (balanced, seeded) — pure functions, so these are CPU figures.
2. A 256 MB video sent through the upload service in 4 MB chunks (each read, hashed with
   SHA-256 and stored through the storage API, one database row per chunk), then joined by the
   worker's first step (re-hashing every chunk and the whole file). Run against the configured
   database (SQLite in var/ by default; ``DATABASE_URL`` for PostgreSQL); everything it writes is
   rolled back and its files are in a temporary directory.

    .venv/bin/python bench/bench_contests.py [--megabytes 256]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoko.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from shoko.contests import assignment, configuration, scoring  # noqa: E402
from shoko.contests.media import pipeline  # noqa: E402
from shoko.contests.models import Video, VideoStatus  # noqa: E402
from shoko.contests.services import entries as entry_services  # noqa: E402
from shoko.contests.services import uploads  # noqa: E402
from shoko.core.models import User  # noqa: E402
from shoko.core.roles import Role, sync_roles  # noqa: E402


def arithmetic() -> None:
    rng = random.Random(1)
    entries = [(e, e % 3) for e in range(2000)]
    judges = list(range(40))
    started = time.perf_counter()
    plan = assignment.assign(entries, judges, mode="balanced", k=5, seed=7)
    assigned = time.perf_counter() - started
    habit = {j: (rng.uniform(3, 7), rng.uniform(0.5, 2)) for j in judges}
    scores = [
        (j, e, min(10.0, max(1.0, habit[j][0] + habit[j][1] * rng.gauss(0, 1))))
        for j, e in plan.pairs
    ]
    started = time.perf_counter()
    means = scoring.normalised_means(scores)
    normalised = time.perf_counter() - started
    started = time.perf_counter()
    scoring.explain(scores)
    explained = time.perf_counter() - started
    loads = plan.load().values()
    print(
        f"assign (balanced, 2,000 entries, 40 judges, K=5): {assigned * 1000:.0f} ms, "
        f"loads {min(loads)}–{max(loads)}"
    )
    print(
        f"normalised_means ({len(scores):,} scores, {len(means):,} entries): "
        f"{normalised * 1000:.0f} ms"
    )
    print(f"explain (both rankings, every judge's pull): {explained * 1000:.0f} ms")


class Rollback(Exception):
    pass


def upload(megabytes: int) -> None:
    call_command("migrate", verbosity=0)
    sync_roles()
    chunk = 4 * 1024 * 1024
    data = os.urandom(1024 * 1024) * megabytes
    with (
        tempfile.TemporaryDirectory() as folder,
        override_settings(
            SHOKO_PRIVATE_MEDIA_ROOT=Path(folder),
            SHOKO_CONTESTS_CHUNK_BYTES=chunk,
            SHOKO_CONTESTS_MAX_VIDEO_BYTES=2 * 1024**3,
        ),
    ):
        try:
            with transaction.atomic():
                staff = User.objects.create_user(email=f"bench-{time.time_ns()}@bench.example")
                staff.groups.add(
                    django.contrib.auth.models.Group.objects.get(name=Role.COMMERCE_STAFF.value)
                )
                now = timezone.now()
                call = configuration.load_call(
                    actor=staff,
                    slug=f"bench-{time.time_ns()}",
                    edition=1,
                    opens_at=now - dt.timedelta(days=1),
                    closes_at=now + dt.timedelta(days=1),
                    age_reference_date=now.date(),
                )
                entry = entry_services.start_entry(
                    actor=staff, call=call, category=call.categories.get(code="one-minute")
                )
                video = uploads.start_upload(
                    actor=staff, entry=entry, data={"name": "bench.mp4", "size": len(data)}
                )
                digests = []
                started = time.perf_counter()
                for index in range(video.chunk_count):
                    piece = data[index * chunk : (index + 1) * chunk]
                    digests.append(hashlib.sha256(piece).hexdigest())
                    uploads.receive_chunk(
                        actor=staff,
                        video=video,
                        index=index,
                        stream=io.BytesIO(piece),
                        sha256=digests[-1],
                    )
                received = time.perf_counter() - started
                Video.objects.filter(pk=video.pk).update(
                    status=VideoStatus.ASSEMBLING, checksum=uploads.composite_checksum(digests)
                )
                started = time.perf_counter()
                pipeline.join(Video.objects.get(pk=video.pk))
                joined = time.perf_counter() - started
                print(
                    f"receive {megabytes} MB in {video.chunk_count} chunks: {received:.2f} s "
                    f"({megabytes / received:.0f} MB/s, "
                    f"{received / video.chunk_count * 1000:.0f} ms per chunk)"
                )
                print(
                    f"join and hash {megabytes} MB: {joined:.2f} s ({megabytes / joined:.0f} MB/s)"
                )
                raise Rollback
        except Rollback:
            pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=256)
    args = parser.parse_args()
    arithmetic()
    upload(args.megabytes)


if __name__ == "__main__":
    main()

"""Certificates issued at the same moment get distinct, consecutive numbers.

Creates two certified startup series with ``--people`` eligible attendees between them on a
migrated database, then issues all their certificates from as many threads at once (each with
its own database connection). Prints ``issued=… distinct=… consecutive=yes|no errors=…`` and
the time taken; exits non-zero unless every certificate got its own number, consecutive within
the fiscal year.

    DATABASE_URL=postgres://postgres@127.0.0.1:54330/shoko_events \
        .venv/bin/python bench/bench_events_certificates.py
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_events import drop_if_fresh, migrated_database  # a sibling script


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=12)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--sqlite-dir")
    parser.add_argument("--fresh", action="store_true")
    return parser.parse_args(argv)


def prepare(people: int) -> tuple[list[tuple[int, str]], int]:
    """Two certified series (so that only the fiscal year's counter is shared) whose
    ``people`` attendees each covered the four areas; returns (series, email) pairs."""
    import django

    django.setup()
    import datetime as dt

    from django.utils import timezone

    from shoko.core.models import User
    from shoko.events.models import Event, Registration, Series, Session, SessionArea

    stamp = timezone.now()
    official = User.objects.create_user(f"bench-{stamp:%H%M%S%f}@example.jp", full_name="職員")
    pairs = []
    for course in range(2):
        series = Series.objects.create(
            title=f"ベンチマーク 創業セミナー {course} {stamp:%Y%m%d%H%M%S%f}",
            kind="seminar",
            programme="startup",
            plan_item="13-1(1)",
            organiser_division="economy",
            certified_programme=True,
            certificate_min_sessions=4,
            certificate_min_days=30,
        )
        event = Event.objects.create(
            series=series,
            title=series.title,
            kind="seminar",
            programme="startup",
            organiser_division="economy",
            published=True,
        )
        emails = [f"cert{course}-{n}-{stamp:%H%M%S%f}@example.jp" for n in range(course, people, 2)]
        for week, area in enumerate(["management", "finance", "hr", "sales"]):
            start = stamp - dt.timedelta(days=70 - week * 14)
            session = Session.objects.create(
                event=event,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                capacity=people,
                seats_taken=len(emails),
            )
            SessionArea.objects.create(session=session, area=area)
            Registration.objects.bulk_create(
                Registration(
                    session=session,
                    status="confirmed",
                    attendance="attended",
                    full_name=f"証明 花子{n}",
                    email=email,
                )
                for n, email in enumerate(emails)
            )
        pairs += [(series.pk, email) for email in emails]
    return pairs, official.pk


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    temporary, _env = migrated_database(args)
    pairs, official_id = prepare(args.people)

    from django.db import connection, connections

    from shoko.core.models import User
    from shoko.events import services
    from shoko.events.models import Certificate

    official = User.objects.get(pk=official_id)
    connections.close_all()
    barrier = threading.Barrier(len(pairs))
    numbers: list[int] = []
    errors: list[str] = []

    def issue(series_id: int, email: str) -> None:
        barrier.wait()
        try:
            certificate = services.issue_certificate(
                series_id=series_id, email=email, actor=official
            )
            numbers.append(certificate.serial)
        except Exception as exc:  # counted and printed: the point is that none happen
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=issue, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    stored = sorted(
        Certificate.objects.filter(series_id__in={s for s, _ in pairs}).values_list(
            "serial", flat=True
        )
    )
    first = stored[0] if stored else 1
    consecutive = stored == sorted(numbers) == list(range(first, first + len(stored)))
    print(
        f"issued={len(numbers)} distinct={len(set(numbers))} "
        f"consecutive={'yes' if consecutive else 'no'} errors={len(errors)}"
    )
    print(f"elapsed={elapsed:.2f}s database={'sqlite' if args.sqlite_dir else 'postgresql'}")
    for error in errors[:5]:
        print(error)
    connections.close_all()
    drop_if_fresh(args)
    if temporary is not None:
        temporary.cleanup()
    ok = len(numbers) == len(set(numbers)) == args.people and consecutive and not errors
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

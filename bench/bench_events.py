"""Concurrency benchmark: many people register for the last seats at once.

Starts a real server (gunicorn, several worker processes) on a migrated database, creates a
session with ``--seats`` seats, sends ``--clients`` registrations at the same moment through the
public JSON API (each from its own address, as behind the reverse proxy), then counts in the
database. Prints ``confirmed=… waitlisted=… errors=…`` and the requests per second, and exits
non-zero unless exactly ``--seats`` people were confirmed, everyone else waitlisted, and no
request failed.

    DATABASE_URL=postgres://postgres@127.0.0.1:54330/shoko_events \
        .venv/bin/python bench/bench_events.py
    .venv/bin/python bench/bench_events.py --clients 20 --seats 5 --sqlite-dir /tmp/race

``--repeat 2`` makes every person submit twice at once (a double-click): still one registration
each. Without DATABASE_URL or ``--database-url`` it runs on a throwaway SQLite database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--repeat", type=int, default=1, help="submissions per person at once")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--sqlite-dir", help="run on SQLite in this directory instead")
    parser.add_argument(
        "--fresh", action="store_true", help="PostgreSQL: create the database anew, drop it after"
    )
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(statement)


def ensure_postgres_database(url: str, *, fresh: bool) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if fresh:
        postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        psycopg.connect(url).close()
    except psycopg.OperationalError:
        postgres_admin(url, f'CREATE DATABASE "{name}"')


def server_environment(args: argparse.Namespace, base: dict[str, str]) -> dict[str, str]:
    env = dict(base)
    env.update(
        SHOKO_ENV="development",
        SHOKO_DEBUG="false",
        SHOKO_BEHIND_PROXY="true",  # each client says its address in X-Forwarded-For
        SHOKO_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="shoko.settings",
        PYTHONPATH=str(ROOT),
    )
    if args.sqlite_dir:
        env.pop("DATABASE_URL", None)
        env["SHOKO_VAR_DIR"] = args.sqlite_dir
    else:
        env["DATABASE_URL"] = args.database_url
    return env


def migrated_database(
    args: argparse.Namespace,
) -> tuple[tempfile.TemporaryDirectory | None, dict[str, str]]:
    """Point this process (and the servers it starts) at the database asked for, create it
    if need be and migrate it. Without a database URL: a throwaway SQLite database."""
    temporary = None
    if not args.database_url and not args.sqlite_dir:
        temporary = tempfile.TemporaryDirectory(prefix="shoko-bench-")
        args.sqlite_dir = temporary.name
        print("DATABASE_URL is not set: running on a throwaway SQLite database")
    if not args.sqlite_dir:
        ensure_postgres_database(args.database_url, fresh=args.fresh)
    env = server_environment(args, dict(os.environ))
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    if args.sqlite_dir:
        os.environ.pop("DATABASE_URL", None)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    return temporary, env


def drop_if_fresh(args: argparse.Namespace) -> None:
    """After a ``--fresh`` PostgreSQL run, drop the database it made."""
    if args.fresh and not args.sqlite_dir:
        name = urlsplit(args.database_url).path.lstrip("/")
        postgres_admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_session(seats: int) -> int:
    """A published seminar with one session of ``seats`` seats, open for registration."""
    import django

    django.setup()
    import datetime as dt

    from django.utils import timezone

    from shoko.events.models import Event, Session

    stamp = timezone.now()
    event = Event.objects.create(
        title=f"ベンチマーク 創業セミナー {stamp:%Y%m%d%H%M%S%f}",
        kind="seminar",
        programme="startup",
        plan_item="13-1(1)",
        organiser_division="economy",
        published=True,
    )
    start = stamp + dt.timedelta(days=7)
    session = Session.objects.create(
        event=event, starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=seats
    )
    return session.pk


def count(session_id: int) -> tuple[int, int, int, int]:
    from django.db.models import Sum

    from shoko.events.models import Registration, Session

    registrations = Registration.objects.filter(session_id=session_id)
    confirmed = registrations.filter(status="confirmed").count()
    waitlisted = registrations.filter(status="waitlisted").count()
    held = registrations.filter(status="confirmed").aggregate(s=Sum("seats"))["s"] or 0
    return confirmed, waitlisted, held, Session.objects.get(pk=session_id).seats_taken


def wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz in time")


def register(port: int, session_id: int, person: int, barrier: threading.Barrier) -> int:
    body = json.dumps(
        {
            "full_name": f"ベンチ 太郎{person}",
            "full_name_kana": "ベンチ タロウ",
            "email": f"bench{person}@example.jp",
            "phone": "090" + f"{person:08d}",
            "seats": 1,
        }
    )
    headers = {
        "Content-Type": "application/json",
        "Accept-Language": "ja",
        "X-Forwarded-For": f"10.{person // 65536 % 256}.{person // 256 % 256}.{person % 256}",
    }
    barrier.wait()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("POST", f"/api/v1/events/sessions/{session_id}/registrations/", body, headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    temporary, env = migrated_database(args)
    session_id = create_session(args.seats)
    from django.db import connections

    connections.close_all()

    port = free_port()
    server = subprocess.Popen(
        [
            GUNICORN,
            "shoko.wsgi",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(port, server)
        requests = args.clients * args.repeat
        barrier = threading.Barrier(requests)
        people = [p for p in range(args.clients) for _ in range(args.repeat)]
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=requests) as pool:
            statuses = list(pool.map(lambda p: register(port, session_id, p, barrier), people))
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    errors = sum(1 for status in statuses if status not in (200, 201))
    confirmed, waitlisted, held, seats_taken = count(session_id)
    print(f"confirmed={confirmed} waitlisted={waitlisted} errors={errors}")
    print(
        f"requests={requests} elapsed={elapsed:.2f}s rate={requests / elapsed:.1f} req/s "
        f"seats_taken={seats_taken} workers={args.workers} "
        f"database={'sqlite' if args.sqlite_dir else 'postgresql'}"
    )
    connections.close_all()
    drop_if_fresh(args)
    if temporary is not None:
        temporary.cleanup()
    ok = (
        confirmed == args.seats
        and waitlisted == args.clients - args.seats
        and errors == 0
        and held == seats_taken == args.seats
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

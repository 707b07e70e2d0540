"""The last seat is never sold twice, a double-click is one registration, and certificate numbers
never repeat — under real concurrency, on the database the suite runs on.

The suite's own SQLite database lives in memory, shared by one connection, so true concurrency
needs a database of its own: each test here gets a fresh one of the same engine (a SQLite file,
or a new PostgreSQL database on the same server) and runs real server or worker processes
against it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "bench_events.py"


@pytest.fixture
def race_database(tmp_path):
    """Arguments for bench/bench_events.py that point it at a fresh database."""
    if connection.vendor == "sqlite":
        yield ["--sqlite-dir", str(tmp_path)]
        return
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = f"{connection.settings_dict['NAME']}_race_{uuid.uuid4().hex[:8]}"
    yield ["--database-url", urlunsplit(parts._replace(path=f"/{name}")), "--fresh"]


def run(args: list[str], *, timeout: int = 240) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # Our own scripts, run with this interpreter and fixed arguments.
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_twenty_people_double_clicking_for_five_seats(race_database):
    """20 people, each submitting twice at the same moment, against 2 server processes."""
    result = run(
        [
            str(BENCH),
            "--clients",
            "20",
            "--seats",
            "5",
            "--workers",
            "2",
            "--threads",
            "2",
            "--repeat",
            "2",
            *race_database,
        ]
    )
    assert "confirmed=5 waitlisted=15 errors=0" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0


def test_certificates_issued_at_the_same_moment_get_distinct_consecutive_numbers(race_database):
    """Twelve certificates of two series issued from twelve threads at once."""
    result = run(
        [str(ROOT / "bench" / "bench_events_certificates.py"), "--people", "12", *race_database]
    )
    assert "issued=12 distinct=12 consecutive=yes errors=0" in result.stdout, (
        result.stdout + result.stderr
    )
    assert result.returncode == 0

"""Directory benchmark: list, filter and search at 100,000 shops (p50/p95 per request through
Django's test client) and the import of a 10,000-row file (rows/s), on SQLite and, when
BENCH_DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:54330/shoko_directory), PostgreSQL.

    .venv/bin/python bench/bench_directory.py            # SQLite in a temporary directory
    BENCH_SHOPS=20000 BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/bench_directory.py

Other writers during an import (a sign-in and a staff edit made while the import's transaction
is open; both must wait and succeed, tests/directory/test_import_writes.py runs it small):

    .venv/bin/python bench/bench_directory.py --writers-during-import --rows 10000 \
        [--database-url postgres://…/fresh_db]      # default: SQLite in a temporary directory

Target (issue 17): 10,000 rows checked and written in under 15 s on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOPS = int(os.environ.get("BENCH_SHOPS", "100000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20"))


def worker() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoko.settings")
    import django

    django.setup()
    import csv
    import io

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shoko.core.roles import Role
    from shoko.directory.demo import generate_shops
    from shoko.directory.imports import importer
    from shoko.directory.models import Business, Shop
    from tests.factories import user_with_role

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    if Shop.objects.count() < SHOPS:
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        generate_shops(SHOPS - Shop.objects.count())
    print(
        f"  data: {Shop.objects.count()} shops, {Business.objects.count()} businesses "
        f"({time.monotonic() - started:.0f}s to prepare)"
    )
    staff = user_with_role(Role.ECONOMY_STAFF)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    cases = {
        "shop list (page 1)": "/staff/directory/shops/",
        "shop list (page 500)": "/staff/directory/shops/?page=500",
        "filter: category + QR": "/staff/directory/shops/?category=restaurant&payment=qr&published=1",  # noqa: E501
        "search: 'ねりま 食堂'": "/staff/directory/shops/?q=ねりま+食堂",
        "search: kana 'ラーメン'": "/staff/directory/shops/?q=ラーメン",
        "business list + search": "/staff/directory/businesses/?q=山田",
        "public API shops (QR)": "/api/v1/public/shops/?payment=qr",
    }
    for name, url in cases.items():
        client.get(url)
        times = []
        with CaptureQueriesContext(connection) as queries:
            for _ in range(REQUESTS):
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(
            f"  {name:<26} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
            f"{len(queries) // REQUESTS} queries"
        )

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "事業者名",
            "フリガナ",
            "法人格",
            "郵便番号",
            "所在地",
            "電話番号",
            "業種コード（日本標準産業分類）",
            "従業員数",
        ]
    )
    for i in range(IMPORT_ROWS):
        writer.writerow(
            [
                f"株式会社ベンチ商事{i}",
                f"ベンチショウジ{i}",
                "corporation",
                "176-0001",
                f"東京都練馬区豊玉北{1 + i % 6}-{i % 40}-{i % 20}",
                f"03{3990000 + i:08d}",
                "58",
                str(i % 50),
            ]
        )
    data = buffer.getvalue().encode("utf-8-sig")
    for dry_run in (True, False):
        t = time.perf_counter()
        result = importer.import_file(
            kind="business",
            fileobj=io.BytesIO(data),
            filename="bench.csv",
            actor=staff,
            dry_run=dry_run,
        )
        elapsed = time.perf_counter() - t
        assert result.ok, result.error or [r.messages for r in result.rows if r.messages][:3]
        label = "import check (dry run)" if dry_run else "import (one transaction)"
        print(
            f"  {label:<26} {IMPORT_ROWS} rows in {elapsed:6.1f} s = {IMPORT_ROWS / elapsed:7.0f} rows/s"  # noqa: E501
        )


def business_file(rows: int) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["事業者名", "フリガナ", "法人格", "郵便番号", "所在地", "電話番号"])
    for i in range(rows):
        writer.writerow(
            [
                f"株式会社並行商事{i}",
                f"ヘイコウショウジ{i}",
                "corporation",
                "176-0001",
                f"東京都練馬区豊玉北{1 + i % 6}-{i % 40}-{i % 20}",
                f"03{3990000 + i:08d}",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def writers_during_import(rows: int) -> None:
    """An import of ``rows`` businesses in one thread; once its write transaction is open, a
    sign-in and a staff edit in another (their own database connections). Prints each one's
    outcome and how long it waited."""
    import io
    import threading

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoko.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from shoko.core.roles import Role
    from shoko.directory import services
    from shoko.directory.imports import importer
    from tests.factories import user_with_role

    call_command("migrate", verbosity=0)
    staff = user_with_role(Role.ECONOMY_STAFF)
    staff.set_password("during-the-import-1")
    staff.save()
    business = services.create_business(
        actor=staff, data={"name": "株式会社練馬並行", "legal_form": "corporation"}
    )
    connection.close()
    writing, other_started = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "writing" and done and not writing.is_set():
            writing.set()  # inside the write's transaction now
            other_started.wait(30)
            time.sleep(0.5)  # the other writers are at the door

    def run_import() -> None:
        started = time.perf_counter()
        result = importer.import_file(
            kind="business",
            fileobj=io.BytesIO(business_file(rows)),
            filename="during.csv",
            actor=staff,
            dry_run=False,
            progress=progress,
        )
        outcome["import"] = (
            f"{'ok' if result.written else 'FAILED ' + result.error}, {rows} rows in "
            f"{time.perf_counter() - started:.1f} s"
        )
        connection.close()

    def other_writers() -> None:
        writing.wait(120)
        other_started.set()
        for name, write in (
            (
                "sign-in",
                lambda: (
                    Client(HTTP_HOST="localhost")
                    .post(
                        "/staff/login/",
                        {"username": staff.email, "password": "during-the-import-1"},
                    )
                    .status_code
                    == 302
                ),
            ),
            (
                "staff edit",
                lambda: services.update_business(
                    actor=staff, business=business, data={"name": "株式会社練馬並行（改）"}
                ),
            ),
        ):
            started = time.perf_counter()
            try:
                ok = write() is not False
                outcome[name] = (
                    f"{'ok' if ok else 'REFUSED'} after {time.perf_counter() - started:.1f} s"
                )
            except Exception as exc:
                outcome[name] = f"FAILED after {time.perf_counter() - started:.1f} s: {exc}"
        connection.close()

    threads = [threading.Thread(target=run_import), threading.Thread(target=other_writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    print(f"  database: {connection.vendor}")
    for name in ("import", "sign-in", "staff edit"):
        print(f"  {name}: {outcome.get(name, 'never ran')}")


def main() -> None:
    if "--writers-during-import" in sys.argv:
        rows = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 10000
        env = {**os.environ, "SHOKO_LOG_LEVEL": "WARNING", "SHOKO_CACHE": "memory"}
        env.pop("DATABASE_URL", None)
        with tempfile.TemporaryDirectory() as tmp:
            env["SHOKO_VAR_DIR"] = tmp
            if "--database-url" in sys.argv:
                env["DATABASE_URL"] = sys.argv[sys.argv.index("--database-url") + 1]
            subprocess.run(
                [sys.executable, __file__, "--during-worker", str(rows)],
                env=env,
                check=True,
                cwd=ROOT,
            )
        return
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SHOKO_VAR_DIR": tmp, "SHOKO_LOG_LEVEL": "WARNING"}
        env.pop("DATABASE_URL", None)
        runs.append(("SQLite", env))
        if os.environ.get("BENCH_DATABASE_URL"):
            runs.append(("PostgreSQL", {**env, "DATABASE_URL": os.environ["BENCH_DATABASE_URL"]}))
        for name, run_env in runs:
            print(f"directory benchmark on {name}: {SHOPS} shops, {REQUESTS} requests per case")
            subprocess.run(
                [sys.executable, __file__, "--worker"], env=run_env, check=True, cwd=ROOT
            )


if __name__ == "__main__":
    if "--during-worker" in sys.argv:
        writers_during_import(int(sys.argv[sys.argv.index("--during-worker") + 1]))
    elif "--worker" in sys.argv:
        worker()
    else:
        main()

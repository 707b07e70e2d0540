"""Directory benchmark: list, filter and search at 100,000 shops (p50/p95 per request through
Django's test client) and the import of a 10,000-row file (rows/s), on SQLite and, when
BENCH_DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:54330/shoko_directory), PostgreSQL.

    .venv/bin/python bench/bench_directory.py            # SQLite in a temporary directory
    BENCH_SHOPS=20000 BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/bench_directory.py
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


def main() -> None:
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
    if "--worker" in sys.argv:
        worker()
    else:
        main()

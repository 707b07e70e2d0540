"""Plan benchmarks: loading the plan file, computing the table, rendering the pages and exports.

Runs against a throwaway SQLite database in a temporary directory; prints its figures.
    .venv/bin/python bench/bench_plan.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SHOKO_VAR_DIR", tempfile.mkdtemp(prefix="shoko-bench-plan-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoko.settings")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from shoko.core.japan import FiscalYear  # noqa: E402
from shoko.core.roles import sync_roles  # noqa: E402
from shoko.plan import exports, selectors, services  # noqa: E402
from shoko.plan.indicators import Indicator, Measurement, temporarily_registered  # noqa: E402
from shoko.plan.planfile import read_plan_file  # noqa: E402

SEED = ROOT / "data" / "plans" / "nerima-2018-strategy-13.yaml"


def timed(label: str, func, repeat: int = 5) -> None:
    times = []
    queries = 0
    for _ in range(repeat):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            func()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    median = statistics.median(times)
    print(f"{label:<58} median {median:8.1f} ms   max {max(times):8.1f} ms   {queries:3d} queries")


def large_plan(measures: int, items: int, rows: int) -> str:
    years = [2026, 2027, 2028, 2029, 2030]
    cell = {"kind": "held", "text": {"ja": "開催", "en": "held"}}
    return yaml.safe_dump(
        {
            "plan": {
                "slug": "bench-large",
                "title": {"ja": "大きな計画"},
                "fiscal_years": years,
                "baselines": [{"fiscal_year": 2025}],
                "strategies": [
                    {
                        "number": "1",
                        "title": {"ja": "戦略"},
                        "measures": [
                            {
                                "number": f"1-{m}",
                                "title": {"ja": f"取組{m}"},
                                "items": [
                                    {
                                        "number": f"({i})",
                                        "goal": {"ja": f"項目{i}"},
                                        "rows": [
                                            {
                                                "label": {"ja": f"行{r}"},
                                                "indicators": ["bench.counter"],
                                                "baselines": {2025: {"text": {"ja": "—"}}},
                                                "targets": {fy: dict(cell) for fy in years},
                                                "total": dict(cell),
                                            }
                                            for r in range(rows)
                                        ],
                                    }
                                    for i in range(items)
                                ],
                            }
                            for m in range(measures)
                        ],
                    }
                ],
            }
        },
        allow_unicode=True,
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    sync_roles()
    from tests.factories import user_with_role

    official = user_with_role("economy_staff")
    text = SEED.read_text(encoding="utf-8")
    started = time.perf_counter()
    services.load_plan(spec=read_plan_file(text))
    print(f"{'load_plan (seed, first load)':<58} {1000 * (time.perf_counter() - started):8.1f} ms")
    timed(
        "load_plan (seed, unchanged: idempotent re-load)",
        lambda: services.load_plan(spec=read_plan_file(text)),
    )
    plan = selectors.plans().get(slug="nerima-2018")
    timed("plan_progress (seed: 5 measures, 14 rows)", lambda: selectors.plan_progress(plan))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(official)
    timed(
        "GET /staff/plan/nerima-2018/ (dashboard)", lambda: client.get("/staff/plan/nerima-2018/")
    )
    timed("GET /en/plan/nerima-2018/ (public page)", lambda: client.get("/en/plan/nerima-2018/"))
    progress = selectors.plan_progress(plan)
    timed("xlsx export (seed)", lambda: exports.xlsx_bytes(progress))
    timed("PDF report FY2019 (seed)", lambda: exports.pdf_report(progress, FiscalYear(2019)))
    timed(
        "GET /api/v1/plan/plans/nerima-2018/actuals/",
        lambda: client.get("/api/v1/plan/plans/nerima-2018/actuals/"),
    )

    calls = []
    counter = Indicator(
        "bench.counter", "件数", "件", "1-0(0)", lambda fy: calls.append(fy) or Measurement(3)
    )
    with temporarily_registered(counter):
        services.load_plan(spec=read_plan_file(large_plan(measures=20, items=5, rows=3)))
        large = selectors.plans().get(slug="bench-large")
        calls.clear()
        timed(
            "plan_progress (large: 20 measures, 300 rows, 5 FYs)",
            lambda: selectors.plan_progress(large),
        )
        print(f"{'  indicator measure() calls per request':<58} {len(calls) // 5:8d}")
        timed(
            "GET /staff/plan/bench-large/ (dashboard, 300 rows)",
            lambda: client.get("/staff/plan/bench-large/"),
            3,
        )
        timed(
            "GET /plan/bench-large/ (public page, 300 rows)",
            lambda: client.get("/plan/bench-large/"),
            3,
        )


if __name__ == "__main__":
    main()

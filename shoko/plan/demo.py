"""Demo plan: the Nerima plan (FY2018–FY2019) from its plan file, a few recorded actuals for
those years, and a current plan period copied from it so that today's dashboard shows the live
actuals of the other apps' demo data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from shoko.core.japan import FiscalYear
from shoko.core.models import User
from shoko.plan import services
from shoko.plan.models import ActionPlan, ManualActual, TargetRow
from shoko.plan.planfile import read_plan_file

SEED_FILE = Path(settings.BASE_DIR) / "data" / "plans" / "nerima-2018-strategy-13.yaml"
CURRENT_SLUG = "nerima-2026"
CURRENT_YEARS = (2026, 2027)

# (item code, row position, fiscal year, value, breakdown, note): the plan's own FY2018 figure
# for 13-4 and a few "held" years, as staff would record them from the ward's reports.
DEMO_ACTUALS = [
    ("13-4", 0, 2018, 5, {"continuing": 4, "new": 1}, "デモデータ: 平成30年度 事業報告より"),
    ("13-4", 0, 2019, 3, {"continuing": 3, "new": 0}, "デモデータ: 令和元年度 事業報告より"),
    ("13-2(1)", 0, 2018, 1, {}, "デモデータ: 産業見本市を開催（事業報告より）"),
    ("13-2(1)", 0, 2019, 1, {}, "デモデータ: 産業見本市を開催（事業報告より）"),
    ("13-2(4)", 0, 2018, 1, {}, "デモデータ: アニメコンペティション練馬を開催（事業報告より）"),
]


def seed(progress: Callable[[str], None]) -> None:
    user = User.objects.filter(email="economy@demo.shoko.example").first()
    spec = read_plan_file(SEED_FILE.read_text(encoding="utf-8"), name=str(SEED_FILE))
    report = services.load_plan(spec=spec, source_file=SEED_FILE.name, user=user)
    progress(f"  plan {report}")
    plan = report.plan
    with transaction.atomic():
        for code, position, year, value, breakdown, note in DEMO_ACTUALS:
            row = next(
                r
                for r in TargetRow.objects.filter(
                    item__measure__strategy__plan=plan, position=position
                ).select_related("item__measure")
                if r.item.code == code
            )
            if not ManualActual.objects.filter(row=row, fiscal_year=year).exists() and user:
                services.record_manual_actual(
                    row=row,
                    fiscal_year=FiscalYear(year),
                    value=value,
                    breakdown=breakdown,
                    note=note,
                    user=user,
                )
    progress(
        f"  {ManualActual.objects.filter(row__item__measure__strategy__plan=plan).count()} "
        "recorded actuals"
    )
    if user and not ActionPlan.objects.filter(slug=CURRENT_SLUG).exists():
        services.start_next_period(
            source=plan,
            slug=CURRENT_SLUG,
            first_fy=CURRENT_YEARS[0],
            last_fy=CURRENT_YEARS[1],
            title={
                "ja": "練馬区アクションプラン 令和8年度 - 令和9年度（デモ）",
                "en": "Nerima Ward Action Plan, FY2026–FY2027 (demo)",
                "zh-hans": "练马区行动计划 2026年度－2027年度（演示）",
                "zh-hant": "練馬區行動計畫 2026年度－2027年度（示範）",
                "ko": "네리마구 액션 플랜 2026~2027 회계연도 (데모)",
            },
            user=user,
        )
    progress(f"  current period {CURRENT_SLUG} (FY{CURRENT_YEARS[0]}–FY{CURRENT_YEARS[1]})")

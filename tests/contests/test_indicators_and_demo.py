"""The plan's figures for 13-2 (4), and the demo seed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from shoko.contests import indicators
from shoko.contests.services import results
from shoko.core.japan import FiscalYear
from shoko.plan import indicators as plan_indicators
from tests.contests.conftest import eligible_entries, load_call


def test_the_plan_counts_a_competition_held_with_its_figures(
    commerce, django_assert_max_num_queries
):
    call = load_call(commerce, opens_days_ago=60)
    entries = eligible_entries(call, commerce, 3, code="one-minute")
    # The window closes (yesterday): the competition has been held.
    type(call).objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(days=1))
    call.refresh_from_db()
    award = call.awards.get(category__isnull=True)
    results.grant_award(
        actor=commerce, award=award, entry=entries[0], data={"jury_comment": "見事。"}
    )
    results.publish_results(actor=commerce, call=call)
    fy = FiscalYear.of(call.closes_at)
    with django_assert_max_num_queries(8):
        held = indicators.competitions_held(fy)
    assert held.value == 1
    assert held.breakdown == {"応募作品": 3, "30歳未満の応募者": 3, "上映作品": 1}
    assert indicators.entries(fy).value == 3
    assert indicators.works_screened(fy).value == 1
    assert indicators.competitions_held(fy + 1).value == 0
    assert plan_indicators.get("contests.competitions_held").plan_item == "13-2(4)"


def test_an_open_call_is_not_held_yet(call):
    assert indicators.competitions_held(FiscalYear.of(call.closes_at)).value == 0


def test_the_demo_seeds_last_years_results_and_this_years_call(db, settings, tmp_path):
    from shoko.contests import demo
    from shoko.contests.models import Call

    lines: list[str] = []
    made = demo.seed(lines.append)
    assert len(made) == 2
    last, current = (Call.objects.get(slug=slug) for slug in made)
    assert last.results_published
    assert last.screening_event is not None
    assert last.entries.eligible().count() == len(demo.WORKS)
    assert current.is_open()
    assert current.entries.filter(status="fix_requested").count() == 1
    assert any("ffmpeg" in line for line in lines)  # unit tests have no ffmpeg: said so
    assert demo.seed(lines.append) == []  # idempotent
    assert FiscalYear.of(last.closes_at) == FiscalYear.current() - 1
    assert dt.timedelta(0) < last.results_published_at - last.closes_at

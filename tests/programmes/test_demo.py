"""The demo: seven programmes that say they are configuration, applications in every state,
and 13-4 areas supported in both fiscal years so continuing and new can be told apart."""

from __future__ import annotations

import pytest

from shoko.core import demo as core_demo
from shoko.core.japan import FiscalYear
from shoko.directory import demo as directory_demo
from shoko.programmes import demo, indicators
from shoko.programmes.models import Application, Programme, ProgrammeBudget, Status

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_every_programme_and_state_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lines: list[str] = []
    core_demo.seed(lines.append)
    directory_demo.seed(lines.append)
    demo.seed(lines.append)

    assert Programme.objects.count() == 7
    assert set(Programme.objects.values_list("plan_item", flat=True)) == {
        "13-1(2)",
        "13-3(1)",
        "13-3(2)",
        "13-3(3)",
        "13-4",
        "13-5",
        "13-2(2)",
    }
    for programme in Programme.objects.all():
        assert "デモ用の設定値" in programme.configuration_note_ja
        assert "demo configuration" in programme.configuration_note_en
        years = set(programme.budgets.values_list("fiscal_year", flat=True))
        assert years == {FiscalYear.current().year, FiscalYear.current().year - 1}
    states = set(Application.objects.values_list("status", flat=True))
    assert {s.value for s in Status} - states == set()
    for budget in ProgrammeBudget.objects.all():
        assert budget.committed_yen <= budget.amount_yen

    areas = indicators.areas_supported(FiscalYear.current())
    assert areas.value == 4
    assert dict(areas.breakdown) == {"continuing": 3, "new": 1}
    assert indicators.vacant_shops_filled(FiscalYear.current()).value == 1
    assert indicators.vacant_shops_filled(FiscalYear.current() - 1).value == 1

    count = Application.objects.count()
    demo.seed(lines.append)
    assert Application.objects.count() == count
    assert any("not real figures" in line for line in lines)

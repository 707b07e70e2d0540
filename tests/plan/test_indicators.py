"""Apps report to the plan through indicators; a fake one shows statuses follow the records."""

from __future__ import annotations

import datetime as dt

import pytest

from shoko.core.japan import TOKYO, FiscalYear
from shoko.core.models import Organisation
from shoko.plan import indicators, selectors
from shoko.plan.indicators import Evidence, Indicator, Measurement, temporarily_registered
from shoko.plan.selectors import Status, overall, status_of
from tests.factories import OrganisationFactory
from tests.plan.factories import load_text, small_plan_yaml

TODAY = FiscalYear(2019)


def noop(fy: FiscalYear) -> Measurement:
    return Measurement(value=0)


# --- The registry --------------------------------------------------------------------------------


def test_register_get_and_registered():
    indicator = Indicator("tests.noop", "何もしない", "件", "13-1(1)", noop)
    with temporarily_registered(indicator):
        assert indicators.get("tests.noop") is indicator
        assert indicator in indicators.registered()
    assert not indicators.is_registered("tests.noop")


def test_a_code_registered_twice_is_an_error():
    indicator = Indicator("tests.twice", "二度", "件", "13-1(1)", noop)
    with (
        temporarily_registered(indicator),
        pytest.raises(indicators.DuplicateIndicator, match=r"tests\.twice"),
    ):
        indicators.register(Indicator("tests.twice", "別物", "件", "13-4", noop))


def test_an_unknown_code_is_a_key_error_that_says_what_to_check():
    with pytest.raises(KeyError, match="ready\\(\\) register it"):
        indicators.get("events.nothing")


@pytest.mark.parametrize(
    "code", ["nodots", "events.", "イベント.seminars", "events.semi nars", ".x"]
)
def test_codes_must_be_dotted_and_app_prefixed(code):
    with pytest.raises(ValueError, match="dotted"):
        indicators.register(Indicator(code, "x", "件", "13-1", noop))


def test_unregister_removes_and_refuses_unknown_codes():
    indicators.register(Indicator("tests.gone", "x", "件", "13-1", noop))
    indicators.unregister("tests.gone")
    assert not indicators.is_registered("tests.gone")
    with pytest.raises(KeyError):
        indicators.unregister("tests.gone")


# --- Status rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number", "value", "fy", "expected"),
    [
        ("held", None, 1, 2018, Status.MET),
        ("held", None, 0, 2018, Status.NOT_MET),
        ("held", None, None, 2018, Status.NOT_MET),
        ("run", None, 0, 2019, Status.IN_PROGRESS),
        ("started", None, 2, 2019, Status.MET),
        ("enlarged", None, 5, 2020, Status.NOT_STARTED),
        ("count", 3, 2, 2019, Status.IN_PROGRESS),
        ("count", 3, 3, 2019, Status.MET),
        ("count", 5, 4, 2018, Status.NOT_MET),
        ("none", None, 4, 2018, None),
    ],
)
def test_status_of_a_target(kind, number, value, fy, expected):
    assert (
        status_of(kind=kind, number=number, value=value, fy=FiscalYear(fy), today=TODAY) == expected
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.MET, Status.MET], Status.MET),
        ([Status.MET, Status.NOT_MET], Status.NOT_MET),
        ([Status.MET, Status.IN_PROGRESS], Status.IN_PROGRESS),
        ([Status.MET, Status.NOT_STARTED], Status.IN_PROGRESS),
        ([Status.NOT_STARTED, Status.NOT_STARTED], Status.NOT_STARTED),
        ([None], None),
    ],
)
def test_the_total_column_rolls_the_years_up(statuses, expected):
    assert overall(statuses) == expected


# --- A fake indicator, end to end ----------------------------------------------------------------


def organisations_founded(fy: FiscalYear) -> Measurement:
    """A stand-in for another app's indicator: organisations registered in the fiscal year."""
    start = dt.datetime.combine(fy.start, dt.time(), tzinfo=TOKYO)
    end = dt.datetime.combine(fy.end + dt.timedelta(days=1), dt.time(), tzinfo=TOKYO)
    found = list(
        Organisation.objects.filter(created_at__gte=start, created_at__lt=end).order_by("pk")
    )
    return Measurement(
        value=len(found),
        evidence=[Evidence(o.name, date=o.created_at.date()) for o in found],
        breakdown={
            "continuing": sum(1 for o in found if "継続" in o.name),
            "new": sum(1 for o in found if "継続" not in o.name),
        },
    )


FAKE = Indicator("tests.organisations", "登録組織数", "件", "13-9(1)", organisations_founded)


def created_in(fy: FiscalYear, name: str) -> Organisation:
    organisation = OrganisationFactory(name=name)
    when = dt.datetime.combine(fy.start + dt.timedelta(days=30), dt.time(10), tzinfo=TOKYO)
    Organisation.objects.filter(pk=organisation.pk).update(created_at=when)
    return organisation


@pytest.mark.django_db
def test_a_held_target_is_met_when_the_indicator_counts_records():
    current = FiscalYear.current()
    with temporarily_registered(FAKE):
        plan = load_text(
            small_plan_yaml(years=(current.year - 1, current.year), indicators=[FAKE.code])
        )
        progress = selectors.plan_progress(plan)
        assert [a.status for a in progress.rows[0].actuals] == [Status.NOT_MET, Status.IN_PROGRESS]

        created_in(current, "練馬テスト商店")
        created_in(current - 1, "石神井テスト商店")
        progress = selectors.plan_progress(plan)
    last_year, this_year = progress.rows[0].actuals
    assert (last_year.status, this_year.status) == (Status.MET, Status.MET)
    assert this_year.value == 1
    assert [e.label for e in this_year.computed.evidence] == ["練馬テスト商店"]
    assert progress.rows[0].total_status == Status.MET
    assert progress.rollup.met == 2


@pytest.mark.django_db
def test_a_count_target_is_met_only_when_the_number_is_reached_and_shows_its_breakdown():
    current = FiscalYear.current()
    with temporarily_registered(FAKE):
        plan = load_text(
            small_plan_yaml(years=(current.year,), indicators=[FAKE.code], kind="count", number=3)
        )
        created_in(current, "継続商店街A")
        created_in(current, "継続商店街B")
        actual = selectors.plan_progress(plan).rows[0].actuals[0]
        assert (actual.value, actual.status) == (2, Status.IN_PROGRESS)
        created_in(current, "新規商店街C")
        actual = selectors.plan_progress(plan).rows[0].actuals[0]
    assert (actual.value, actual.status) == (3, Status.MET)
    assert actual.breakdown == {"continuing": 2, "new": 1}


@pytest.mark.django_db
def test_each_indicator_is_asked_once_per_year_per_request():
    calls: list[int] = []

    def counting(fy: FiscalYear) -> Measurement:
        calls.append(fy.year)
        return Measurement(value=1)

    indicator = Indicator("tests.counting", "数える", "回", "13-9(1)", counting)
    with temporarily_registered(indicator):
        plan = load_text(small_plan_yaml(indicators=[indicator.code], rows=3, items=2))
        selectors.plan_progress(plan)
        assert sorted(calls) == [2018, 2019]
        selectors.plan_progress(plan)  # a new request asks again: nothing is cached
    assert sorted(calls) == [2018, 2018, 2019, 2019]


@pytest.mark.django_db
def test_a_broken_indicator_does_not_take_the_plan_down(caplog):
    def broken(fy: FiscalYear) -> Measurement:
        raise RuntimeError("database of another app is down")

    indicator = Indicator("tests.broken", "壊れた指標", "件", "13-9(1)", broken)
    with temporarily_registered(indicator):
        plan = load_text(small_plan_yaml(indicators=[indicator.code]))
        progress = selectors.plan_progress(plan)
    assert progress.rows[0].actuals[0].computed is None
    assert "tests.broken" in progress.reader.failed
    assert "tests.broken failed" in caplog.text


@pytest.mark.django_db
def test_a_row_linked_to_an_indicator_that_is_gone_says_so():
    with temporarily_registered(FAKE):
        plan = load_text(small_plan_yaml(indicators=[FAKE.code]))
    row = selectors.plan_progress(plan).rows[0]
    assert row.missing_indicators == [FAKE.code]
    assert row.actuals[0].computed is None


def test_the_plan_app_imports_no_other_shoko_app():
    import ast
    from pathlib import Path

    package = Path(indicators.__file__).parent
    imported: set[str] = set()
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    apps = {m.split(".")[1] for m in imported if m.startswith("shoko.") and m.count(".") >= 1}
    assert apps <= {"core", "plan"}
    indicator_source = (package / "indicators.py").read_text(encoding="utf-8")
    assert "from shoko.core.japan import FiscalYear" in indicator_source
    assert "shoko.plan." not in indicator_source.replace("shoko.plan.selectors", "")

"""The seed plan is carried word for word, and a malformed plan file is refused with its line and
reason, loading nothing."""

from __future__ import annotations

import re
from io import StringIO

import pytest
import yaml
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from shoko.plan import planfile, services
from shoko.plan.indicators import Indicator, Measurement, temporarily_registered
from shoko.plan.models import ActionPlan, Column, Item, Measure, Strategy, Target, TargetRow
from shoko.plan.planfile import PlanFileError, numbers_in, read_plan_file
from shoko.plan.services import LANGUAGES
from tests.plan.factories import (
    SEED_FILE,
    SOURCE_JA,
    ManualActualFactory,
    load_seed,
    load_text,
    small_plan_data,
    small_plan_yaml,
)

pytestmark = pytest.mark.django_db


def source_tables() -> dict[str, list[list[str]]]:
    """The tables of the Japanese source: measure number → rows of six cells (goal, 26年度末,
    29年度末, 30年度, 31年度, 計), line breaks after 、 written compactly, merged cells filled."""
    tables: dict[str, list[list[str]]] = {}
    current = None
    for line in SOURCE_JA.read_text(encoding="utf-8").splitlines():
        match = re.match(r"No\. (13-\d)", line)
        if match:
            current = match.group(1)
            tables[current] = []
            continue
        if current is None:
            continue
        if line.startswith("事業実施課"):
            current = None
            continue
        cells = line.split("\t")
        if len(cells) != 6 or cells[0].startswith("31年度目標") or cells[3] == "30年度":
            continue
        cells = [re.sub(r"、\s+", "、", c.strip()) for c in cells]
        if tables[current] and not cells[0]:
            previous = tables[current][-1]
            cells[0] = previous[0]
            cells[1] = cells[1] or previous[1]  # the merged 26年度末 "—"
        tables[current].append(cells)
    return tables


def test_the_source_has_five_tables_and_fourteen_rows():
    tables = source_tables()
    assert list(tables) == ["13-1", "13-2", "13-3", "13-4", "13-5"]
    assert sum(len(rows) for rows in tables.values()) == 14


def test_every_row_of_the_seed_is_carried_word_for_word_in_japanese():
    plan = load_seed()
    for number, source_rows in source_tables().items():
        measure = Measure.objects.get(strategy__plan=plan, number=number)
        rows = list(
            TargetRow.objects.filter(item__measure=measure).order_by("item__position", "position")
        )
        assert len(rows) == len(source_rows), number
        for row, cells in zip(rows, source_rows, strict=True):
            by_column = {(c.column, c.fiscal_year): c.text_ja for c in row.cells.all()}
            assert row.item.goal_cell == cells[0]
            assert by_column[(Column.BASELINE, 2014)] == cells[1]
            assert by_column[(Column.BASELINE, 2017)] == cells[2]
            assert by_column[(Column.TARGET, 2018)] == cells[3]
            assert by_column[(Column.TARGET, 2019)] == cells[4]
            assert by_column[(Column.TOTAL, None)] == cells[5]


def test_13_4_carries_numbers_units_and_breakdowns():
    plan = load_seed()
    cells = {
        (t.column, t.fiscal_year): t
        for t in Target.objects.filter(
            row__item__measure__strategy__plan=plan, row__item__measure__number="13-4"
        )
    }
    fy2019 = cells[(Column.TARGET, 2019)]
    assert (fy2019.text_ja, fy2019.number, fy2019.unit_ja, fy2019.unit_en) == (
        "3地域 (継続)",
        3,
        "地域",
        "areas",
    )
    assert fy2019.breakdown == {"continuing": 3, "new": 0}
    assert fy2019.kind == "count"
    fy2018 = cells[(Column.TARGET, 2018)]
    assert fy2018.text_ja == "5地域 (継続4地域、新規1地域)"
    assert (fy2018.number, fy2018.breakdown) == (5, {"continuing": 4, "new": 1})
    end_2017 = cells[(Column.BASELINE, 2017)]
    assert (end_2017.text_ja, end_2017.number, end_2017.breakdown) == (
        "4地域 (継続2地域、新規2地域)",
        4,
        {"continuing": 2, "new": 2},
    )


def test_priority_marks_divisions_and_kinds_follow_the_plan():
    plan = load_seed()
    assert list(
        Measure.objects.filter(strategy__plan=plan, priority=True).values_list("number", flat=True)
    ) == ["13-5"]
    starred = sorted(
        i.code for i in Item.objects.filter(measure__strategy__plan=plan, priority=True)
    )
    assert starred == ["13-2(1)", "13-2(3)"]
    divisions = dict(
        Measure.objects.filter(strategy__plan=plan).values_list("number", "divisions_ja")
    )
    assert divisions == {
        "13-1": "産業経済部 経済課",
        "13-2": "産業経済部 経済課、商工観光課",
        "13-3": "産業経済部 商工観光課",
        "13-4": "産業経済部 商工観光課",
        "13-5": "産業経済部 商工観光課",
    }
    kinds = {
        (t.row.item.code, t.row.position, t.fiscal_year): t.kind
        for t in Target.objects.filter(column=Column.TARGET).select_related("row__item__measure")
    }
    assert kinds[("13-2(2)", 0, 2018)] == "started"
    assert kinds[("13-3(3)", 0, 2018)] == "enlarged"
    assert kinds[("13-2(4)", 0, 2019)] == "held"
    assert kinds[("13-1(2)", 0, 2019)] == "run"
    assert kinds[("13-5", 0, 2018)] == "started"


def test_the_plan_texts_come_from_the_source_and_exist_in_five_languages():
    plan = load_seed()
    source = SOURCE_JA.read_text(encoding="utf-8")
    assert plan.vision_target_ja in source
    strategy = Strategy.objects.get(plan=plan)
    for paragraph in strategy.work_so_far_ja.split("\n\n"):
        assert paragraph in source
    for measure in Measure.objects.filter(strategy__plan=plan):
        for paragraph in filter(None, measure.description_ja.split("\n\n")):
            assert paragraph in source, measure.number
        for item in measure.items.all():
            if item.description_ja:
                assert f"{item.number} {item.description_ja}" in source, item.code
    translated = [
        (plan, ("title", "vision_target")),
        (strategy, ("title", "work_so_far")),
        *((m, ("title", "divisions")) for m in Measure.objects.filter(strategy__plan=plan)),
        *((i, ("goal",)) for i in Item.objects.filter(measure__strategy__plan=plan)),
        *((r, ("label",)) for r in TargetRow.objects.all()),
        *((t, ("text",)) for t in Target.objects.all()),
    ]
    for obj, fields in translated:
        for field in fields:
            texts = services.texts_of(obj, field)
            assert all(texts[lang] for lang in LANGUAGES), (obj, field, texts)


def test_the_plan_writes_its_years_in_heisei():
    plan = load_seed()
    assert (plan.first_fy, plan.last_fy, plan.era_of) == (2018, 2019, "start")


def test_loading_twice_changes_nothing_and_writes_no_audit_rows():
    load_seed()
    before = (Target.objects.count(), LogEntry.objects.count())
    report = services.load_plan(spec=read_plan_file(SEED_FILE.read_text(encoding="utf-8")))
    assert (report.created, report.updated, report.deleted) == (0, 0, 0)
    assert (Target.objects.count(), LogEntry.objects.count()) == before


def test_a_changed_file_updates_in_place_and_removes_what_it_no_longer_has():
    load_text(small_plan_yaml(rows=2))
    data = small_plan_data(rows=1)
    data["plan"]["strategies"][0]["measures"][0]["items"][0]["rows"][0]["targets"][2019]["text"][
        "ja"
    ] = "開催（拡大）"
    report = services.load_plan(spec=read_plan_file(yaml.safe_dump(data, allow_unicode=True)))
    assert report.updated == 1
    assert report.deleted >= 1
    assert TargetRow.objects.count() == 1
    cell = Target.objects.get(column=Column.TARGET, fiscal_year=2019)
    assert cell.text_ja == "開催（拡大）"
    assert LogEntry.objects.get_for_object(cell).count() == 2  # created, then changed


# --- Bad plan files ------------------------------------------------------------------------------


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    hits = [number for number, line in enumerate(lines, start=1) if needle in line]
    return hits[occurrence - 1]


def refused(text: str) -> list[tuple[int, str]]:
    with pytest.raises(PlanFileError) as error:
        read_plan_file(text)
    return [(p.line, p.message) for p in error.value.problems]


def test_a_missing_fiscal_year_is_refused_with_its_line():
    data = small_plan_data()
    del data["plan"]["strategies"][0]["measures"][0]["items"][0]["rows"][0]["targets"][2019]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    problems = refused(text)
    assert problems == [
        (line_of(text, "targets:"), str(planfile.E_MISSING_FY % {"fy": "令和元年度"}))
    ]


def test_an_unknown_indicator_is_refused_with_its_line():
    text = small_plan_yaml(indicators=["events.no_such_thing"])
    problems = refused(text)
    assert problems == [
        (
            line_of(text, "indicators:"),
            str(planfile.E_UNKNOWN_INDICATOR % {"code": "events.no_such_thing"}),
        )
    ]


def test_a_registered_indicator_is_accepted():
    indicator = Indicator("tests.things", "物", "件", "13-9(1)", lambda fy: Measurement(0))
    with temporarily_registered(indicator):
        spec = read_plan_file(small_plan_yaml(indicators=["tests.things"]))
    assert spec.strategies[0].measures[0].items[0].rows[0].indicators == ["tests.things"]


def test_a_duplicate_item_number_is_refused_with_its_line():
    data = small_plan_data(items=2)
    data["plan"]["strategies"][0]["measures"][0]["items"][1]["number"] = "(1)"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    problems = refused(text)
    assert problems == [
        (line_of(text, "number: (1)", 2), str(planfile.E_DUPLICATE_NUMBER % {"number": "(1)"}))
    ]


def test_a_number_that_disagrees_with_its_text_is_refused_with_its_line():
    data = small_plan_data(kind="count", number=3)
    data["plan"]["strategies"][0]["measures"][0]["items"][0]["rows"][0]["targets"][2018][
        "number"
    ] = 4
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    problems = refused(text)
    assert problems == [
        (
            line_of(text, "2018:", 1),
            str(planfile.E_NUMBER_DISAGREES % {"number": 4, "text": "3地域 (継続)"}),
        )
    ]


def test_a_breakdown_that_disagrees_with_its_text_is_refused():
    text = SEED_FILE.read_text(encoding="utf-8").replace(
        "breakdown: {continuing: 4, new: 1}", "breakdown: {continuing: 3, new: 2}"
    )
    problems = refused(text)
    assert len(problems) == 1
    breakdown_line = line_of(text, "breakdown: {continuing: 3, new: 2}")
    fy_lines = [n for n, line in enumerate(text.splitlines(), 1) if "2018:" in line]
    assert problems[0][0] == max(n for n in fy_lines if n < breakdown_line)
    assert "5地域 (継続4地域、新規1地域)" in problems[0][1]


def test_a_number_in_the_text_without_a_number_is_refused():
    text = SEED_FILE.read_text(encoding="utf-8").replace("                      number: 5\n", "", 1)
    assert [m for _line, m in refused(text)] == [
        str(planfile.E_COUNT_WITHOUT_NUMBER),
        str(planfile.E_NUMBER_MISSING % {"text": "5地域 (継続4地域、新規1地域)"}),
    ]


def test_every_problem_is_reported_at_once_sorted_by_line():
    data = small_plan_data(items=2, indicators=["x.unknown"])
    data["plan"]["strategies"][0]["measures"][0]["items"][1]["number"] = "(1)"
    data["plan"]["strategies"][0]["measures"][0]["items"][0]["rows"][0]["targets"][2018]["kind"] = (
        "done"
    )
    problems = refused(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    messages = [m for _line, m in problems]
    assert str(planfile.E_UNKNOWN_KIND % {"kind": "done"}) in messages
    assert messages.count(str(planfile.E_UNKNOWN_INDICATOR % {"code": "x.unknown"})) == 2
    assert str(planfile.E_DUPLICATE_NUMBER % {"number": "(1)"}) in messages
    assert [line for line, _m in problems] == sorted(line for line, _m in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "plan: [unclosed",
            planfile.E_YAML % {"detail": "expected ',' or ']', but got '<stream end>'"},
        ),
        ("plan:\n  slug: a\n  slug: b\n", planfile.E_DUPLICATE_KEY % {"key": "slug"}),
        ("- just a list\n", planfile.E_NOT_MAPPING % {"field": "file"}),
    ],
    ids=["yaml-syntax", "duplicate-key", "not-a-mapping"],
)
def test_unreadable_files_are_refused(text, expected):
    problems = refused(text)
    assert problems[0][1] == str(expected)


def test_missing_japanese_and_unknown_languages_are_refused():
    data = small_plan_data()
    data["plan"]["title"] = {"en": "Only English", "fr": "Français"}
    messages = [m for _l, m in refused(yaml.safe_dump(data, allow_unicode=True))]
    assert str(planfile.E_NO_JAPANESE % {"field": "title"}) in messages
    assert str(planfile.E_UNKNOWN_LANGUAGE % {"field": "title", "lang": "fr"}) in messages


def test_a_period_with_gaps_and_a_year_outside_it_are_refused():
    data = small_plan_data(years=(2018, 2020))
    assert str(planfile.E_PERIOD) in [m for _l, m in refused(yaml.safe_dump(data))]
    data = small_plan_data()
    data["plan"]["strategies"][0]["measures"][0]["items"][0]["rows"][0]["targets"][2021] = {
        "kind": "held",
        "text": {"ja": "開催"},
    }
    messages = [m for _l, m in refused(yaml.safe_dump(data))]
    assert (
        str(
            planfile.E_OUTSIDE_PERIOD
            % {"fy": "令和3年度", "first": "平成30年度", "last": "令和元年度"}
        )
        in messages
    )


def test_a_count_target_needs_a_number():
    assert planfile.cell_problems(text="開催", kind="count", number=None, breakdown={}) == [
        str(planfile.E_COUNT_WITHOUT_NUMBER)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3地域 (継続)", (3, {"continuing": 3, "new": 0})),
        ("5地域 (継続4地域、新規1地域)", (5, {"continuing": 4, "new": 1})),
        ("4地域 (継続2地域、 新規2地域)", (4, {"continuing": 2, "new": 2})),
        ("５地域", (5, {})),
        ("実施", (None, {})),
    ],
)
def test_numbers_are_read_from_the_plans_words(text, expected):
    assert numbers_in(text) == expected


def test_a_broken_file_loads_nothing_even_over_an_existing_plan():
    plan = load_seed()
    before = (Target.objects.count(), LogEntry.objects.count())
    broken = SEED_FILE.read_text(encoding="utf-8").replace("2019: *loans_provided", "", 1)
    with pytest.raises(PlanFileError):
        services.load_plan(spec=read_plan_file(broken))
    assert (Target.objects.count(), LogEntry.objects.count()) == before
    assert ActionPlan.objects.get() == plan


def test_a_failure_half_way_through_rolls_everything_back():
    load_text(small_plan_yaml(rows=2))
    row = TargetRow.objects.get(position=1)
    ManualActualFactory(row=row, fiscal_year=2018)
    data = small_plan_data(rows=1)
    data["plan"]["title"]["ja"] = "変更された計画名"
    with pytest.raises(PlanFileError) as error:
        services.load_plan(spec=read_plan_file(yaml.safe_dump(data, allow_unicode=True)))
    assert error.value.problems[0].message == str(services.ROW_HAS_ACTUALS % {"label": row.label})
    assert ActionPlan.objects.get().title_ja == "テスト計画"
    assert TargetRow.objects.count() == 2


# --- The command ---------------------------------------------------------------------------------


def test_load_plan_command_loads_the_seed_and_reports():
    out = StringIO()
    call_command("load_plan", str(SEED_FILE), stdout=out)
    assert "nerima-2018" in out.getvalue()
    assert Measure.objects.count() == 5
    assert TargetRow.objects.count() == 14


def test_load_plan_command_names_the_file_and_line_and_loads_nothing(tmp_path):
    data = small_plan_data(indicators=["nope.missing"])
    path = tmp_path / "broken.yaml"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_plan", str(path), stdout=StringIO())
    assert f"{path}:{line_of(text, 'indicators:')}: " in str(error.value)
    assert "nope.missing" in str(error.value)
    assert ActionPlan.objects.count() == 0


def test_load_plan_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load_plan", str(tmp_path / "nothing.yaml"))

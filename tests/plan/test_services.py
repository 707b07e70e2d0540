"""Manual actuals, target edits and new plan periods, good input and bad."""

from __future__ import annotations

import io
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shoko.core.japan import FiscalYear
from shoko.plan import selectors, services
from shoko.plan.models import ActionPlan, Baseline, Column, ManualActual, Target, TargetRow
from shoko.plan.selectors import Status
from tests.plan.factories import load_seed, load_text, small_plan_yaml

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def plan():
    return load_seed()


def row_of(plan: ActionPlan, code: str, position: int = 0) -> TargetRow:
    return next(
        r
        for r in TargetRow.objects.filter(
            item__measure__strategy__plan=plan, position=position
        ).select_related("item__measure")
        if r.item.code == code
    )


def record(row, official, **overrides):
    values = {
        "row": row,
        "fiscal_year": FiscalYear(2019),
        "value": 3,
        "note": "事業報告書より",
        "user": official,
    }
    return services.record_manual_actual(**(values | overrides))


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_a_manual_actual_counts_and_is_audited(plan, official):
    row = row_of(plan, "13-4")
    actual = record(row, official, breakdown={"continuing": 3, "new": 0})
    assert actual.entered_by == official
    entry = LogEntry.objects.get_for_object(actual).get()
    assert entry.actor == official
    progress = selectors.plan_progress(plan)
    fy2019 = progress.measure("13-4").rows[0].actuals[1]
    assert (fy2019.value, fy2019.status, fy2019.source) == (3, Status.MET, "manual")


def test_correcting_a_manual_actual_updates_the_same_record_and_keeps_history(plan, official):
    row = row_of(plan, "13-4")
    first = record(row, official, value=2)
    second = record(row, official, value=3, note="訂正: 集計漏れ1地域")
    assert first.pk == second.pk
    assert ManualActual.objects.count() == 1
    assert LogEntry.objects.get_for_object(second).count() == 2


@pytest.mark.parametrize("value", [-1, -100])
def test_negative_numbers_are_refused(plan, official, value):
    with pytest.raises(ValidationError) as excinfo:
        record(row_of(plan, "13-4"), official, value=value)
    assert errors_of(excinfo) == {"value": [str(services.NEGATIVE_VALUE)]}


def test_a_negative_breakdown_is_refused(plan, official):
    with pytest.raises(ValidationError) as excinfo:
        record(row_of(plan, "13-4"), official, breakdown={"continuing": 4, "new": -1})
    assert errors_of(excinfo) == {"value": [str(services.NEGATIVE_VALUE)]}


def test_future_fiscal_years_are_refused(official):
    future = FiscalYear.current() + 1
    load_text(small_plan_yaml(years=(future.year - 1, future.year)))
    with pytest.raises(ValidationError) as excinfo:
        record(TargetRow.objects.get(), official, fiscal_year=future)
    assert errors_of(excinfo) == {"fiscal_year": [str(services.FUTURE_YEAR)]}
    assert ManualActual.objects.count() == 0


def test_years_outside_the_plan_are_refused(plan, official):
    with pytest.raises(ValidationError) as excinfo:
        record(row_of(plan, "13-4"), official, fiscal_year=FiscalYear(2017))
    assert errors_of(excinfo) == {"fiscal_year": [str(services.OUTSIDE_PERIOD)]}


@pytest.mark.parametrize("note", ["", "   ", "\u3000"])
def test_a_missing_note_is_refused(plan, official, note):
    with pytest.raises(ValidationError) as excinfo:
        record(row_of(plan, "13-4"), official, note=note)
    assert errors_of(excinfo) == {"note": [str(services.NOTE_REQUIRED)]}
    assert ManualActual.objects.count() == 0


def test_evidence_is_stored_with_the_actual(plan, official, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actual = record(row_of(plan, "13-4"), official, evidence=SimpleUploadedFile("報告書.pdf", PDF))
    assert actual.evidence.name.startswith("plan/evidence/2019/")
    assert actual.evidence.read() == PDF


def zip_with(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00 this is a windows program"),
        ("report.exe", PDF),
        ("no-extension", PDF),
        ("photo.png", b"\xff\xd8\xff\xe0 a jpeg pretending"),
        ("notes.txt", b"\x00\x01\x02 binary"),
        # Checked by content since evidence checks moved to core: a zip is not a workbook, a
        # shell script is not a CSV, and a Word file is not a workbook.
        ("集計.xlsx", zip_with({"notes.txt": "hello"})),
        ("集計.csv", b"#!/bin/sh\nrm -rf /\n"),
        ("集計.xlsx", zip_with({"[Content_Types].xml": "", "word/document.xml": ""})),
    ],
)
def test_evidence_of_the_wrong_type_is_refused(plan, official, name, content):
    with pytest.raises(ValidationError) as excinfo:
        record(row_of(plan, "13-4"), official, evidence=SimpleUploadedFile(name, content))
    assert errors_of(excinfo) == {"evidence": [str(services.EVIDENCE_TYPE)]}


def test_a_real_workbook_is_accepted_as_evidence(plan, official, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    workbook = zip_with({"[Content_Types].xml": "", "xl/workbook.xml": ""})
    actual = record(
        row_of(plan, "13-4"), official, evidence=SimpleUploadedFile("集計.xlsx", workbook)
    )
    assert actual.evidence


def test_japanese_text_evidence_in_shift_jis_is_accepted(plan, official, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = "地域,件数\r\n練馬,3\r\n".encode("cp932")
    actual = record(
        row_of(plan, "13-4"), official, evidence=SimpleUploadedFile("集計.csv", content)
    )
    assert actual.evidence


def test_huge_and_empty_evidence_is_refused(plan, official, settings):
    settings.SHOKO_UPLOAD_MAX_BYTES = 1024 * 1024
    huge = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        record(row_of(plan, "13-4"), official, evidence=huge)
    assert errors_of(excinfo) == {"evidence": [str(services.EVIDENCE_TOO_LARGE % {"limit": 1})]}
    with pytest.raises(ValidationError) as excinfo:
        record(row_of(plan, "13-4"), official, evidence=SimpleUploadedFile("empty.pdf", b""))
    assert errors_of(excinfo) == {"evidence": [str(services.EVIDENCE_EMPTY)]}


# --- Targets -------------------------------------------------------------------------------------


def target_of(plan, code, fy):
    row = row_of(plan, code)
    return Target.objects.get(row=row, column=Column.TARGET, fiscal_year=fy)


def test_editing_a_target_keeps_its_history(plan, official):
    target = target_of(plan, "13-4", 2019)
    services.update_target(
        target=target,
        text={"ja": "4地域 (継続3地域、新規1地域)", "en": "4 areas (3 continuing, 1 new)"},
        kind="count",
        number=4,
        breakdown={"continuing": 3, "new": 1},
        user=official,
    )
    target.refresh_from_db()
    assert (target.text_ja, target.number, target.breakdown) == (
        "4地域 (継続3地域、新規1地域)",
        4,
        {"continuing": 3, "new": 1},
    )
    changes = LogEntry.objects.get_for_object(target).order_by("timestamp").last().changes_dict
    assert changes["text_ja"] == ["3地域 (継続)", "4地域 (継続3地域、新規1地域)"]
    assert [str(v) for v in changes["number"]] == ["3", "4"]


def test_a_target_whose_number_disagrees_with_its_words_is_refused(plan, official):
    target = target_of(plan, "13-4", 2019)
    with pytest.raises(ValidationError) as excinfo:
        services.update_target(
            target=target,
            text={"ja": "3地域 (継続)"},
            kind="count",
            number=4,
            breakdown={},
            user=official,
        )
    assert "number" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.update_target(
            target=target, text={"ja": " "}, kind="count", number=3, breakdown={}, user=official
        )
    assert errors_of(excinfo) == {"text_ja": [str(services.TARGET_TEXT_REQUIRED)]}
    target.refresh_from_db()
    assert target.number == 3


# --- New plan periods ----------------------------------------------------------------------------


def start(plan, official, **overrides):
    values = {
        "source": plan,
        "slug": "nerima-2026",
        "first_fy": 2026,
        "last_fy": 2027,
        "title": {"ja": "次期計画", "en": "Next plan"},
        "user": official,
    }
    return services.start_next_period(**(values | overrides))


def test_the_next_period_copies_the_structure_and_carries_targets_forward(plan, official):
    later = start(plan, official)
    assert later.source == plan
    assert TargetRow.objects.filter(item__measure__strategy__plan=later).count() == 14
    assert [b.fiscal_year for b in Baseline.objects.filter(plan=later)] == [2014, 2025]
    row = row_of(later, "13-4")
    assert row.copied_from == row_of(plan, "13-4")
    cells = {(c.column, c.fiscal_year): c for c in row.cells.all()}
    assert cells[(Column.BASELINE, 2025)].text_ja == "3地域 (継続)"
    assert cells[(Column.TARGET, 2026)].text_ja == "3地域 (継続)"
    assert cells[(Column.TARGET, 2027)].number == 3
    assert cells[(Column.TARGET, 2027)].text_ko == "3개 지역 (계속)"
    assert cells[(Column.BASELINE, 2025)].kind == "none"
    starred = sorted(
        i.code
        for i in later.strategies.get().measures.get(number="13-2").items.filter(priority=True)
    )
    assert starred == ["13-2(1)", "13-2(3)"]
    # Every new target starts its own history.
    assert LogEntry.objects.get_for_object(cells[(Column.TARGET, 2026)]).count() == 1


def test_comparing_periods_matches_rows_by_where_they_came_from(plan, official):
    later = start(plan, official)
    rows = selectors.compare_periods(selectors.plan_progress(plan), selectors.plan_progress(later))
    assert len(rows) == 14
    assert all(r.earlier is not None and r.later is not None for r in rows)
    assert all(r.earlier.row.pk == r.later.row.copied_from_id for r in rows)


def test_the_next_period_refuses_a_taken_slug_overlapping_years_and_long_periods(plan, official):
    start(plan, official)
    with pytest.raises(ValidationError) as excinfo:
        start(plan, official)
    assert errors_of(excinfo) == {"slug": [str(services.SLUG_TAKEN)]}
    with pytest.raises(ValidationError) as excinfo:
        start(plan, official, slug="compare")
    assert errors_of(excinfo) == {"slug": [str(services.SLUG_TAKEN)]}
    with pytest.raises(ValidationError) as excinfo:
        start(plan, official, slug="x", first_fy=2019, last_fy=2020)
    assert errors_of(excinfo) == {"first_fy": [str(services.PERIOD_ORDER)]}
    with pytest.raises(ValidationError) as excinfo:
        start(plan, official, slug="y", first_fy=2030, last_fy=2045)
    assert errors_of(excinfo) == {"last_fy": [str(services.PERIOD_LENGTH)]}
    assert ActionPlan.objects.count() == 2


def test_evidence_is_kept_outside_public_media(plan, official, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    actual = record(row_of(plan, "13-4"), official, evidence=SimpleUploadedFile("報告書.pdf", PDF))
    path = actual.evidence.path
    assert path.startswith(str(tmp_path / "private"))
    assert not path.startswith(str(tmp_path / "media"))
    with pytest.raises(ValueError, match="no public URL"):
        actual.evidence.url  # noqa: B018

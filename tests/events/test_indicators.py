"""The plan's figures: seminars held and participants per programme and fiscal year, machi-zemi
courses, consultations, certificates — with the records behind them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shoko.core.japan import FiscalYear
from shoko.events import indicators
from shoko.events.models import Certificate, ConsultationBooking, Kind, Programme, Session
from tests.events.factories import (
    ConsultationSlotFactory,
    EventFactory,
    SeriesFactory,
    SessionFactory,
    registered,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

FY = FiscalYear(2025)


def at(year, month, day, hour=14):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def held(start, **kwargs):
    return SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2), **kwargs)


def test_seminars_held_count_sessions_that_took_place_in_the_fiscal_year():
    startup = EventFactory(programme=Programme.STARTUP, title="創業セミナー")
    first = held(at(2025, 4, 1, 10), event=startup)  # first day of FY2025
    held(at(2026, 3, 31, 18), event=startup)  # last day of FY2025
    held(at(2025, 3, 31, 18), event=startup)  # FY2024
    held(at(2025, 6, 1), event=startup, status=Session.Status.CANCELLED)
    held(at(2025, 7, 1), event=EventFactory(programme=Programme.SUCCESSION))
    figure = indicators.events_held(
        FY, kind=Kind.SEMINAR, programme=Programme.STARTUP, now=at(2026, 5, 1)
    )
    assert figure.value == 2
    assert figure.evidence[0].label.startswith("創業セミナー")
    assert figure.evidence[0].date == dt.date(2025, 4, 1)
    assert figure.evidence[0].url == f"/staff/events/sessions/{first.pk}/"


def test_sessions_still_to_come_are_not_yet_held():
    event = EventFactory()
    held(at(2025, 5, 1), event=event)
    held(at(2025, 9, 1), event=event)
    figure = indicators.events_held(FY, kind=Kind.SEMINAR, now=at(2025, 6, 1))
    assert figure.value == 1


def test_participants_count_the_people_checked_in_groups_included():
    session = held(at(2025, 5, 10), event=EventFactory(programme=Programme.WELFARE))
    registered(session, 1, attendance="attended", seats=3)
    registered(session, 2, attendance="attended")
    registered(session, 3, attendance="no_show")
    registered(session, 4)
    figure = indicators.participants(
        FY, kind=Kind.SEMINAR, programme=Programme.WELFARE, now=at(2026, 4, 1)
    )
    assert figure.value == 4
    assert figure.evidence[0].detail == "出席 4人"


def test_machi_zemi_counts_courses_not_times():
    bread = EventFactory(kind=Kind.MACHI_ZEMI, programme=Programme.MACHI_ZEMI, title="パン")
    tea = EventFactory(kind=Kind.MACHI_ZEMI, programme=Programme.MACHI_ZEMI, title="お茶")
    for day in (1, 8):
        registered(held(at(2025, 10, day), event=bread), attendance="attended", seats=2)
    registered(held(at(2025, 11, 3), event=tea), attendance="attended")
    courses = indicators.courses_held(FY, now=at(2026, 4, 1))
    assert courses.value == 2
    assert [(r.label, r.detail) for r in courses.evidence] == [
        ("お茶", "1回開催"),
        ("パン", "2回開催"),
    ]
    assert indicators.participants(FY, kind=Kind.MACHI_ZEMI, now=at(2026, 4, 1)).value == 5


def test_consultations_held_per_programme():
    organisation = OrganisationFactory(name="練馬工業")
    for programme, status in [
        (Programme.SUCCESSION, "held"),
        (Programme.SUCCESSION, "held"),
        (Programme.SUCCESSION, "no_show"),
        (Programme.WELFARE, "held"),
    ]:
        slot = ConsultationSlotFactory(
            programme=programme, starts_at=at(2025, 8, 1), ends_at=at(2025, 8, 1, 15)
        )
        ConsultationBooking.objects.create(
            slot=slot, organisation=organisation, status=status, topic="引き継ぎ"
        )
    succession = indicators.consultations_held(
        FY, programme=Programme.SUCCESSION, now=at(2026, 4, 1)
    )
    assert succession.value == 2
    assert succession.evidence[0].label == "練馬工業 — 事業承継"
    everything = indicators.consultations_held(FY, now=at(2026, 4, 1))
    assert everything.value == 3
    assert everything.breakdown == {"succession": 2, "welfare": 1}


def test_certificates_issued_per_fiscal_year():
    series = SeriesFactory()
    for year, serial in [(2025, 1), (2025, 2), (2024, 1)]:
        Certificate.objects.create(
            series=series,
            fiscal_year=year,
            serial=serial,
            holder_name="証明",
            holder_email=f"{year}-{serial}@example.jp",
            issued_on=dt.date(year, 10, 1),
        )
    figure = indicators.certificates_issued(FY)
    assert figure.value == 2
    assert [r.label.split()[0] for r in figure.evidence] == ["2025-0001", "2025-0002"]


def test_every_definition_measures_without_error_and_codes_are_unique():
    codes = [d.code for d in indicators.DEFINITIONS]
    assert len(codes) == len(set(codes))
    assert {d.plan_item for d in indicators.DEFINITIONS} >= {
        "13-1(1)",
        "13-2(2)",
        "13-2(3)",
        "13-3(3)",
    }
    for definition in indicators.DEFINITIONS:
        assert definition.measure(FY).value == 0


def test_register_all_hands_the_figures_to_the_plans_interface():
    """The figures are registered with the plan's registry at start-up, as the plan's own
    Measurement and Evidence."""
    from shoko.plan import indicators as plan

    registered = {i.code for i in plan.registered()}
    assert {d.code for d in indicators.DEFINITIONS} <= registered
    startup = plan.get("events.seminars_held.startup")
    assert startup.plan_item == "13-1(1)"
    assert str(startup.label) == "創業セミナーの開催回数"
    held(at(2025, 5, 1), event=EventFactory(programme=Programme.STARTUP, title="創業"))
    measurement = startup.measure(FY)
    assert isinstance(measurement, plan.Measurement)
    assert measurement.value == 1
    assert isinstance(measurement.evidence[0], plan.Evidence)

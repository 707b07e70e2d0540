"""What the plan reads: applications, approvals and yen per plan item and fiscal year; areas
supported under 13-4 as continuing or new; vacant shops filled under 13-1(2)."""

from __future__ import annotations

import datetime as dt

import pytest

from shoko.core.japan import FiscalYear
from shoko.directory.models import Area, VacantShop
from shoko.programmes import indicators, services
from shoko.programmes.models import Application, Programme, Status, Subject
from tests.directory.factories import BusinessFactory, StreetFactory, VacantShopFactory
from tests.programmes.conftest import advance
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def granted(
    programme: Programme,
    fy: int,
    *,
    area: Area | None = None,
    status=Status.APPROVED,
    amount=1_000_000,
    vacant=None,
) -> Application:
    """A decided application written directly (the workflow is tested elsewhere)."""
    business = BusinessFactory()
    return Application.objects.create(
        programme=programme,
        fiscal_year=fy,
        business=business,
        title="t",
        applicant_name="a",
        status=status,
        approved_yen=amount,
        area=area,
        vacant_shop=vacant,
        number=f"{fy}-{Application.objects.count() + 1:05d}",
    )


def area(code: str) -> Area:
    return Area.objects.get_or_create(code=code, defaults={"name": code})[0]


def test_applications_approvals_and_amounts_per_plan_item(draft, owner, commerce):
    fy = FiscalYear(draft.fiscal_year)
    assert indicators.applications_filed(fy, plan_item="13-3(2)").value == 0  # drafts don't count
    advance(draft, Status.PAID, owner=owner, staff=commerce)
    filed = indicators.applications_filed(fy, plan_item="13-3(2)")
    assert filed.value == 1
    assert filed.breakdown == {"paid": 1}
    assert indicators.approvals(fy, plan_item="13-3(2)").value == 1
    amounts = indicators.approved_amounts(fy, plan_item="13-3(2)")
    assert amounts.value == 800_000
    assert dict(amounts.breakdown) == {"confirmed": 766_000, "paid": 766_000}
    assert amounts.evidence[0].url == f"/staff/programmes/applications/{draft.pk}/"
    assert indicators.approvals(fy, programme=draft.programme.code).value == 1
    assert indicators.approvals(fy - 1, plan_item="13-3(2)").value == 0
    assert indicators.approvals(fy, plan_item="13-3(1)").value == 0


def test_withdrawn_and_rejected_applications_are_not_approvals():
    programme = ProgrammeFactory(plan_item="13-5")
    for status in (Status.WITHDRAWN, Status.REJECTED, Status.UNDER_REVIEW):
        granted(programme, 2026, status=status)
    assert indicators.approvals(FiscalYear(2026), plan_item="13-5").value == 0
    assert indicators.applications_filed(FiscalYear(2026), plan_item="13-5").value == 3


def test_areas_supported_are_counted_once_and_split_into_continuing_and_new():
    programme = ProgrammeFactory(plan_item="13-4", subject=Subject.STREET)
    for code in ("nerima", "ekoda", "shakujii", "oizumi"):
        granted(programme, 2018, area=area(code))
    for code in ("nerima", "nerima", "ekoda", "shakujii", "kitamachi"):
        granted(programme, 2019, area=area(code))
    granted(programme, 2019, area=area("hikarigaoka"), status=Status.UNDER_REVIEW)
    granted(programme, 2019, area=area("heiwadai"), status=Status.WITHDRAWN)

    figure = indicators.areas_supported(FiscalYear(2019))
    assert figure.value == 4
    assert dict(figure.breakdown) == {"continuing": 3, "new": 1}
    labels = [record.label for record in figure.evidence]
    assert any(label.endswith("(新規)") for label in labels)
    assert sum(label.endswith("(継続)") for label in labels) == 3
    first = indicators.areas_supported(FiscalYear(2018))
    assert dict(first.breakdown) == {"continuing": 0, "new": 4}


def test_the_plans_three_continuing_areas_target_can_be_met():
    programme = ProgrammeFactory(plan_item="13-4", subject=Subject.STREET)
    for code in ("nerima", "ekoda", "shakujii"):
        granted(programme, 2018, area=area(code))
        granted(programme, 2019, area=area(code))
    figure = indicators.areas_supported(FiscalYear(2019))
    assert (figure.value, dict(figure.breakdown)) == (3, {"continuing": 3, "new": 0})


def test_vacant_shops_filled_count_occupied_vacancies_once(owner, commerce, make_user):
    programme = ProgrammeFactory(
        plan_item="13-1(2)",
        subject=Subject.VACANT_SHOP,
        division="economy",
        eligibility_rules=[{"rule": "uses_vacant_shop"}],
    )
    vacancy = VacantShopFactory()
    granted(programme, 2026, status=Status.WORK_COMPLETED, vacant=vacancy)
    granted(programme, 2026, status=Status.PAID, vacant=vacancy)  # the same shop
    granted(programme, 2026, status=Status.PAID, vacant=VacantShopFactory())
    granted(programme, 2026, status=Status.APPROVED, vacant=VacantShopFactory())  # not yet open
    figure = indicators.vacant_shops_filled(FiscalYear(2026))
    assert figure.value == 2
    assert len(figure.evidence) == 2


def test_completing_work_in_a_vacant_shop_marks_it_occupied(make_user, settings, tmp_path):
    from tests.programmes.conftest import member
    from tests.programmes.factories import pdf_upload

    settings.MEDIA_ROOT = tmp_path
    economy = make_user("economy_staff")
    programme = ProgrammeFactory(
        plan_item="13-1(2)",
        subject=Subject.VACANT_SHOP,
        division="economy",
        eligibility_rules=[
            {"rule": "founded_within_years", "params": {"years": 5}},
            {"rule": "uses_vacant_shop"},
        ],
    )
    startup = BusinessFactory(founded_on=dt.date.today() - dt.timedelta(days=400))
    person = member(startup)
    vacancy = VacantShopFactory(street=StreetFactory())
    application = services.create_application(actor=person, programme=programme, business=startup)
    services.update_application(
        actor=person,
        application=application,
        data={"vacant_shop": vacancy, "title": "開業"},
        expenses=[{"category": "construction", "description": "内装", "amount": "90万円"}],
        answers={"purpose": "事業承継"},
    )
    services.upload_document(
        actor=person,
        application=application,
        requirement=programme.required_documents.get(code="quote"),
        upload=pdf_upload(),
    )
    completed = advance(application, Status.WORK_COMPLETED, owner=person, staff=economy)
    vacancy.refresh_from_db()
    assert vacancy.status == VacantShop.Status.OCCUPIED
    assert completed.area == vacancy.street.area
    assert indicators.vacant_shops_filled(completed.fy).value == 1


def test_every_indicator_has_a_valid_code_a_plan_item_and_a_measure():
    rows = indicators.definitions()
    codes = [code for code, *_rest in rows]
    assert len(codes) == len(set(codes))
    assert "programmes.areas_supported" in codes
    assert "programmes.approvals.13_3_2" in codes
    for code, label, unit, item, measure in rows:
        parts = code.split(".")
        assert parts[0] == "programmes"
        assert all(p.replace("_", "").isalnum() and p.isascii() for p in parts)
        assert str(label)
        assert str(unit)
        assert item in indicators.PLAN_ITEMS
        assert isinstance(measure(FiscalYear(2026)).value, int)


def test_labels_follow_the_readers_language():
    from django.utils import translation

    label = {code: label for code, label, *_ in indicators.definitions()}[
        "programmes.approvals.13_3_2"
    ]
    assert str(label) == "交付決定件数（13-3(2)）"
    with translation.override("en"):
        assert str(label) == "Grants decided (13-3(2))"


def test_registration_with_the_plan_uses_its_interface():
    """The plan's registry holds our indicators from start-up; registering again adds nothing."""
    from shoko.plan import indicators as plan

    assert indicators.register_all() == []  # a second call registers nothing twice
    registered = {i.code for i in plan.registered()}
    assert {code for code, *_rest in indicators.definitions()} <= registered
    indicator = plan.get("programmes.areas_supported")
    assert indicator.plan_item == "13-4"
    measurement = indicator.measure(FiscalYear(2019))
    assert measurement.value == 0
    assert dict(measurement.breakdown) == {"continuing": 0, "new": 0}

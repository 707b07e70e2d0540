"""The events API: public list and registration for scripts, members' own registrations,
staff lists and QR check-in — and the wrong users turned away."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from shoko.events.models import Registration
from tests.events.factories import (
    EventFactory,
    SessionFactory,
    in_days,
    person,
    registered,
    running_session,
    sign_up,
)
from tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db

BODY = {
    "full_name": "練馬 次郎",
    "full_name_kana": "ネリマ ジロウ",
    "email": "jiro@example.jp",
    "phone": "03-3993-1111",
}


@pytest.fixture
def api():
    return APIClient()


def register_url(session) -> str:
    return f"/api/v1/events/sessions/{session.pk}/registrations/"


def test_a_script_registers_without_an_account_or_csrf_token(api):
    session = SessionFactory(capacity=1)
    first = api.post(register_url(session), BODY, format="json")
    assert first.status_code == 201
    assert first.json()["status"] == "confirmed"
    second = api.post(register_url(session), BODY | {"email": "other@example.jp"}, format="json")
    assert second.status_code == 201
    assert second.json() == {
        "id": Registration.objects.get(email="other@example.jp").pk,
        "status": "waitlisted",
        "seats": 1,
        "waitlist_position": 1,
    }


def test_the_same_person_twice_is_reported_as_a_duplicate_without_details(api):
    session = SessionFactory()
    api.post(register_url(session), BODY, format="json")
    again = api.post(register_url(session), BODY | {"email": "JIRO@example.jp"}, format="json")
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert "status" not in again.json()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ja", "この回は中止になりました。"),
        ("en", "This session has been cancelled."),
        ("ko", "이 회차는 취소되었습니다."),
    ],
)
def test_refusals_come_in_the_callers_language(api, language, expected):
    session = SessionFactory(status="cancelled")
    response = api.post(register_url(session), BODY, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert response.json() == {"detail": expected, "code": "session_cancelled"}


def test_bad_fields_are_listed_per_field(api):
    session = SessionFactory()
    response = api.post(register_url(session), BODY | {"phone": "12", "email": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"phone", "email"}
    wrong_types = api.post(register_url(session), BODY | {"seats": "many"}, format="json")
    assert wrong_types.status_code == 400
    assert "seats" in wrong_types.json()["errors"]


def test_the_api_is_rate_limited_too(api, settings):
    from shoko.events.ratelimit import Limit

    settings.SHOKO_EVENTS_RATE_LIMITS = {"address_session": Limit(1, 60)}
    session = SessionFactory()
    assert api.post(register_url(session), BODY, format="json").status_code == 201
    limited = api.post(register_url(session), BODY | {"email": "z@example.jp"}, format="json")
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"


def test_the_public_list_costs_the_same_for_more_events(api, django_assert_max_num_queries):
    for _ in range(2):
        SessionFactory(areas=["sales"])
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/events/").json()["count"] == 2
    for _ in range(10):
        SessionFactory(areas=["hr"])
    with django_assert_max_num_queries(4):
        data = api.get("/api/v1/events/").json()
    assert data["count"] == 12
    assert data["results"][0]["sessions"][0]["areas"]


def test_a_member_lists_only_their_organisations_registrations(api, django_assert_max_num_queries):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    member = member_of(mine)
    session = SessionFactory()
    sign_up(session, person(1, organisation=mine), actor=member)
    sign_up(session, person(2, organisation=theirs), actor=member_of(theirs))
    api.force_authenticate(member)
    with django_assert_max_num_queries(6):
        rows = api.get("/api/v1/events/my/registrations/").json()["results"]
    assert [r["organisation"] for r in rows] == [mine.name]
    for n in range(3, 15):
        sign_up(SessionFactory(), person(n, organisation=mine), actor=member)
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/events/my/registrations/").json()["count"] == 13


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("economy_staff", 200),
        ("commerce_staff", 200),
        ("consultant", 403),
        ("judge", 403),
        ("business_member", 403),
    ],
)
def test_session_registrations_are_for_officials(api, make_user, role, status):
    session = SessionFactory()
    sign_up(session)
    api.force_authenticate(make_user(role))
    assert api.get(f"/api/v1/events/staff/sessions/{session.pk}/registrations/").status_code == (
        status
    )


def test_staff_lists_cost_the_same_for_more_registrations(
    api, official, django_assert_max_num_queries
):
    session = SessionFactory(capacity=50)
    for n in range(3):
        sign_up(session, person(n))
    api.force_authenticate(official)
    url = f"/api/v1/events/staff/sessions/{session.pk}/registrations/"
    with django_assert_max_num_queries(6):
        api.get(url)
    for n in range(3, 30):
        sign_up(session, person(n))
    with django_assert_max_num_queries(6):
        assert api.get(url).json()["count"] == 30


def test_anonymous_callers_get_no_private_lists(api):
    session = SessionFactory()
    assert api.get("/api/v1/events/my/registrations/").status_code in (401, 403)
    assert api.get(f"/api/v1/events/staff/sessions/{session.pk}/registrations/").status_code in (
        401,
        403,
    )
    assert api.post("/api/v1/events/staff/checkin/", {"code": "x"}).status_code in (401, 403)


def test_a_scanner_app_checks_people_in_by_their_qr_code(api, official):
    registration = registered(running_session())
    api.force_authenticate(official)
    scanned = f"https://shoko.example.jp/staff/events/checkin/{registration.token}/"
    first = api.post("/api/v1/events/staff/checkin/", {"code": scanned}, format="json")
    assert first.status_code == 200
    assert first.json()["already"] is False
    again = api.post("/api/v1/events/staff/checkin/", {"code": registration.token}, format="json")
    assert again.json()["already"] is True
    unknown = api.post("/api/v1/events/staff/checkin/", {"code": "nope"}, format="json")
    assert unknown.status_code == 404
    member = member_of(OrganisationFactory())
    api.force_authenticate(member)
    assert (
        api.post("/api/v1/events/staff/checkin/", {"code": registration.token}).status_code == 403
    )


def test_an_event_reads_in_the_api_as_on_its_page_past_sessions_and_cancellations_too(
    api, django_assert_max_num_queries
):
    held = SessionFactory(starts_at=in_days(-3))
    cancelled = SessionFactory(event=held.event, starts_at=in_days(4), status="cancelled")
    with django_assert_max_num_queries(4):
        body = api.get(f"/api/v1/events/{held.event_id}/").json()
    assert body["id"] == held.event_id
    assert [(s["id"], s["status"]) for s in body["sessions"]] == [
        (held.pk, "scheduled"),
        (cancelled.pk, "cancelled"),
    ]
    # The list is of what is still to come.
    assert api.get("/api/v1/events/").json()["results"] == []
    unpublished = SessionFactory(event__published=False)
    assert api.get(f"/api/v1/events/{unpublished.event_id}/").status_code == 404
    assert api.get(f"/api/v1/events/{EventFactory().pk}/").status_code == 404  # no session yet

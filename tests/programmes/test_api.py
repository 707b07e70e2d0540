"""The API: applicants see and move their own applications (another business's → 404), staff
see all; the moves call the same services; everything is in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shoko.programmes.models import Application
from tests.directory.factories import ShopFactory
from tests.programmes.conftest import applications_under_review
from tests.programmes.factories import EXE_BYTES, pdf_upload, upload

pytestmark = pytest.mark.django_db

LIST = "/api/v1/programmes/applications/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def detail(pk: int) -> str:
    return f"{LIST}{pk}/"


def test_anonymous_requests_are_refused():
    assert api().get(LIST).status_code in (401, 403)
    assert api().get("/api/v1/programmes/programmes/").status_code in (401, 403)


def test_applicants_list_only_their_own_and_get_404_for_others(draft, owner, other_business_member):
    assert [row["id"] for row in api(owner).get(LIST).json()["results"]] == [draft.pk]
    assert api(other_business_member).get(LIST).json()["results"] == []
    assert api(other_business_member).get(detail(draft.pk)).status_code == 404
    response = api(other_business_member).post(f"{detail(draft.pk)}transitions/submit/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("admin", True),
        ("economy_staff", True),
        ("commerce_staff", True),
        ("consultant", False),
        ("judge", False),
        ("business_member", False),
        (None, False),
    ],
)
def test_officials_see_every_application(draft, make_user, role, sees):
    rows = api(make_user(role)).get(LIST).json()["results"]
    assert [row["id"] for row in rows] == ([draft.pk] if sees else [])


def test_a_whole_application_through_the_api(programme, business, owner, commerce):
    created = api(owner).post(
        LIST, {"programme": programme.code, "business": business.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["applicant_name"] == "練馬テスト食堂"
    patched = api(owner).patch(
        detail(pk),
        {
            "title": "入口の改修",
            "expenses": [
                {"category": "construction", "description": "工事", "amount": "１２０万円"}
            ],
            "answers": {"purpose": "事業承継"},
        },
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["eligible_expense_yen"], patched.json()["requested_yen"]) == (
        1_200_000,
        800_000,
    )
    exe = api(owner).post(
        f"{detail(pk)}documents/",
        {"requirement": "quote", "file": upload("q.pdf", EXE_BYTES)},
        format="multipart",
    )
    assert exe.status_code == 400
    assert "実行ファイル" in str(exe.json())
    pdf = api(owner).post(
        f"{detail(pk)}documents/",
        {"requirement": "quote", "file": pdf_upload()},
        format="multipart",
    )
    assert pdf.status_code == 201
    assert pdf.json()["version"] == 1
    submitted = api(owner).post(f"{detail(pk)}transitions/submit/", {}, format="json")
    assert submitted.json()["status"] == "submitted"
    twice = api(owner).post(f"{detail(pk)}transitions/submit/", {}, format="json")
    assert twice.status_code == 400
    assert "二重に送信" in str(twice.json())
    assert api(owner).post(f"{detail(pk)}transitions/start_review/").status_code == 403
    assert api(commerce).post(f"{detail(pk)}transitions/start_review/").status_code == 200
    approved = api(commerce).post(
        f"{detail(pk)}transitions/approve/", {"amount": "７０万円"}, format="json"
    )
    body = approved.json()
    assert (body["status"], body["approved_yen"]) == ("approved", 700_000)
    assert body["notices"][0]["kind"] == "grant_decision"
    assert [t["to"] for t in body["transitions"]] == ["submitted", "under_review", "approved"]
    assert api(commerce).post(f"{detail(pk)}transitions/fly_away/").status_code == 404


def test_bad_amounts_through_the_api_are_explained(draft, owner):
    response = api(owner).patch(
        detail(draft.pk),
        {
            "expenses": [{"category": "construction", "description": "工事", "amount": "-1"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "マイナスの金額は入力できません。" in str(response.json()["expenses"])


def test_a_business_member_cannot_start_an_application_for_another_business(programme, owner):
    other = ShopFactory().business
    response = api(owner).post(
        LIST, {"programme": programme.code, "business": other.pk}, format="json"
    )
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_programmes_are_listed_with_whether_they_are_open(programme, owner):
    rows = api(owner).get("/api/v1/programmes/programmes/").json()["results"]
    assert rows[0]["code"] == programme.code
    assert rows[0]["is_open"] is True
    assert rows[0]["rate"] == "2/3"


def test_the_list_keeps_its_query_count(programme, commerce, django_assert_max_num_queries):
    def add(n):
        applications_under_review(programme, n, commerce)

    add(2)
    client = api(commerce)
    with django_assert_max_num_queries(20) as counted:
        assert len(client.get(LIST).json()["results"]) == 2
    add(5)
    with django_assert_max_num_queries(len(counted)):
        assert len(client.get(LIST).json()["results"]) == 7


def test_the_endpoints_are_in_the_openapi_schema(client, admin_user):
    client.force_login(admin_user)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/programmes/applications/" in paths
    assert "/api/v1/programmes/applications/{id}/transitions/{name}/" in paths
    assert "/api/v1/programmes/applications/{id}/documents/" in paths
    assert "/api/v1/programmes/programmes/" in paths


def test_the_programme_list_keeps_its_query_count(owner, django_assert_max_num_queries):
    from tests.programmes.factories import ProgrammeFactory

    ProgrammeFactory()
    client = api(owner)
    with django_assert_max_num_queries(20) as counted:
        assert len(client.get("/api/v1/programmes/programmes/").json()["results"]) == 1
    for _ in range(5):
        ProgrammeFactory()
    with django_assert_max_num_queries(len(counted)):
        assert len(client.get("/api/v1/programmes/programmes/").json()["results"]) == 6

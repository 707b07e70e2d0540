"""Every staff action, posted by every role that may not take it (and by anonymous visitors),
is refused and changes nothing; notices are for the applicant's members and staff only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shoko.programmes.models import Application, Review, Status
from tests.programmes.conftest import advance

pytestmark = pytest.mark.django_db


def staff_posts(application, programme):
    window = programme.windows.get()
    return {
        "budget-set": (
            reverse("programmes:staff-budget-set", args=[programme.code]),
            {"fiscal_year": "2026", "amount": "1"},
        ),
        "window-add": (
            reverse("programmes:staff-window-add", args=[programme.code]),
            {"fiscal_year": "2026", "opens_on": "2026-04-01", "closes_on": "2026-05-01"},
        ),
        "window-delete": (
            reverse("programmes:staff-window-delete", args=[programme.code, window.pk]),
            {},
        ),
        "assign": (reverse("programmes:staff-assign", args=[application.pk]), {"assignee": ""}),
        "request-documents": (
            reverse("programmes:staff-request-documents", args=[application.pk]),
            {"message": "x"},
        ),
        "approve": (
            reverse("programmes:staff-application-transition", args=[application.pk, "approve"]),
            {"amount": "1000"},
        ),
        "programme-edit": (
            reverse("programmes:staff-programme-edit", args=[programme.code]),
            {"name_ja": "x"},
        ),
        "proxy": (
            reverse("programmes:staff-proxy", args=[programme.code]),
            {"business": application.business_id},
        ),
    }


def snapshot(application, programme):
    application.refresh_from_db()
    return (
        application.status,
        application.assigned_to_id,
        application.document_requests.count(),
        programme.windows.count(),
        list(programme.budgets.values_list("amount_yen", flat=True)),
        Application.objects.count(),
    )


@pytest.mark.parametrize("role", ["consultant", "business_member", None, "judge", "anonymous"])
def test_staff_actions_are_refused_to_those_who_may_not_take_them(
    client, draft, owner, commerce, programme, make_user, role
):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    before = snapshot(application, programme)
    if role != "anonymous":
        client.force_login(make_user(role))
    for name, (url, data) in staff_posts(application, programme).items():
        response = client.post(url, data)
        if role == "anonymous":
            assert response.status_code == 302, name
            assert "/login/" in response["Location"]
        else:
            assert response.status_code == 403, (role, name)
    assert snapshot(application, programme) == before


def test_another_divisions_staff_may_look_but_not_act(
    client, draft, owner, commerce, programme, make_user
):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    before = snapshot(application, programme)
    client.force_login(make_user("economy_staff"))
    page = client.get(reverse("programmes:staff-application", args=[application.pk]))
    assert "この事業の判断は商工観光課が行います。" in page.content.decode()
    for url, data in staff_posts(application, programme).values():
        client.post(url, data)
    assert snapshot(application, programme) == before


@pytest.mark.parametrize("role", ["business_member", "consultant", None])
def test_scoring_and_recusal_are_refused_to_non_reviewers(
    client, draft, owner, commerce, make_user, role
):
    application = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    client.force_login(make_user(role))
    for name in ("staff-score", "staff-conflict"):
        response = client.post(
            reverse(f"programmes:{name}", args=[application.pk]),
            {"score_impact": "5", "score_feasibility": "5"},
        )
        assert response.status_code == 403
    assert not Review.objects.exists()


def test_notices_are_for_the_applicants_members_and_staff(
    client, draft, owner, commerce, other_business_member, make_user
):
    approved = advance(draft, Status.APPROVED, owner=owner, staff=commerce)
    url = reverse("programmes:notice", args=[approved.notices.get().pk])
    for reader, status in [
        (owner, 200),
        (commerce, 200),
        (make_user("economy_staff"), 200),
        (other_business_member, 404),
        (make_user("consultant"), 404),
        (make_user("judge"), 404),
    ]:
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content).startswith(b"%PDF")

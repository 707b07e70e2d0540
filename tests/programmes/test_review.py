"""Review: several reviewers score by the rubric; members of the applying organisation and
those who declare a conflict cannot score; staff assign applications and ask for documents."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shoko.programmes import selectors, services
from shoko.programmes.models import Review, Status
from tests.programmes.conftest import advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewing(draft, owner, commerce):
    return advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)


def test_two_reviewers_score_and_the_weighted_totals_are_summed(reviewing, commerce, make_user):
    judge = make_user("judge")
    services.score_application(
        actor=commerce, application=reviewing, scores={"impact": "５", "feasibility": "4"}
    )
    services.score_application(
        actor=judge, application=reviewing, scores={"impact": 3, "feasibility": 2}, comment="良い"
    )
    summary = selectors.review_summary(reviewing)
    totals = {review.reviewer_id: total for review, total in summary.rows}
    assert totals == {commerce.pk: 14, judge.pk: 8}  # impact ×2 + feasibility ×1, out of 15
    assert summary.top == 15
    assert summary.average_percent == round((14 / 15 * 100 + 8 / 15 * 100) / 2)


def test_scoring_again_replaces_the_reviewers_scores(reviewing, commerce):
    services.score_application(
        actor=commerce, application=reviewing, scores={"impact": 1, "feasibility": 1}
    )
    services.score_application(
        actor=commerce, application=reviewing, scores={"impact": 2, "feasibility": 2}
    )
    assert Review.objects.get(application=reviewing, reviewer=commerce).scores == {
        "impact": 2,
        "feasibility": 2,
    }


@pytest.mark.parametrize("score", ["6", "-1", "たくさん", "", None])
def test_scores_outside_the_rubric_are_refused(reviewing, commerce, score):
    with pytest.raises(ValidationError) as caught:
        services.score_application(
            actor=commerce, application=reviewing, scores={"impact": score, "feasibility": 3}
        )
    assert caught.value.error_list[0].message == services.SCORE_RANGE_MESSAGE
    assert not Review.objects.exists()


def test_a_member_of_the_applying_organisation_cannot_score(reviewing, business, make_user):
    from tests.factories import MembershipFactory

    judge = make_user("judge")
    MembershipFactory(user=judge, organisation=business.organisation)
    with pytest.raises(ValidationError) as caught:
        services.score_application(
            actor=judge, application=reviewing, scores={"impact": 5, "feasibility": 5}
        )
    assert caught.value.message == services.CONFLICT_MEMBER_MESSAGE


def test_a_reviewer_who_declares_a_conflict_cannot_score(reviewing, make_user):
    judge = make_user("judge")
    services.score_application(
        actor=judge, application=reviewing, scores={"impact": 5, "feasibility": 5}
    )
    services.declare_conflict(actor=judge, application=reviewing, note="申請者は親族です")
    review = Review.objects.get(application=reviewing, reviewer=judge)
    assert review.conflict_declared
    assert review.scores == {}
    with pytest.raises(ValidationError) as caught:
        services.score_application(
            actor=judge, application=reviewing, scores={"impact": 5, "feasibility": 5}
        )
    assert caught.value.message == services.CONFLICT_DECLARED_MESSAGE
    assert selectors.review_summary(reviewing).average_percent is None


def test_only_reviewers_score_and_only_while_under_review(draft, owner, make_user, commerce):
    for person in (owner, make_user("consultant"), make_user("economy_staff")):
        with pytest.raises(PermissionDenied):
            services.score_application(actor=person, application=draft, scores={})
    with pytest.raises(ValidationError) as caught:
        services.score_application(
            actor=commerce, application=draft, scores={"impact": 1, "feasibility": 1}
        )
    assert caught.value.message == services.REVIEW_NOT_OPEN_MESSAGE


def test_assignment_is_to_the_programmes_staff(reviewing, commerce, make_user):
    colleague = make_user("commerce_staff")
    assigned = services.assign_application(
        actor=commerce, application=reviewing, assignee=colleague
    )
    assert assigned.assigned_to == colleague
    with pytest.raises(ValidationError) as caught:
        services.assign_application(
            actor=commerce, application=reviewing, assignee=make_user("economy_staff")
        )
    assert caught.value.message_dict["assignee"] == [services.ASSIGNEE_NOT_STAFF_MESSAGE]
    with pytest.raises(PermissionDenied):
        services.assign_application(
            actor=make_user("economy_staff"), application=reviewing, assignee=None
        )


def test_a_document_request_needs_a_message_and_shows_in_the_checklist(reviewing, commerce):
    with pytest.raises(ValidationError):
        services.request_documents(actor=commerce, application=reviewing, message=" ")
    quote = reviewing.programme.required_documents.get(code="quote")
    services.request_documents(
        actor=commerce, application=reviewing, requirement=quote, message="原本の写しを"
    )
    rows = {row.requirement.code: row for row in selectors.document_checklist(reviewing)}
    assert [r.message for r in rows["quote"].open_requests] == ["原本の写しを"]
    assert rows["quote"].current is not None
    assert rows["receipts"].current is None


def test_judges_see_only_what_is_under_review(reviewing, make_user):
    judge = make_user("judge")
    assert list(selectors.staff_applications(judge)) == [reviewing]
    assert list(selectors.staff_applications(make_user("consultant"))) == []

"""Budgets: approvals commit money inside the database transaction, under the budget row's
lock, so concurrent approvals can never overspend; what confirmation does not use goes back."""

from __future__ import annotations

from functools import partial

import pytest
from django.core.exceptions import ValidationError

from shoko.programmes import selectors, services
from shoko.programmes.models import Application, ProgrammeBudget, Status
from tests.programmes.conftest import advance, applications_under_review, concurrently
from tests.programmes.factories import ProgrammeFactory


def approve_concurrently(applications, staff_users):
    """Each application approved by its own member of staff's thread, all at once."""
    calls = [
        partial(
            services.approve_application,
            actor=staff_users[i % len(staff_users)],
            application=application,
        )
        for i, application in enumerate(applications)
    ]
    return {
        application.pk: "approved" if outcome == "ok" else outcome
        for application, outcome in zip(applications, concurrently(calls), strict=True)
    }


@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_the_last_yen_at_once_one_wins_the_other_is_told(
    make_user, settings, tmp_path, directory_reference
):
    settings.MEDIA_ROOT = tmp_path
    first, second = make_user("commerce_staff"), make_user("commerce_staff")
    programme = ProgrammeFactory(budget_yen=800_000)
    applications = applications_under_review(programme, 2, first)
    outcomes = approve_concurrently(applications, [first, second])
    assert sorted(outcomes.values()) == ["approved", "budget_exceeded"]
    budget = ProgrammeBudget.objects.get(programme=programme)
    assert budget.committed_yen == 800_000
    assert Application.objects.filter(status=Status.APPROVED).count() == 1
    loser = next(pk for pk, outcome in outcomes.items() if outcome != "approved")
    assert Application.objects.get(pk=loser).status == Status.UNDER_REVIEW
    assert not Application.objects.get(pk=loser).notices.exists()


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_approvals_never_overspend(
    make_user, settings, tmp_path, directory_reference
):
    settings.MEDIA_ROOT = tmp_path
    staff = [make_user("commerce_staff") for _ in range(3)]
    programme = ProgrammeFactory(budget_yen=3_300_000)  # room for four 800,000-yen grants
    applications = applications_under_review(programme, 8, staff[0])
    outcomes = approve_concurrently(applications, staff)
    assert list(outcomes.values()).count("approved") == 4
    assert list(outcomes.values()).count("budget_exceeded") == 4
    budget = ProgrammeBudget.objects.get(programme=programme)
    assert budget.committed_yen == 3_200_000 <= budget.amount_yen
    approved = Application.objects.filter(programme=programme, status=Status.APPROVED)
    assert sum(a.approved_yen for a in approved) == budget.committed_yen


@pytest.mark.django_db
def test_the_budget_cannot_be_set_below_what_is_committed(draft, owner, commerce):
    advance(draft, Status.APPROVED, owner=owner, staff=commerce)
    with pytest.raises(ValidationError) as caught:
        services.set_budget(
            actor=commerce,
            programme=draft.programme,
            fiscal_year=draft.fiscal_year,
            amount="50万円",
        )
    assert caught.value.message_dict["amount"] == [
        services.BUDGET_BELOW_COMMITTED_MESSAGE % {"committed": "800,000"}
    ]
    budget = services.set_budget(
        actor=commerce,
        programme=draft.programme,
        fiscal_year=draft.fiscal_year,
        amount="８００万円",
    )
    assert budget.amount_yen == 8_000_000


@pytest.mark.django_db
def test_the_budget_view_tracks_committed_confirmed_and_paid_apart(draft, owner, commerce):
    fy = draft.fiscal_year
    view = selectors.budget_view(draft.programme, fy)
    assert (view.amount, view.remaining, view.requested_pending) == (5_000_000, 5_000_000, 0)
    reviewing = advance(draft, Status.UNDER_REVIEW, owner=owner, staff=commerce)
    assert selectors.budget_view(draft.programme, fy).requested_pending == 800_000
    paid = advance(reviewing, Status.PAID, owner=owner, staff=commerce)
    view = selectors.budget_view(draft.programme, fy)
    assert (view.committed, view.confirmed, view.paid, view.remaining) == (
        766_000,
        766_000,
        766_000,
        4_234_000,
    )
    bars = {bar["key"]: bar for bar in view.bars()}
    assert bars["remaining"]["value"] == 4_234_000
    assert bars["budget"]["percent"] == 100.0
    rebuilt = services.recompute_budget(programme=draft.programme, fiscal_year=fy)
    assert (rebuilt.committed_yen, rebuilt.confirmed_yen, rebuilt.paid_yen) == (
        766_000,
        766_000,
        766_000,
    )
    assert paid.paid_yen == 766_000


@pytest.mark.django_db
def test_only_the_division_sets_budgets_and_windows(programme, make_user):
    from django.core.exceptions import PermissionDenied

    from tests.programmes.factories import today

    for person in (make_user("economy_staff"), make_user("consultant"), make_user(None)):
        with pytest.raises(PermissionDenied):
            services.set_budget(actor=person, programme=programme, fiscal_year=2026, amount=1)
        with pytest.raises(PermissionDenied):
            services.add_window(
                actor=person,
                programme=programme,
                fiscal_year=2026,
                opens_on=today(),
                closes_on=today(),
            )

"""Limits held by the database under real concurrency: a person at their entry limit who
submits two drafts at once, and two staff giving the last place of an award at once."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from shoko.contests.models import AwardWinner, Entry, EntryStatus
from shoko.contests.services import entries as entry_services
from shoko.contests.services import results
from tests.contests.conftest import eligible_entries, fill, load_call, start
from tests.factories import user_with_role
from tests.programmes.conftest import concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def patiently(call):
    """Like a person clicking again while the database is busy, for up to a minute: a submit
    (with its email) can hold SQLite's write lock longer than the helper's own two seconds on a
    loaded machine."""

    def run():
        deadline = time.monotonic() + 60
        while True:
            try:
                return call()
            except ValidationError as error:
                if getattr(error, "code", None) != "busy" or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    return run


@pytest.fixture(autouse=True)
def _roles():
    from shoko.core.roles import sync_roles

    sync_roles()
    yield
    connections.close_all()


def test_two_drafts_submitted_at_once_cannot_both_pass_the_limit(entrant):
    staff = user_with_role("commerce_staff", email="commerce@example.jp")
    call = load_call(staff)
    category = call.categories.get(code="one-minute")
    type(category).objects.filter(pk=category.pk).update(entries_per_person=1)
    drafts = [fill(start(call, entrant), entrant) for _ in range(2)]
    outcomes = concurrently(
        [patiently(lambda d=d: entry_services.submit_entry(actor=entrant, entry=d)) for d in drafts]
    )
    assert sorted(outcomes) == ["ok", "refused"], outcomes
    assert Entry.objects.filter(status=EntryStatus.SUBMITTED).count() == 1


def test_the_last_place_of_an_award_goes_once():
    staff = user_with_role("commerce_staff", email="commerce2@example.jp")
    other = user_with_role("admin", email="admin2@example.jp")
    call = load_call(staff, slug="anime-race")
    first, second = eligible_entries(call, staff, 2)
    award = call.awards.get(category__isnull=True)  # one place
    outcomes = concurrently(
        [
            lambda: results.grant_award(
                actor=staff, award=award, entry=first, data={"jury_comment": "A"}
            ),
            lambda: results.grant_award(
                actor=other, award=award, entry=second, data={"jury_comment": "B"}
            ),
        ]
    )
    assert sorted(outcomes) == ["ok", "places"], outcomes
    assert AwardWinner.objects.filter(award=award).count() == 1

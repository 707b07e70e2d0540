"""Who may see and do what in a contest — decided here once, asked by services, selectors and
views alike.

- *Staff of the call* (担当職員): admins and officials of the call's division (経済課 or
  商工観光課). They review entries, set up judging, award and publish, and they alone see
  entrants' personal data — minors' above all.
- Other officials see calls, entries' titles and states, never personal data.
- Judges see the works of the rounds they sit on (credit names, never personal data) and their
  own score sheets.
- An entrant sees their own entries; members of a studio see the studio's entries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shoko.contests.models import Call, Division, Entry
from shoko.core.permissions import has_role, is_member_of, is_official
from shoko.core.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shoko.core.models import User

    AnyUser = User | AnonymousUser

_DIVISION_ROLE = {Division.ECONOMY: Role.ECONOMY_STAFF, Division.COMMERCE: Role.COMMERCE_STAFF}


def is_call_staff(user: AnyUser | None, call: Call) -> bool:
    """Admins, and officials of the division that runs the call."""
    if user is None or not user.is_authenticated:
        return False
    return has_role(user, Role.ADMIN, _DIVISION_ROLE[Division(call.division)])


def may_view_call_admin(user: AnyUser | None) -> bool:
    """The staff screens of contests (lists, states, rankings) are for officials."""
    return is_official(user)


def owns_entry(user: AnyUser | None, entry: Entry) -> bool:
    """The entrant, or a member of the studio (business) that entered."""
    if user is None or not user.is_authenticated:
        return False
    if entry.entrant_id == user.pk:
        return True
    return entry.organisation_id is not None and is_member_of(user, entry.organisation_id)


def may_see_personal_data(user: AnyUser | None, entry: Entry) -> bool:
    """Name, birth date, address, phone and guardian: the entrant and the call's staff only."""
    return owns_entry(user, entry) or is_call_staff(user, entry.call)


def is_judge(user: AnyUser | None) -> bool:
    return has_role(user, Role.JUDGE)

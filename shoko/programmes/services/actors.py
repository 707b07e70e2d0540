"""Who may act: the checks every service runs before it changes anything.

The predicates themselves (``is_programme_staff``, ``actor_kinds`` …) are reads and live in
``selectors``; here they become refusals (``PermissionDenied`` with the action's name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from shoko.programmes import selectors, workflow
from shoko.programmes.models import Application, Programme
from shoko.programmes.services.common import NOT_ALLOWED_MESSAGE
from shoko.programmes.workflow import Actor

if TYPE_CHECKING:
    from shoko.core.permissions import AnyUser

NOT_A_REVIEWER_MESSAGE = _("この申請を審査する権限がありません。")


def require_applicant_side(user: AnyUser, application: Application, action: Any) -> set[Actor]:
    """The applicant's side (its editors, or staff filing on its behalf), else refuse."""
    kinds = selectors.actor_kinds(user, application) & workflow.APPLICANT_SIDE
    if not kinds:
        raise PermissionDenied(NOT_ALLOWED_MESSAGE % {"action": action})
    return set(kinds)


def require_programme_staff(user: AnyUser, programme: Programme, action: Any) -> None:
    if not selectors.is_programme_staff(user, programme):
        raise PermissionDenied(NOT_ALLOWED_MESSAGE % {"action": action})


def require_reviewer(user: AnyUser, application: Application) -> None:
    if not selectors.is_reviewer(user, application):
        raise PermissionDenied(NOT_A_REVIEWER_MESSAGE)

"""Staff work on an application before the decision: who handles it, and the reviewers'
rubric scores (with recusal for conflicts of interest)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shoko.core import permissions
from shoko.core.audit import acting_as
from shoko.core.text import normalize_code
from shoko.programmes import selectors
from shoko.programmes.models import Application, Review, Status
from shoko.programmes.services.actors import require_programme_staff, require_reviewer
from shoko.programmes.services.common import locked_application

if TYPE_CHECKING:
    from shoko.core.models import User

REVIEW_NOT_OPEN_MESSAGE = _("審査中の申請だけを採点できます。")
CONFLICT_MEMBER_MESSAGE = _(
    "あなたは申請者の組織のメンバーのため、この申請を採点できません（利害関係による除斥）。"
)
CONFLICT_DECLARED_MESSAGE = _("利害関係を申し出ているため、この申請を採点できません。")
SCORE_RANGE_MESSAGE = _("「%(criterion)s」の評点は 0〜%(max)s の整数で入力してください。")
ASSIGNEE_NOT_STAFF_MESSAGE = _("担当者には、この事業の担当課の職員を選んでください。")


@transaction.atomic
def assign_application(
    *, actor: User, application: Application, assignee: User | None
) -> Application:
    application = locked_application(application)
    require_programme_staff(actor, application.programme, _("担当者を決める"))
    if assignee is not None and not selectors.is_programme_staff(assignee, application.programme):
        raise ValidationError({"assignee": ASSIGNEE_NOT_STAFF_MESSAGE})
    application.assigned_to = assignee
    with acting_as(actor):
        application.save(update_fields=["assigned_to", "updated_at"])
    return application


@transaction.atomic
def declare_conflict(*, actor: User, application: Application, note: str = "") -> Review:
    """A reviewer steps aside from an application (利害関係の申出); their scores are removed."""
    application = locked_application(application)
    require_reviewer(actor, application)
    with acting_as(actor):
        review, _created = Review.objects.get_or_create(application=application, reviewer=actor)
        review.conflict_declared = True
        review.conflict_note = note.strip()[:300]
        review.scores = {}
        review.save()
    return review


@transaction.atomic
def score_application(
    *, actor: User, application: Application, scores: Mapping[str, Any], comment: str = ""
) -> Review:
    """Record one reviewer's rubric scores. Members of the applying organisation and those who
    declared a conflict cannot score (recusal)."""
    application = locked_application(application)
    require_reviewer(actor, application)
    if permissions.is_member_of(actor, application.business.organisation_id):
        raise ValidationError(CONFLICT_MEMBER_MESSAGE, code="conflict_member")
    review = Review.objects.filter(application=application, reviewer=actor).first()
    if review is not None and review.conflict_declared:
        raise ValidationError(CONFLICT_DECLARED_MESSAGE, code="conflict_declared")
    if application.status != Status.UNDER_REVIEW:
        raise ValidationError(REVIEW_NOT_OPEN_MESSAGE, code="review_not_open")
    cleaned: dict[str, int] = {}
    errors = []
    for criterion in application.programme.rubric.all():
        raw = scores.get(criterion.code)
        text = normalize_code(str(raw)) if raw is not None else ""
        if not text.isdigit() or not 0 <= int(text) <= criterion.max_score:
            errors.append(
                ValidationError(
                    SCORE_RANGE_MESSAGE,
                    code="score_range",
                    params={"criterion": criterion.name, "max": criterion.max_score},
                )
            )
            continue
        cleaned[criterion.code] = int(text)
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        review = review or Review(application=application, reviewer=actor)
        review.scores = cleaned
        review.comment = comment.strip()
        review.save()
    return review

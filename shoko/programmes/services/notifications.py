"""What follows a change: the business's timeline in the directory, and email to the members of
the applying business (after commit, each in their own language)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shoko.core.models import Membership
from shoko.directory import services as directory_services
from shoko.programmes.indicators import staff_url
from shoko.programmes.models import Application, DocumentRequest, TransitionLog
from shoko.programmes.notify import send_to_members

if TYPE_CHECKING:
    from shoko.core.models import User


def record_on_timeline(application: Application, actor: User | None, title: Any) -> None:
    directory_services.record_timeline_event(
        business=application.business,
        kind="programme",
        title=f"{application.programme.name_ja}: {title}",
        url=staff_url(application),
        actor=actor,
    )


def _recipients(application: Application) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=application.business.organisation_id, user__is_active=True
        ).select_related("user")
    ]


def notify_transition(log_id: int) -> None:
    """Tell every member of the applying business, each in their own language."""
    log = TransitionLog.objects.select_related(
        "application__programme", "application__business"
    ).get(pk=log_id)
    send_to_members(
        log.application,
        _recipients(log.application),
        subject_template="programmes/email/transition_subject.txt",
        body_template="programmes/email/transition_body.txt",
        context={"log": log},
    )


def notify_document_request(request_id: int) -> None:
    request = DocumentRequest.objects.select_related(
        "application__programme", "application__business", "requirement"
    ).get(pk=request_id)
    send_to_members(
        request.application,
        _recipients(request.application),
        subject_template="programmes/email/document_request_subject.txt",
        body_template="programmes/email/document_request_body.txt",
        context={"request": request},
    )

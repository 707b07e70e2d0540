"""Documents: the applicant's uploads (checked by content, versions kept) and staff asking
for a missing or better one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import acting_as
from shoko.programmes import documents as file_checks
from shoko.programmes import selectors
from shoko.programmes.models import (
    Application,
    ApplicationDocument,
    DocumentRequest,
    RequiredDocument,
)
from shoko.programmes.services.actors import require_applicant_side, require_programme_staff
from shoko.programmes.services.common import busy_is_a_message, locked_application
from shoko.programmes.services.notifications import notify_document_request
from shoko.programmes.workflow import COMMENT_REQUIRED_MESSAGE

if TYPE_CHECKING:
    from shoko.core.models import User

DOCUMENT_NOT_OF_PROGRAMME_MESSAGE = _("この書類はこの事業の提出書類ではありません。")
DOCUMENT_STAGE_CLOSED_MESSAGE = _("いまは「%(document)s」を提出できません（状態: %(status)s）。")


@busy_is_a_message
@transaction.atomic
def upload_document(
    *, actor: User, application: Application, requirement: RequiredDocument, upload: Any
) -> ApplicationDocument:
    """Store a new version of a document after checking its content, kind, size and for
    viruses. Earlier versions are kept; the newest is current."""
    application = locked_application(application)
    require_applicant_side(actor, application, _("書類を提出する"))
    if requirement.programme_id != application.programme_id:
        raise ValidationError(DOCUMENT_NOT_OF_PROGRAMME_MESSAGE, code="wrong_programme")
    if not selectors.document_open(application, requirement):
        raise ValidationError(
            DOCUMENT_STAGE_CLOSED_MESSAGE,
            code="stage_closed",
            params={"document": requirement.name, "status": application.get_status_display()},
        )
    checked = file_checks.check_upload(
        upload, allowed=requirement.file_kinds, limit=requirement.size_limit
    )
    previous = application.documents.filter(requirement=requirement)
    version = (previous.aggregate(last=Max("version"))["last"] or 0) + 1
    with acting_as(actor):
        previous.filter(is_current=True).update(is_current=False)
        document = ApplicationDocument(
            application=application,
            requirement=requirement,
            stage=requirement.stage,
            version=version,
            original_name=checked.name,
            kind=checked.kind,
            size=checked.size,
            sha256=checked.sha256,
            scan=ApplicationDocument.Scan.CLEAN
            if checked.scanned
            else ApplicationDocument.Scan.NOT_SCANNED,
            uploaded_by=actor,
        )
        document.file.save(checked.name, ContentFile(checked.data), save=False)
        document.save()
        application.document_requests.filter(
            Q(requirement=requirement) | Q(requirement__isnull=True), fulfilled_at__isnull=True
        ).update(fulfilled_at=timezone.now())
    return document


@transaction.atomic
def request_documents(
    *,
    actor: User,
    application: Application,
    message: str,
    requirement: RequiredDocument | None = None,
) -> DocumentRequest:
    """Ask the applicant for a missing or better document; they are told by email."""
    application = locked_application(application)
    require_programme_staff(actor, application.programme, _("書類の提出を依頼する"))
    if not message.strip():
        raise ValidationError({"message": COMMENT_REQUIRED_MESSAGE})
    if requirement is not None and requirement.programme_id != application.programme_id:
        raise ValidationError(DOCUMENT_NOT_OF_PROGRAMME_MESSAGE, code="wrong_programme")
    with acting_as(actor):
        request = DocumentRequest.objects.create(
            application=application,
            requirement=requirement,
            message=message.strip(),
            requested_by=actor,
        )
    transaction.on_commit(lambda: notify_document_request(request.pk))
    return request

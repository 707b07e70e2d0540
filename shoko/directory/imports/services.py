"""Starting an import: store the uploaded file, run its dry run in the background, and import
it for real once the dry run found nothing wrong (the work itself: ``tasks.run_import_job``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shoko.directory.imports.tabular import check_size
from shoko.directory.imports.tasks import run_import_job
from shoko.directory.models import ImportJob

if TYPE_CHECKING:
    from shoko.core.models import User

IMPORT_NOT_READY_MESSAGE = _("確認（ドライラン）でエラーがなかったファイルだけを取り込めます。")


@transaction.atomic
def start_import(*, actor: User, kind: str, upload: Any, language: str) -> ImportJob:
    """Store an uploaded file and start its dry run; the size is refused before any parsing."""
    check_size(upload.size)
    job = ImportJob.objects.create(
        kind=kind,
        dry_run=True,
        file=upload,
        filename=upload.name[:255],
        language=language,
        created_by=actor,
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


@transaction.atomic
def confirm_import(*, actor: User, job: ImportJob) -> ImportJob:
    """Import for real the file of a clean dry run (checked again, then one transaction)."""
    if not job.can_import:
        raise ValidationError(IMPORT_NOT_READY_MESSAGE)
    real = ImportJob.objects.create(
        kind=job.kind,
        dry_run=False,
        file=job.file.name,
        filename=job.filename,
        language=job.language,
        created_by=actor,
        source_job=job,
    )
    transaction.on_commit(lambda: _enqueue(real.pk))
    return real


def _enqueue(job_id: int) -> None:
    run_import_job.enqueue(job_id)

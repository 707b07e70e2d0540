"""Background work of the directory: imports run in the worker, reporting progress to the DB."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from shoko.core.audit import acting_as
from shoko.directory.imports.importer import CREATE, REFUSED, UNCHANGED, UPDATE, import_file
from shoko.directory.imports.progress import report_writing
from shoko.directory.models import ImportJob


@task()
def run_import_job(job_id: int) -> str:
    """Check or import the file of one ImportJob; the page polls its progress."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "writing":
            report_writing(job.pk, done, total)
            if done:
                return  # inside the write's transaction: the cache alone tells the page
        status = ImportJob.Status.WRITING if stage == "writing" else ImportJob.Status.CHECKING
        ImportJob.objects.filter(pk=job.pk).update(
            status=status, processed_rows=done, total_rows=total
        )

    with acting_as(job.created_by), job.file.open("rb") as fileobj:
        result = import_file(
            kind=job.kind,
            fileobj=fileobj,
            filename=job.filename,
            actor=job.created_by,
            dry_run=job.dry_run,
            language=job.language,
            progress=progress,
        )
    job.refresh_from_db()
    job.total_rows = len(result.rows)
    job.processed_rows = len(result.rows)
    job.created_count = result.count(CREATE)
    job.updated_count = result.count(UPDATE)
    job.unchanged_count = result.count(UNCHANGED)
    job.refused_count = result.count(REFUSED)
    job.report = [r.as_json() for r in result.rows]
    job.error = result.error + (
        f" ({result.error_row})"
        if result.error_row and str(result.error_row) not in result.error
        else ""
    )
    if result.empty_rows:
        job.report.append({"row": None, "action": "note", "empty_rows": result.empty_rows})
    job.status = ImportJob.Status.FAILED if result.error else ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    return job.status


INTERRUPTED_MESSAGE = _(
    "処理中にバックグラウンドの処理が止まったため、中止しました（何も書き込まれていません）。"
    "もう一度お試しください。"
)


def fail_interrupted_jobs(sender: Any, interrupted: list[str], **kwargs: Any) -> None:
    """When the worker starts again after a crash (``core.tasks.worker_started``): the import
    jobs whose task it left running are marked failed with the reason. Their write was one
    transaction, so nothing of them is in the database; a dry run can be confirmed again, a
    file uploaded again."""
    if not interrupted:
        return
    job_ids = [
        result.args_kwargs.get("args", [None])[0]
        for result in DBTaskResult.objects.filter(
            id__in=interrupted, task_path=run_import_job.module_path
        )
    ]
    with translation.override(settings.LANGUAGE_CODE):
        message = str(INTERRUPTED_MESSAGE)
    ImportJob.objects.filter(
        pk__in=[pk for pk in job_ids if isinstance(pk, int)],
        status__in=[
            ImportJob.Status.QUEUED,
            ImportJob.Status.CHECKING,
            ImportJob.Status.WRITING,
        ],
    ).update(status=ImportJob.Status.FAILED, error=message, finished_at=timezone.now())

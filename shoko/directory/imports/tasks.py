"""Background work of the directory: imports run in the worker, reporting progress to the DB."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

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

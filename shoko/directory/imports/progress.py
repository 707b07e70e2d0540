"""How far a running import has got, shared by the worker and the web processes.

The write is one transaction, so an update of the job's row would stay invisible to the page
that polls until the very end; Django's cache (SHOKO_CACHE, shared by the worker and the web
processes) carries the count of rows written instead.
"""

from __future__ import annotations

from django.core.cache import cache

_PROGRESS_KEY = "directory:import-progress:{}"


def report_writing(job_id: int, done: int, total: int) -> None:
    """Rows written so far. The write is one transaction, so an update of the job's row would
    stay invisible to the page that polls until the very end; the cache, shared by the worker
    and the web processes (SHOKO_CACHE), carries it instead."""
    cache.set(_PROGRESS_KEY.format(job_id), (done, total), timeout=3600)


def written_so_far(job_id: int) -> tuple[int, int] | None:
    """(rows written, rows to write) of a job that is writing, as the worker last reported."""
    return cache.get(_PROGRESS_KEY.format(job_id))

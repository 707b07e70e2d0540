"""The task worker's heartbeat, and what a crashed worker left behind.

``manage.py db_worker`` (this app's, replacing django-tasks-db's of the same name) writes a
``WorkerHeartbeat`` every ``HEARTBEAT_SECONDS`` from a thread beside the worker loop, so that
``/healthz`` and the metrics can say whether the background work is being done. When it starts,
it looks for tasks left *running* by a worker that is no longer alive (a crash, a kill, a
machine restart): they are marked failed with that reason, and ``core.tasks.worker_started``
tells the apps, so that an import job, say, shows why it stopped and can be started again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shoko.operations.models import WorkerHeartbeat

__all__ = [
    "HEARTBEAT_SECONDS",
    "Heartbeat",
    "WorkerInterrupted",
    "WorkerState",
    "recover_interrupted",
    "worker_state",
]
logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10
#: A worker not heard from for this long is taken for dead.
STALE_AFTER = timedelta(seconds=HEARTBEAT_SECONDS * 3)


class WorkerInterrupted(Exception):
    """The worker running a task stopped before the task finished."""


INTERRUPTED_MESSAGE = (
    "The worker running this task stopped (a crash, a kill or a restart) before it finished; "
    "found when a worker started again."
)


class Heartbeat:
    """A daemon thread that keeps this worker's heartbeat row fresh."""

    def __init__(self, worker_id: str, queues: str) -> None:
        self.worker_id = worker_id
        self.queues = queues
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)
        self.started_at = timezone.now()

    def start(self) -> None:
        self.beat()
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=HEARTBEAT_SECONDS)

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "queues": self.queues[:255],
                "started_at": self.started_at,
                "seen_at": timezone.now(),
            },
        )

    def _run(self) -> None:
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            try:
                close_old_connections()
                self.beat()
            except Exception:
                logger.exception("worker heartbeat failed; trying again")
            finally:
                connection.close()  # this thread's own connection


def recover_interrupted(*, worker_id: str) -> list[str]:
    """Mark failed the tasks that workers no longer alive left running; their ids."""
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - STALE_AFTER)
        .exclude(worker_id=worker_id)
        .values_list("worker_id", flat=True)
    )
    interrupted: list[str] = []
    for result in DBTaskResult.objects.filter(status="RUNNING"):
        owners = result.worker_ids or []
        if owners and owners[-1] in alive:
            continue
        result.set_failed(WorkerInterrupted(INTERRUPTED_MESSAGE))
        interrupted.append(str(result.id))
        logger.warning("task %s (%s) was interrupted: marked failed", result.id, result.task_path)
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
    return interrupted


@dataclass(frozen=True)
class WorkerState:
    """What /healthz and the metrics say about the background workers."""

    status: str  # "ok", "stale" (none heard from lately) or "none" (never started)
    workers: int
    last_seen: datetime | None

    @property
    def seconds_since(self) -> float | None:
        if self.last_seen is None:
            return None
        return max(0.0, (timezone.now() - self.last_seen).total_seconds())


def worker_state() -> WorkerState:
    recent = WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - STALE_AFTER)
    latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    count = recent.count()
    if count:
        return WorkerState("ok", count, latest)
    return WorkerState("stale" if latest else "none", 0, latest)

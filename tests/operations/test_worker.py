"""The background worker says it is alive, and a task a crashed worker left running is found
at the next start, marked failed with the reason, and the apps are told."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shoko.core.tasks import worker_started
from shoko.operations.worker import Heartbeat, recover_interrupted
from tests.core.test_settings import ROOT, run_manage

pytestmark = pytest.mark.django_db


def running_task(worker_id: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="shoko.core.tasks.deliver_email",
        worker_ids=[worker_id],
        queue_name="email",
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        exception_class_path="",
        traceback="",
    )


def test_a_task_left_running_by_a_dead_worker_is_marked_failed_with_the_reason():
    Heartbeat("alive-worker", "*").beat()
    orphan = running_task("crashed-worker")
    busy = running_task("alive-worker")
    assert recover_interrupted(worker_id="new-worker") == [str(orphan.id)]
    orphan.refresh_from_db()
    busy.refresh_from_db()
    assert orphan.status == "FAILED"
    assert orphan.exception_class_path == "shoko.operations.worker.WorkerInterrupted"
    assert "stopped (a crash, a kill or a restart)" in orphan.traceback
    assert orphan.finished_at is not None
    assert busy.status == "RUNNING"  # its worker is alive: not ours to judge


CRASHED_TASK = """
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
r = DBTaskResult.objects.create(status="RUNNING", args_kwargs={"args": [], "kwargs": {}},
    task_path="shoko.core.tasks.deliver_email", worker_ids=["killed-yesterday"],
    queue_name="email", backend_name="default", run_after=timezone.now(),
    started_at=timezone.now(), exception_class_path="", traceback="")
print(r.id)
"""

STATE = """
import json
from django_tasks_db.models import DBTaskResult
from shoko.operations.models import WorkerHeartbeat
print(json.dumps({"statuses": [r.status for r in DBTaskResult.objects.all()],
                  "heartbeats": list(WorkerHeartbeat.objects.values_list("worker_id", flat=True))}))
"""


def test_the_real_worker_recovers_at_start_and_keeps_a_heartbeat(tmp_path):
    env = {"SHOKO_VAR_DIR": str(tmp_path), "SHOKO_CACHE": "disk"}
    assert run_manage("migrate", "--noinput", "-v0", env=env).returncode == 0
    assert run_manage("shell", "--no-imports", "-c", CRASHED_TASK, env=env).returncode == 0
    base = {k: v for k, v in os.environ.items() if not k.startswith("SHOKO_")}
    base.pop("DATABASE_URL", None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name=*",
            "--no-reload",
            "--worker-id",
            "worker-under-test",
        ],
        cwd=ROOT,
        env={**base, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            result = run_manage("shell", "--no-imports", "-c", STATE, env=env)
            state = json.loads(result.stdout.strip().splitlines()[-1])
            if state["statuses"] == ["FAILED"] and "worker-under-test" in state["heartbeats"]:
                break
            assert time.monotonic() < deadline, state
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    assert Path(tmp_path / "shoko.sqlite3").exists()


def test_the_apps_are_told_which_tasks_were_interrupted():
    seen: list[list[str]] = []

    def receiver(sender, interrupted, **kwargs):
        seen.append(interrupted)

    orphan = running_task("gone")
    worker_started.connect(receiver, weak=False, dispatch_uid="test-receiver")
    try:
        from shoko.operations.management.commands.db_worker import Command

        interrupted = recover_interrupted(worker_id="w")
        worker_started.send(sender=Command, interrupted=interrupted)
    finally:
        worker_started.disconnect(dispatch_uid="test-receiver")
    assert seen == [[str(orphan.id)]]

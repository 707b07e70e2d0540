"""``manage.py db_worker``: django-tasks-db's worker, with a heartbeat and crash recovery.

Same options as the library's command (this app comes first in INSTALLED_APPS, so this one is
found). Before the loop starts, tasks that a dead worker left running are marked failed and the
apps are told (``shoko.core.tasks.worker_started``); while it runs, a thread writes its
heartbeat (``shoko.operations.worker``), which /healthz reports.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as LibraryCommand

from shoko.core.tasks import worker_started
from shoko.operations.worker import Heartbeat, recover_interrupted


class Command(LibraryCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = str(options["worker_id"])
        if not options.get("reload"):  # under the autoreloader, only the child works
            interrupted = recover_interrupted(worker_id=worker_id)
            worker_started.send(sender=self.__class__, interrupted=interrupted)
        heartbeat = Heartbeat(worker_id, str(options["queue_name"]))
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()

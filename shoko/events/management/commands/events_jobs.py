"""``manage.py events_jobs``: the events app's periodic work, for cron.

Enqueues the tasks for the background worker; ``--now`` runs them in this process instead.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shoko.events import tasks

JOBS = {
    "offers": tasks.expire_offers_task,
    "reminders": tasks.send_reminders_task,
    "surveys": tasks.send_survey_invitations_task,
}


class Command(BaseCommand):
    help = "Expire seat offers (passing them on), send reminders and survey invitations."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Run here instead of enqueueing.")
        parser.add_argument(
            "--only", choices=sorted(JOBS), action="append", help="Run only these jobs."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in options["only"] or list(JOBS):
            job = JOBS[name]
            if options["now"]:
                result = job.call()
                self.stdout.write(f"{name}: {result}")
            else:
                job.enqueue()
                self.stdout.write(f"{name}: enqueued")

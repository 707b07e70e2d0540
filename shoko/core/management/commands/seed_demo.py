"""``manage.py seed_demo``: demo data for every app, idempotent, with progress.

Each Shoko app may ship a ``demo`` module with ``seed(progress)``; they run in INSTALLED_APPS
order, so that the directory exists before the events that use it.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shoko.core.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create demo data (accounts for every role, and each app's demo records). Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Allow running with SHOKO_ENV=production."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError("Refusing to seed demo data in production (use --force).")
        seeders = []
        for config in apps.get_app_configs():
            if not config.name.startswith("shoko."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            seeders.append((config.label, module.seed))
        accounts: list[tuple[str, str]] = []
        for step, (label, seed) in enumerate(seeders, start=1):
            self.stdout.write(f"[{step}/{len(seeders)}] {label} …")
            started = time.monotonic()
            result = seed(lambda line: self.stdout.write(line))
            if label == "core":
                accounts = result
            self.stdout.write(
                f"[{step}/{len(seeders)}] {label} done in {time.monotonic() - started:.1f}s"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Demo logins (password for all: {DEMO_PASSWORD}):")
        )
        for email, role in accounts:
            self.stdout.write(f"  {email:<34} {role}")

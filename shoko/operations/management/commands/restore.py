"""``manage.py restore DIR --yes``: put a backup back (after checking every checksum)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shoko.operations.backup import BackupError, restore, row_counts, verify


class Command(BaseCommand):
    help = (
        "Replace the database, uploads and private files with a backup's. Stop the app servers "
        "and the worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="a shoko-backup-<time>/ directory")
        parser.add_argument("--yes", action="store_true", help="replace without asking")
        parser.add_argument(
            "--check", action="store_true", help="only verify the backup's checksums"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["backup"]
        try:
            manifest = verify(source)
            self.stdout.write(
                f"{source}: made {manifest.data['created_at']}, checksums match, "
                f"{len(manifest.data['migrations'])} migrations known"
            )
            if options["check"]:
                return
            if not options["yes"]:
                raise CommandError(
                    "restore replaces this site's database and files: add --yes to go ahead"
                )
            restore(source, progress=lambda step: self.stdout.write(f"  restoring {step}"))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        differ = {
            table: (count, manifest.data["row_counts"].get(table))
            for table, count in row_counts().items()
            if table in manifest.data["row_counts"] and manifest.data["row_counts"][table] != count
        }
        if differ:
            # The counts were taken beside the dump, not inside its snapshot: a table the
            # worker wrote to meanwhile may differ. Say which, for the operator to judge.
            self.stdout.write(
                self.style.WARNING(f"restored; row counts differ from the manifest's: {differ}")
            )
            return
        self.stdout.write(self.style.SUCCESS("restored; row counts match the backup's"))

"""``manage.py backup [--to DIR]``: database, uploads and private files, with checksums."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shoko.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, uploads and private files into a new directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            type=Path,
            default=None,
            help="directory that receives shoko-backup-<time>/ (default: SHOKO_VAR_DIR/backups)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        destination: Path = options["to"] or Path(settings.VAR_DIR) / "backups"
        try:
            manifest = backup(destination, progress=lambda step: self.stdout.write(f"  {step}"))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(f["bytes"] for f in manifest.files.values())
        rows = sum(manifest.data["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(f"{manifest.path} ({size / 1024**2:.1f} MiB, {rows} rows)")
        )

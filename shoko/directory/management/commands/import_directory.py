"""``manage.py import_directory KIND FILE [--dry-run]``: the staff import from the command line,
with progress on stderr and the row-by-row report on stdout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shoko.core.audit import acting_as
from shoko.core.models import User
from shoko.directory.imports import importer


class Command(BaseCommand):
    help = "Import businesses, streets, shops or vacant shops from an xlsx or CSV file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(importer.COLUMNS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument("--as", dest="actor", help="Email of the staff member to record.")
        parser.add_argument("--language", default="ja", help="Language of the messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"no user {options['actor']}")
        err = self.stderr

        def progress(stage: str, done: int, total: int) -> None:
            width = 30
            filled = int(width * done / total) if total else width
            err.write(
                f"\r{stage:<8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
            )
            if done == total:
                err.write("")

        with acting_as(actor), path.open("rb") as fileobj:
            result = importer.import_file(
                kind=options["kind"],
                fileobj=fileobj,
                filename=path.name,
                actor=actor,
                dry_run=options["dry_run"],
                language=options["language"],
                progress=progress,
            )
        for row in result.rows:
            if row.action == importer.UNCHANGED:
                continue
            detail = "; ".join(row.messages) or ", ".join(row.changes)
            self.stdout.write(
                f"{row.row}\t{importer.action_label(row.action)}\t{row.label}\t{detail}"
            )
        counts = {
            a: result.count(a)
            for a in (importer.CREATE, importer.UPDATE, importer.UNCHANGED, importer.REFUSED)
        }
        self.stdout.write(
            "created={create} updated={update} unchanged={unchanged} refused={refused}".format(
                **counts
            )
            + f" empty_rows={result.empty_rows}"
        )
        if result.error:
            raise CommandError(result.error)
        self.stdout.write("dry run: nothing written" if result.dry_run else "imported")
        sys.stdout.flush()

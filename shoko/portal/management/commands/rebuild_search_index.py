"""``manage.py rebuild_search_index [--kind shop]``: rebuild the portal's search index from every
registered provider, printing progress. Run after bulk loads that bypass signals
(``generate_shops``, raw SQL imports)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shoko.portal.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the portal's search index (streets, shops, stories, and registered kinds)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", action="append", help="only this kind (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            counts = rebuild(kinds=options["kind"], progress=self.stdout.write)
        except KeyError as exc:
            raise CommandError(f"unknown kind: {exc.args[0]}") from exc
        total = sum(counts.values())
        self.stdout.write(
            f"indexed {total} documents in {time.monotonic() - started:.1f}s "
            + " ".join(f"{k}={n}" for k, n in counts.items())
        )

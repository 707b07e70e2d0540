"""``manage.py generate_shops N``: N generated shops (bulk inserts) for benchmarks."""

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from shoko.directory.demo import generate_shops


class Command(BaseCommand):
    help = "Generate N shops (and their businesses and hours) for benchmarks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("count", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        with transaction.atomic():
            made = generate_shops(options["count"], progress=lambda line: self.stderr.write(line))
        self.stdout.write(f"generated {made} shops in {time.monotonic() - started:.1f}s")

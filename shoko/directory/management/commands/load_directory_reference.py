"""``manage.py load_directory_reference``: (re)load JSIC divisions, areas and shop categories
from ``data/directory/`` (migration 0002 does this once; run again after editing the files)."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from shoko.directory.reference import load_all


class Command(BaseCommand):
    help = "Load JSIC divisions, areas and shop categories from data/directory/."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_all(apps.get_model)
        self.stdout.write(", ".join(f"{k}={v}" for k, v in counts.items()))

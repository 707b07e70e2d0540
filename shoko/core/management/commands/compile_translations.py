"""``manage.py compile_translations``: build .mo catalogues from .po with Babel.

Django's ``compilemessages`` needs GNU gettext installed; this needs only Python, so that
``make`` works on a fresh machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def locale_dirs() -> list[Path]:
    dirs = [Path(p) for p in settings.LOCALE_PATHS]
    dirs += [
        Path(cfg.path) / "locale" for cfg in apps.get_app_configs() if cfg.name.startswith("shoko.")
    ]
    return [d for d in dirs if d.is_dir()]


class Command(BaseCommand):
    help = "Compile every Shoko .po catalogue into .mo (pure Python, no gettext needed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--fill-source",
            action="store_true",
            help="Make the Japanese (source) catalogues complete: msgstr = msgid. "
            "Run after makemessages.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fill_source"]:
            for directory in locale_dirs():
                fill_source_catalogue(directory / "ja" / "LC_MESSAGES" / "django.po")
        count = 0
        for directory in locale_dirs():
            for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                try:
                    with po_path.open("rb") as po_file:
                        catalog = read_po(
                            po_file, locale=po_path.parent.parent.name.replace("-", "_")
                        )
                except Exception as exc:
                    raise CommandError(f"{po_path}: {exc}") from exc
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog, use_fuzzy=False)
                count += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"compiled {po_path}")
        self.stdout.write(f"compile_translations: {count} catalogue(s) compiled")


def fill_source_catalogue(po_path: Path) -> None:
    """Japanese is the source language: its catalogue translates every msgid to itself."""
    if not po_path.exists():
        return
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale="ja")
    # makemessages leaves "Language:" empty, which would drop the Plural-Forms header on write.
    catalog.locale = "ja"
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            ids = message.id
            message.string = tuple(ids[min(i, len(ids) - 1)] for i in range(catalog.num_plurals))
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    catalog.fuzzy = False
    with po_path.open("wb") as po_file:
        write_po(po_file, catalog, width=0, omit_header=False)

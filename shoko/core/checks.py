"""System checks that stop a misconfigured Shoko early."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

REQUIRED_LANGUAGES = ("ja", "en", "zh-hans", "zh-hant", "ko")


@register(Tags.translation)
def check_languages(app_configs: Any, **kwargs: Any) -> list[Error | Warning]:
    problems: list[Error | Warning] = []
    codes = [code for code, _name in settings.LANGUAGES]
    if settings.LANGUAGE_CODE != "ja":
        problems.append(
            Error(
                "LANGUAGE_CODE must be 'ja': Japanese is the interface's source language.",
                id="shoko.E001",
            )
        )
    missing = [code for code in REQUIRED_LANGUAGES if code not in codes]
    if missing:
        problems.append(Error(f"LANGUAGES lacks {', '.join(missing)}", id="shoko.E002"))
    if not any(_compiled_catalogues()):
        problems.append(
            Warning(
                "No compiled message catalogues (.mo) found.",
                hint="Run `make messages` (or `python manage.py compile_translations`).",
                id="shoko.W001",
            )
        )
    return problems


def _compiled_catalogues() -> list[Path]:
    dirs = [Path(p) for p in settings.LOCALE_PATHS]
    dirs += [
        Path(cfg.path) / "locale" for cfg in apps.get_app_configs() if cfg.name.startswith("shoko.")
    ]
    return [mo for d in dirs if d.is_dir() for mo in d.glob("*/LC_MESSAGES/django.mo")]


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Page invalidation and rate limits must reach every app-server process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The cache is per process: an edit would not reach the other app-server "
                "workers' cached pages, and rate limits would be counted per worker.",
                hint="Set SHOKO_CACHE=disk (one machine) or SHOKO_CACHE=redis://… (several).",
                id="shoko.W002",
            )
        ]
    return []

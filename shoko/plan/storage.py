"""Where evidence files live: beside, not under, MEDIA_ROOT, so that nothing serves them as
public media; staff download them through a permission-checked view."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """``<MEDIA_ROOT>/../private`` (or ``SHOKO_PRIVATE_MEDIA_ROOT``), read at each use so that
    test settings apply; no public URL."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        configured = getattr(settings, "SHOKO_PRIVATE_MEDIA_ROOT", None)
        return str(configured or Path(settings.MEDIA_ROOT).parent / "private")

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("evidence files have no public URL; use the plan:evidence view")


def evidence_storage() -> PrivateStorage:
    return PrivateStorage()

"""Where entry files live: Django's storage API, so that a city can move them to object storage
by configuring ``STORAGES["contests"]`` (django-storages' S3 backend, for instance). Without
one, a private directory beside MEDIA_ROOT: nothing serves it as public media, and files leave
only through the permission-checked views in ``views/files.py``."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


def media_storage() -> Storage:
    """The storage of videos, chunks, stills and thumbnails (read at each use, so that test
    settings apply)."""
    if "contests" in settings.STORAGES:
        return storages["contests"]
    root = settings.SHOKO_PRIVATE_MEDIA_ROOT or Path(settings.MEDIA_ROOT).parent / "private"
    return FileSystemStorage(location=Path(root), base_url=None)


@contextmanager
def local_path(storage: Storage, name: str) -> Iterator[Path]:
    """A path on this machine for ``name`` (ffprobe and ffmpeg read files): the file itself on
    disk storage, else a temporary copy removed afterwards."""
    try:
        on_disk: str | None = storage.path(name)
    except NotImplementedError:
        on_disk = None
    if on_disk is not None:
        yield Path(on_disk)
        return
    with tempfile.TemporaryDirectory(prefix="shoko-contests-") as folder:
        copy = Path(folder) / "file"
        with storage.open(name, "rb") as source, copy.open("wb") as target:
            shutil.copyfileobj(source, target, length=1024 * 1024)
        yield copy

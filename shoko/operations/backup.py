"""Backups a city can restore: the database, the uploads and the private files, with a manifest
of checksums that a restore verifies before it touches anything.

A backup is a directory (``shoko-backup-YYYYmmdd-HHMMSS``) holding:

* ``database.sqlite3`` — SQLite's online backup API (a consistent copy while the site runs), or
  ``database.pgdump`` — ``pg_dump --format=custom`` for PostgreSQL;
* ``media.tar`` — MEDIA_ROOT (shop photos, application documents, notices, import files);
* ``private.tar`` — the private files root (plan evidence);
* ``manifest.json`` — when, which database, the migrations applied, the rows per table, and
  every file's size and SHA-256.

``restore`` checks every checksum first and refuses a backup of another schema (its migrations
must all be known to this code); then it replaces the database and both file trees, and drops
the page cache. Stop the app servers and the worker before restoring (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

__all__ = ["BackupError", "Manifest", "backup", "private_root", "restore", "verify"]

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup that cannot be made, or a backup that must not be restored."""


@dataclass(frozen=True)
class Manifest:
    path: Path
    data: dict[str, Any]

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        files: dict[str, dict[str, Any]] = self.data["files"]
        return files


def private_root() -> Path:
    configured = getattr(settings, "SHOKO_PRIVATE_MEDIA_ROOT", None)
    return Path(configured or Path(settings.MEDIA_ROOT).parent / "private")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (what a restore is compared against)."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in existing and table not in counts:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  (table names from our own models)
                counts[table] = int(cursor.fetchone()[0])
    return dict(sorted(counts.items()))


def applied_migrations() -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def backup(
    destination: Path, *, progress: Callable[[str], None] = lambda message: None
) -> Manifest:
    """Write a backup into a new directory under ``destination``; returns its manifest."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = destination / f"shoko-backup-{stamp}"
    if target.exists():
        raise BackupError(f"{target} already exists")
    partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=_ensure(destination)))
    try:
        vendor = connection.vendor
        progress(f"database ({vendor})")
        if vendor == "sqlite":
            database = partial / "database.sqlite3"
            _sqlite_backup(Path(str(connection.settings_dict["NAME"])), database)
        elif vendor == "postgresql":
            database = partial / "database.pgdump"
            _pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={database}")
        else:
            raise BackupError(f"no backup method for {vendor}")
        progress("uploads (MEDIA_ROOT)")
        _tar(Path(settings.MEDIA_ROOT), partial / "media.tar")
        progress("private files")
        _tar(private_root(), partial / "private.tar")
        data = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_vendor": vendor,
            "database_file": database.name,
            "migrations": applied_migrations(),
            "row_counts": row_counts(),
            "files": {
                path.name: {"bytes": path.stat().st_size, "sha256": _sha256(path)}
                for path in sorted(partial.iterdir())
            },
        }
        (partial / MANIFEST).write_text(json.dumps(data, indent=2, ensure_ascii=False))
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Manifest(target, data)


def verify(source: Path) -> Manifest:
    """The backup's manifest, once every file's size and checksum match and its schema is one
    this code knows; BackupError otherwise (nothing is changed)."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} is not a Shoko backup (no {MANIFEST})")
    data = json.loads(manifest_path.read_text())
    if data.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {data.get('format')!r}")
    for name, expected in data["files"].items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup")
        if path.stat().st_size != expected["bytes"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    if data["database_vendor"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {data['database_vendor']} database; this site uses "
            f"{connection.vendor} (see docs/operations.md to move between them)"
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(data["migrations"]) - known)
    if unknown:
        raise BackupError(
            "the backup was made by a newer release (unknown migrations: "
            + ", ".join(unknown[:5])
            + "): install that release first"
        )
    return Manifest(source, data)


def restore(source: Path, *, progress: Callable[[str], None] = lambda message: None) -> Manifest:
    """Replace the database, the uploads and the private files with the backup's."""
    manifest = verify(source)
    database = source / manifest.data["database_file"]
    progress(f"database ({connection.vendor})")
    if connection.vendor == "sqlite":
        target = Path(str(connection.settings_dict["NAME"]))
        connections.close_all()
        _sqlite_backup(database, target)
    else:
        connections.close_all()
        _pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(database),
        )
    progress("uploads (MEDIA_ROOT)")
    _untar(source / "media.tar", Path(settings.MEDIA_ROOT))
    progress("private files")
    _untar(source / "private.tar", private_root())
    progress("page cache")
    cache.clear()  # pages, tag versions and counters of the state before the restore
    return manifest


# --- the parts -------------------------------------------------------------------------------


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sqlite_backup(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy page by page, readers and writers go on."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst, pages=1024)
    finally:
        dst.close()
        src.close()


def _pg(program: str, *args: str) -> None:
    binary = shutil.which(program)
    if binary is None:
        raise BackupError(f"{program} is missing: apt-get install postgresql-client")
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    command = [binary, f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        command.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        command.append(f"--port={db['PORT']}")
    if db.get("USER"):
        command.append(f"--username={db['USER']}")
    result = subprocess.run(  # noqa: S603  (PostgreSQL's own tools, arguments from settings)
        [*command, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[-2000:]}")


def _tar(root: Path, archive: Path) -> None:
    with tarfile.open(archive, "w") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)


def _untar(archive: Path, root: Path) -> None:
    """Replace ``root``'s contents with the archive's (extracted beside it, then swapped, so a
    failure leaves the old files in place)."""
    root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=f".{root.name}-restoring-", dir=root.parent))
    try:
        with tarfile.open(archive, "r") as tar:
            for member in tar.getmembers():  # our own archives hold plain files, nothing else
                name = Path(member.name)
                if not member.isfile() or name.is_absolute() or ".." in name.parts:
                    raise BackupError(f"{archive.name}: refusing {member.name!r}")
            tar.extractall(incoming)  # noqa: S202  (every member checked above)
        old = root.with_name(f".{root.name}-replaced")
        shutil.rmtree(old, ignore_errors=True)
        if root.exists():
            root.rename(old)
        incoming.rename(root)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise

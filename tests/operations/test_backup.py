"""A city's backup brought back: the database (SQLite's online backup here; pg_dump and
pg_restore in the production step, tests/production/test_operations.py), the uploads and the
private files, checked against the manifest's checksums before anything is replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_settings import run_manage

STATE = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from shoko.core.models import Organisation
from shoko.operations.backup import private_root, row_counts
files = {}
for root in (Path(settings.MEDIA_ROOT), private_root()):
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if path.is_file():
            key = str(path.relative_to(root.parent))
            files[key] = hashlib.sha256(path.read_bytes()).hexdigest()
print(json.dumps({"rows": row_counts(), "files": files,
                  "organisations": sorted(Organisation.objects.values_list("name", flat=True))}))
"""

MAKE_DATA = """
from pathlib import Path
from django.conf import settings
from shoko.core.models import Organisation
from shoko.operations.backup import private_root
Organisation.objects.create(name="石神井商店街振興組合")
Organisation.objects.create(name="江古田ゆうゆうロード")
for root, name, data in ((Path(settings.MEDIA_ROOT), "programmes/2026/12/a.pdf", b"%PDF-1.4 a"),
                         (private_root(), "plan/evidence/b.xlsx", b"PK evidence")):
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(data)
"""

WIPE = """
import shutil
from pathlib import Path
from django.conf import settings
from shoko.core.models import Organisation
from shoko.operations.backup import private_root
Organisation.objects.all().delete()
Organisation.objects.create(name="後から作られた組織")
shutil.rmtree(settings.MEDIA_ROOT)
(private_root() / "plan/evidence/b.xlsx").write_bytes(b"overwritten")
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    var = tmp_path_factory.mktemp("site")
    env = {"SHOKO_VAR_DIR": str(var), "SHOKO_CACHE": "disk"}
    assert run_manage("migrate", "--noinput", "-v0", env=env).returncode == 0
    made = run_manage("shell", "--no-imports", "-c", MAKE_DATA, env=env)
    assert made.returncode == 0, made.stderr
    return env, var


def state(env):
    result = run_manage("shell", "--no-imports", "-c", STATE, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def make_backup(env, var) -> Path:
    result = run_manage("backup", "--to", str(var / "backups"), env=env)
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1].split(" (")[0])


def test_backup_wipe_restore_gives_back_the_same_site(site):
    env, var = site
    before = state(env)
    assert "石神井商店街振興組合" in before["organisations"]
    assert len(before["files"]) == 2
    backup = make_backup(env, var)
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["files"]) == {"database.sqlite3", "media.tar", "private.tar"}
    assert manifest["row_counts"]["core_organisation"] == 2

    assert run_manage("shell", "--no-imports", "-c", WIPE, env=env).returncode == 0
    assert state(env) != before

    refused = run_manage("restore", str(backup), env=env)
    assert refused.returncode != 0
    assert "--yes" in refused.stderr
    restored = run_manage("restore", str(backup), "--yes", env=env)
    assert restored.returncode == 0, restored.stderr
    assert "row counts match" in restored.stdout
    assert state(env) == before


def test_a_damaged_backup_is_refused_before_anything_changes(site):
    env, var = site
    backup = make_backup(env, var)
    before = state(env)
    archive = backup / "media.tar"
    data = bytearray(archive.read_bytes())
    data[600] ^= 0xFF
    archive.write_bytes(bytes(data))
    result = run_manage("restore", str(backup), "--yes", env=env)
    assert result.returncode != 0
    assert "media.tar does not match its checksum" in result.stderr
    assert state(env) == before


def test_a_backup_from_a_newer_release_is_refused(site):
    env, var = site
    backup = make_backup(env, var)
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"].append("directory.9999_from_the_future")
    manifest_path.write_text(json.dumps(manifest))
    result = run_manage("restore", str(backup), "--check", env=env)
    assert result.returncode != 0
    assert "newer release" in result.stderr
    assert "directory.9999_from_the_future" in result.stderr

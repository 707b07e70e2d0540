"""Production serves hashed static files from collectstatic's manifest: collectstatic must
finish, and every page must find its files in the manifest (the sign-in pages answered 500 when
a vendored script's missing source map stopped collectstatic half-way, while check --deploy
passed)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from tests.core.test_settings import run_manage


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    var = tmp_path_factory.mktemp("production-var")
    return {
        "SHOKO_ENV": "production",
        "SHOKO_SECRET_KEY": secrets.token_urlsafe(64),
        "SHOKO_ALLOWED_HOSTS": '["shoko.example.jp"]',
        "SHOKO_VAR_DIR": str(var),
        "SHOKO_CACHE": "disk",
    }


SIGN_IN_PAGES = """
import json
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="shoko.example.jp")
answers = {}
for path in ("/my/login/", "/staff/login/", "/", "/en/", "/map/"):
    response = client.get(path, secure=True)
    answers[path] = [response.status_code, response.content.decode()]
print(json.dumps(answers))
"""


def test_check_deploy_fails_until_collectstatic_has_built_the_manifest(production):
    before = run_manage("check", "--deploy", env=production)
    assert before.returncode != 0
    assert "shoko.E101" in before.stderr
    assert "collectstatic" in before.stderr

    collected = run_manage("collectstatic", "--noinput", "-v0", env=production)
    assert collected.returncode == 0, collected.stderr

    after = run_manage("check", "--deploy", env=production)
    assert after.returncode == 0, after.stderr
    assert "shoko.E101" not in after.stdout + after.stderr


def test_pages_answer_with_hashed_static_files_under_production_settings(production):
    collected = run_manage("collectstatic", "--noinput", "-v0", env=production)
    assert collected.returncode == 0, collected.stderr
    result = run_manage("shell", "--no-imports", "-c", SIGN_IN_PAGES, env=production)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    for path, (status, html) in answers.items():
        assert status == 200, (path, html[-2000:])
        # shoko.css becomes shoko.<hash>.css: the page reads the manifest, not the source tree.
        assert "/static/shoko/shoko." in html
        assert '/static/shoko/shoko.css"' not in html, path


def test_a_stale_manifest_is_refused(production):
    collected = run_manage("collectstatic", "--noinput", "-v0", env=production)
    assert collected.returncode == 0, collected.stderr
    manifest = Path(production["SHOKO_VAR_DIR"]) / "static" / "staticfiles.json"
    data = json.loads(manifest.read_text())
    data["paths"].pop("vendor/leaflet/leaflet.js")
    manifest.write_text(json.dumps(data))
    result = run_manage("check", "--deploy", env=production)
    assert result.returncode != 0
    assert "shoko.E102" in result.stderr
    assert "vendor/leaflet/leaflet.js" in result.stderr

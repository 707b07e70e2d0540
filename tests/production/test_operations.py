"""Operating the stack: private files sent by nginx after the app's check, the worker's
heartbeat on /healthz, metrics, and a backup of PostgreSQL and the files brought back after the
site was wiped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.production.conftest import ROOT, Stack
from tests.production.test_stack import sign_in

pytestmark = pytest.mark.production


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    """manage.py with the stack's own settings (its PostgreSQL, Redis and files)."""
    app_env = json.loads(Path(os.environ["SHOKO_STACK_ENV_FILE"]).read_text())
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOKO_")}
    return subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, **app_env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def shell(code: str) -> Any:
    result = manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


EVIDENCE = """
import json
from django.core.files.base import ContentFile
from shoko.core.models import User
from shoko.plan.models import ManualActual, TargetRow
staff = User.objects.get(email="economy@demo.shoko.example")
actual = ManualActual(row=TargetRow.objects.first(), fiscal_year=2026, value=3,
                      note="production check", entered_by=staff)
actual.evidence.save("実績報告.pdf", ContentFile(b"%PDF-1.4 evidence sent by nginx"), save=False)
actual.save()
print(json.dumps({"id": actual.pk, "name": actual.evidence.name}))
"""


def test_private_files_are_sent_by_nginx_after_the_apps_check(stack: Stack, page_at):
    actual = shell(EVIDENCE)
    url = f"/staff/plan/actuals/{actual['id']}/evidence/"
    staff = sign_in(page_at(), stack, "/staff/login/", "economy@demo.shoko.example")
    response = staff.request.get(stack.url + url)
    assert response.status == 200
    assert response.body() == b"%PDF-1.4 evidence sent by nginx"
    assert "x-accel-redirect" not in response.headers  # nginx consumed it
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    # Anyone else: the app refuses before nginx sends anything; the internal path is closed.
    visitor = page_at()
    assert visitor.request.get(stack.url + url, max_redirects=0).status == 302
    shop_owner = sign_in(page_at(), stack, "/my/login/", "shop@demo.shoko.example")
    assert shop_owner.request.get(stack.url + url).status == 403
    internal = "/_protected/private/" + quote(actual["name"])
    assert stack.request(internal)[0] == 404


def test_healthz_reports_the_workers_heartbeat_through_nginx(stack: Stack):
    status, _h, body = stack.request("/healthz")
    assert status == 200
    health = json.loads(body)
    assert health["checks"] == {"database": "ok", "cache": "ok"}
    assert health["database_vendor"] == "postgresql"
    assert health["worker"]["status"] == "ok"
    assert health["worker"]["seconds_since"] < 30


def test_metrics_are_for_the_scraper_on_the_app_servers_only(stack: Stack):
    assert stack.request("/metrics")[0] == 404  # nginx: not from outside
    status, _h, _b = stack.request("/metrics", base=stack.apps[0])
    assert status == 404  # no SHOKO_METRICS_TOKEN in this stack: no metrics page


ROWS = """
import json
from shoko.operations.backup import row_counts
print(json.dumps(row_counts()))
"""


def test_backup_wipe_restore_compare(stack: Stack, tmp_path):
    media = stack.directory / "var" / "media" / "directory" / "photos" / "2026" / "12"
    media.mkdir(parents=True, exist_ok=True)
    (media / "shop-front.jpg").write_bytes(b"\xff\xd8\xff\xe0 a shop front")
    before = shell(ROWS)
    assert before["directory_shop"] > 0
    made = manage("backup", "--to", str(tmp_path))
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1].split(" (")[0])
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["files"]) == {"database.pgdump", "media.tar", "private.tar"}

    wiped = manage("flush", "--noinput")
    assert wiped.returncode == 0, wiped.stderr
    (media / "shop-front.jpg").unlink()
    assert shell(ROWS)["directory_shop"] == 0

    restored = manage("restore", str(backup), "--yes")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    after = shell(ROWS)
    # The worker goes on running (its heartbeat, its tasks) while the site is backed up.
    moving = {"operations_workerheartbeat", "django_tasks_database_dbtaskresult"}
    assert {t: n for t, n in after.items() if t not in moving} == {
        t: n for t, n in before.items() if t not in moving
    }
    assert (media / "shop-front.jpg").read_bytes() == b"\xff\xd8\xff\xe0 a shop front"
    # The site serves the restored records (the restore dropped the page cache).
    shops = stack.json("/api/v1/public/shops/")
    assert shops["results"] if isinstance(shops, dict) else shops

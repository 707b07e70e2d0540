"""An import's write: quick, all or nothing, one audit entry for the file, never making the rest
of the city fail, and found again after a worker crash."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shoko.core.models import Organisation
from shoko.core.tasks import worker_started
from shoko.directory import services
from shoko.directory.imports import importer
from shoko.directory.imports.services import confirm_import
from shoko.directory.imports.tasks import INTERRUPTED_MESSAGE, run_import_job
from shoko.directory.models import Business, ImportJob
from shoko.operations.worker import recover_interrupted
from tests.directory.test_import_export import real_looking_businesses, run, xlsx

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_one_audit_entry_for_the_file_with_every_row(official):
    before = LogEntry.objects.count()
    result = importer.import_file(
        kind="business",
        fileobj=io.BytesIO(xlsx(real_looking_businesses())),
        filename="事業者一覧.xlsx",
        actor=official,
        dry_run=False,
    )
    assert result.written, result.error
    entries = list(LogEntry.objects.all()[: LogEntry.objects.count() - before])
    assert len(entries) == 1  # not one per business and one per organisation
    entry = entries[0]
    assert entry.actor == official
    assert entry.object_repr == "取り込み: 事業者一覧.xlsx（3 行）"
    detail = entry.additional_data["import"]
    assert detail["file"] == "事業者一覧.xlsx"
    assert [r["action"] for r in detail["rows"]] == ["create"] * 3
    assert {r["id"] for r in detail["rows"]} == set(Business.objects.values_list("pk", flat=True))
    first = next(r for r in detail["rows"] if r["values"]["name"] == "株式会社ねりま精工")
    assert first["values"]["postal_code"] == "1760001"


def test_businesses_written_in_bulk_are_whole(official):
    result = run("business", xlsx(real_looking_businesses()), dry_run=False)
    assert result.written
    by_hand = services.create_business(
        actor=official,
        data={
            "name": "株式会社ねりま精工 比較",
            "name_kana": "ネリマセイコウ",
            "legal_form": "corporation",
        },
    )
    for business in Business.objects.exclude(pk=by_hand.pk).select_related("organisation"):
        assert business.organisation.name == business.name
        assert business.organisation.kind == Organisation.Kind.BUSINESS
        assert business.name_key
        assert business.search_text
    seiko = Business.objects.get(name="株式会社ねりま精工")
    assert seiko.kana_key == by_hand.kana_key
    assert seiko.address_key
    # Members can be added to an imported business, as to one created by hand.
    services.add_member(
        actor=official, business=seiko, email="owner@seiko.example.jp", role="representative"
    )


def test_a_failure_in_the_middle_of_the_write_leaves_nothing(monkeypatch):
    monkeypatch.setattr(importer, "BULK_BATCH", 1)
    real = services.create_businesses
    calls = []

    def fail_on_the_second_batch(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real(**kwargs)

    monkeypatch.setattr(services, "create_businesses", fail_on_the_second_batch)
    organisations = Organisation.objects.count()
    entries = LogEntry.objects.count()
    result = run("business", xlsx(real_looking_businesses()), dry_run=False)
    assert not result.written
    assert result.error.startswith("書き込み中にエラーが起きたため、何も取り込みませんでした")
    assert Business.objects.count() == 0
    assert Organisation.objects.count() == organisations
    assert LogEntry.objects.count() == entries


def test_an_import_interrupted_by_a_crash_is_failed_at_the_next_start_and_can_be_retried(
    official, tmp_path, settings
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    dry = ImportJob.objects.create(
        kind="business", dry_run=True, filename="a.xlsx", created_by=official,
        status=ImportJob.Status.DONE, created_count=3,
    )  # fmt: skip
    dry.file.save("a.xlsx", ContentFile(xlsx(real_looking_businesses())))
    real = ImportJob.objects.create(
        kind="business", dry_run=False, file=dry.file.name, filename="a.xlsx",
        created_by=official, source_job=dry, status=ImportJob.Status.WRITING,
    )  # fmt: skip
    task = DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [real.pk], "kwargs": {}},
        task_path=run_import_job.module_path, worker_ids=["killed-worker"], queue_name="default",
        backend_name="default", run_after=timezone.now(), started_at=timezone.now(),
        exception_class_path="", traceback="",
    )  # fmt: skip
    interrupted = recover_interrupted(worker_id="restarted-worker")
    assert interrupted == [str(task.id)]
    worker_started.send(sender=None, interrupted=interrupted)
    real.refresh_from_db()
    assert real.status == ImportJob.Status.FAILED
    assert real.error == str(INTERRUPTED_MESSAGE)
    assert real.finished_at is not None
    assert Business.objects.count() == 0  # its transaction never committed
    dry.refresh_from_db()
    assert dry.can_import  # the person confirms the dry run again
    again = confirm_import(actor=official, job=dry)
    assert again.status == ImportJob.Status.QUEUED


@pytest.fixture
def own_database():
    """Environment for a subprocess with a fresh database of the suite's engine."""
    if connection.vendor == "sqlite":
        yield []
        return
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = f"{connection.settings_dict['NAME']}_imp_{uuid.uuid4().hex[:8]}"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    admin = urlunsplit(parts._replace(path="/postgres"))
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield ["--database-url", url]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_sign_in_and_a_staff_edit_during_an_import_wait_and_succeed(own_database):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "SHOKO_"))}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603  (our own benchmark script)
        [
            sys.executable,
            "bench/bench_directory.py",
            "--writers-during-import",
            "--rows",
            "1500",
            *own_database,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "import: ok, 1500 rows" in out, out
    assert "sign-in: ok after" in out, out
    assert "staff edit: ok after" in out, out

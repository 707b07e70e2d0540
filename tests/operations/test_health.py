from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise RuntimeError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("error")


def test_healthz_reports_the_workers_heartbeat(client):
    from datetime import timedelta

    from django.utils import timezone

    from shoko.operations.models import WorkerHeartbeat
    from shoko.operations.worker import STALE_AFTER, Heartbeat

    assert client.get("/healthz").json()["worker"]["status"] == "none"
    Heartbeat("worker-a", "*").beat()
    body = client.get("/healthz").json()
    assert body["worker"]["status"] == "ok"
    assert body["worker"]["workers"] == 1
    assert body["worker"]["seconds_since"] <= 1
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - STALE_AFTER - timedelta(seconds=1))
    response = client.get("/healthz")
    assert response.status_code == 200  # pages are still served; the report says what stopped
    assert response.json()["worker"]["status"] == "stale"


def test_healthz_answers_503_when_the_shared_cache_fails(client, monkeypatch):
    from django.core.cache import caches

    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(caches["default"], "set", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"


def test_metrics_need_the_token(client, settings):
    settings.SHOKO_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.SHOKO_METRICS_TOKEN = "scrape-secret-1234567890"
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_metrics_tell_the_background_work(client, settings):
    from django_tasks_db.models import DBTaskResult

    from shoko.core.tasks import deliver_email
    from shoko.operations.worker import Heartbeat

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    settings.SHOKO_METRICS_TOKEN = "scrape-secret-1234567890"
    deliver_email.using(queue_name="email").enqueue(
        subject="s", body="b", to=["a@example.jp"], from_email="x@example.jp"
    )
    Heartbeat("worker-b", "*").beat()
    assert DBTaskResult.objects.count() == 1
    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1234567890"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'shoko_tasks{queue="email",status="READY"} 1.0' in text
    assert "shoko_workers_alive 1.0" in text
    assert 'shoko_worker_last_seen_seconds{host="' in text
    assert "shoko_database_up 1.0" in text
    assert "process_resident_memory_bytes" in text

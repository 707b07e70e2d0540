"""Metrics for Prometheus (prometheus-client), read from the database when scraped.

Read at scrape time rather than counted in each process, so that they are the same whichever
app server (or worker process) is asked: the background work (tasks by queue and status, the
oldest task waiting, the workers' heartbeats) and the database itself. Request rates and
latencies come from nginx's logs or its stub_status; process figures (memory, CPU, open files)
from prometheus-client's own collectors for the answering process.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from shoko.operations.models import WorkerHeartbeat
from shoko.operations.worker import STALE_AFTER

__all__ = ["exposition"]


class ShokoCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("shoko_database_up", "1 when the database answers.")
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            up.add_metric([], 1)
        except Exception:
            up.add_metric([], 0)
            yield up
            return
        yield up

        tasks = GaugeMetricFamily(
            "shoko_tasks", "Background tasks by queue and status.", labels=["queue", "status"]
        )
        for row in DBTaskResult.objects.values("queue_name", "status").annotate(n=Count("id")):
            tasks.add_metric([row["queue_name"], row["status"]], row["n"])
        yield tasks

        oldest = DBTaskResult.objects.filter(status="READY").aggregate(first=Min("enqueued_at"))
        waiting = GaugeMetricFamily(
            "shoko_tasks_oldest_ready_seconds",
            "How long the oldest task waiting to run has waited (0: none waiting).",
        )
        first = oldest["first"]
        waiting.add_metric([], (timezone.now() - first).total_seconds() if first else 0)
        yield waiting

        now = timezone.now()
        seen = GaugeMetricFamily(
            "shoko_worker_last_seen_seconds",
            "Seconds since each background worker's last heartbeat.",
            labels=["worker", "host"],
        )
        alive = 0
        for beat in WorkerHeartbeat.objects.all():
            age = (now - beat.seen_at).total_seconds()
            alive += beat.seen_at >= now - STALE_AFTER
            seen.add_metric([beat.worker_id, beat.hostname], age)
        yield seen
        workers = GaugeMetricFamily("shoko_workers_alive", "Workers heard from lately.")
        workers.add_metric([], alive)
        yield workers


def exposition() -> tuple[bytes, str]:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ShokoCollector())
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST

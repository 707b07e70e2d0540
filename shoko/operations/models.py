"""What operations keeps in the database: the task workers' heartbeats."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """稼働確認 — a background worker saying it is alive, every few seconds while it runs."""

    worker_id = models.CharField(_("ワーカー"), max_length=64, unique=True)
    hostname = models.CharField(_("ホスト"), max_length=255)
    pid = models.PositiveIntegerField(_("プロセス番号"))
    queues = models.CharField(_("キュー"), max_length=255)
    started_at = models.DateTimeField(_("開始"))
    seen_at = models.DateTimeField(_("最終確認"), db_index=True)

    class Meta:
        verbose_name = _("ワーカーの稼働確認")
        verbose_name_plural = _("ワーカーの稼働確認")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id}@{self.hostname}"

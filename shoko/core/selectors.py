"""Reads for the core app: audit entries and membership lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from shoko.core.models import Membership, User


def audit_entries(
    *,
    model: ContentType | None = None,
    actor: User | None = None,
    object_pk: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[LogEntry]:
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if model is not None:
        qs = qs.filter(content_type=model)
    if actor is not None:
        qs = qs.filter(actor=actor)
    if object_pk:
        qs = qs.filter(object_pk=object_pk)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(timestamp__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(timestamp__lt=end)
    return qs


def memberships_of(user: User) -> QuerySet[Membership]:
    return user.memberships.select_related("organisation").order_by("organisation__name")


def audit_filter_kwargs(cleaned: dict[str, Any]) -> dict[str, Any]:
    keys = ("model", "actor", "object_pk", "date_from", "date_to")
    return {k: cleaned.get(k) for k in keys}

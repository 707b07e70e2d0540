"""Template helpers for events: dates in the reader's language, yen, status badges."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext

from shoko.events import formatting
from shoko.events.models import Registration, Session

register = template.Library()


@register.filter
def when(obj: object) -> str:
    """A session's or slot's date and times: ``令和8年12月1日（火） 14:00–16:00``."""
    return formatting.when(obj.starts_at, obj.ends_at)  # type: ignore[attr-defined]


@register.filter
def long_date(value: dt.date | dt.datetime | None) -> str:
    return formatting.long_date(value) if value else ""


@register.filter
def local_time(value: dt.datetime | None) -> str:
    return f"{formatting.local(value):%H:%M}" if value else ""


@register.filter
def local_datetime(value: dt.datetime | None) -> str:
    return f"{formatting.local(value):%Y-%m-%d %H:%M}" if value else ""


@register.filter
def phone(value: str | None) -> str:
    return formatting.phone(value) if value else ""


@register.filter
def yen(value: int | None) -> str:
    if not value:
        return gettext("無料")
    return gettext("%(amount)s円") % {"amount": f"{value:,}"}


@register.filter
def availability(session: Session) -> str:
    """A short state for lists: open, few left, full (waitlist), closed."""
    if session.status == Session.Status.CANCELLED:
        return "cancelled"
    if not session.is_open_for_registration():
        return "closed"
    if session.is_full:
        return "full"
    if session.free_seats <= max(2, session.capacity // 10):
        return "few"
    return "open"


@register.simple_tag
def availability_label(session: Session) -> str:
    return {
        "cancelled": gettext("中止"),
        "closed": gettext("受付終了"),
        "full": gettext("満席（キャンセル待ち受付中）"),
        "few": gettext("残りわずか"),
        "open": gettext("受付中"),
    }[availability(session)]


@register.filter
def status_class(registration: Registration) -> str:
    return f"badge badge-{registration.status}"

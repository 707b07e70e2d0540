"""Template helpers for the three faces: language alternates, Japanese dates, query strings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from shoko.core.japan import FiscalYear, to_wareki

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context: dict[str, Any]) -> list[dict[str, str]]:
    """One entry per interface language with the absolute URL of this page in it (hreflang)."""
    request = context.get("request")
    if request is None:
        return []
    current = request.build_absolute_uri()
    return [
        {
            "code": code,
            "name": name,
            "hreflang": {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}.get(code, code),
            "url": translate_url(current, code),
        }
        for code, name in settings.LANGUAGES
    ]


@register.filter
def wareki(value: dt.date | dt.datetime | None) -> str:
    """``2019-05-01`` → ``令和元年5月1日`` (Japanese era date) for Japanese pages."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return to_wareki(value)


@register.filter
def fy_label(value: FiscalYear | dt.date | int | None, era_of: str = "end") -> str:
    """A fiscal year as staff read it: ``令和元年度 (FY2019)`` in Japanese, ``FY2019`` otherwise."""
    if value is None or value == "":
        return ""
    if isinstance(value, FiscalYear):
        fy = value
    elif isinstance(value, dt.date):
        fy = FiscalYear.of(value)
    else:
        fy = FiscalYear(int(value))
    lang = get_language() or settings.LANGUAGE_CODE
    if lang == "ja":
        return fy.label("ja", era_of=era_of, with_western=True)
    return fy.label(lang)


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination and filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def change_rows(entry: Any) -> list[tuple[str, Any, Any]]:
    """An audit entry's changes as (field, before, after) rows.

    Templates must not use ``changes_dict.items``: a changed field named ``items`` would shadow
    the dict method.
    """
    rows = []
    for field, change in (entry.changes_dict or {}).items():
        if isinstance(change, list | tuple) and len(change) == 2:
            before, after = change
        else:  # many-to-many changes are recorded as {"type": ..., "objects": [...]}
            before, after = "", change
        rows.append((field, before, after))
    return rows

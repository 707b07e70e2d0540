"""Dates and times as the reader of each language expects them."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from django.utils import timezone, translation

from shoko.core.japan import TOKYO, to_wareki

_JA_WEEKDAYS = "月火水木金土日"
_BABEL_LOCALES = {"ja": "ja", "en": "en", "zh-hans": "zh_Hans", "zh-hant": "zh_Hant", "ko": "ko"}


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, TOKYO)


def long_date(value: dt.date | dt.datetime, language: str | None = None) -> str:
    """``令和8年12月1日（火）`` in Japanese; the language's full date elsewhere
    (``Tuesday, December 1, 2026``)."""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    language = language or translation.get_language() or "ja"
    if language == "ja":
        return f"{to_wareki(value)}（{_JA_WEEKDAYS[value.weekday()]}）"
    return format_date(value, format="full", locale=_BABEL_LOCALES.get(language, "en"))


def time_range(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    return f"{local(starts_at):%H:%M}–{local(ends_at):%H:%M}"


def when(starts_at: dt.datetime, ends_at: dt.datetime, language: str | None = None) -> str:
    """``令和8年12月1日（火） 14:00–16:00``."""
    return f"{long_date(starts_at, language)} {time_range(starts_at, ends_at)}"

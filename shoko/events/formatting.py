"""Dates and times as the reader of each language expects them."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from django.utils import timezone, translation

from shoko.core.japan import TOKYO, to_wareki
from shoko.core.validators import normalize_phone_jp

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


def phone(number: str) -> str:
    """A Japanese phone number with its usual hyphens: ``03-5984-1111``, ``090-1234-5678``."""
    digits = normalize_phone_jp(number)
    if len(digits) == 10 and digits.startswith(("03", "06")):
        return f"{digits[:2]}-{digits[2:6]}-{digits[6:]}"
    if len(digits) == 10 and digits.startswith(("0120", "0570")):
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 11:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    return digits

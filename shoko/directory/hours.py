"""Opening hours as data: weekly ranges, a public-holiday rule and dated exceptions.

``is_open_at`` answers in Japan time; ``opening_hours_specification`` gives schema.org's
``openingHoursSpecification`` for JSON-LD; ``format_weekly``/``parse_weekly`` and
``format_exceptions``/``parse_exceptions`` are the one-cell text form used in import and export
(``月-金 11:00-14:00,17:00-22:00; 土 11:00-22:00; 祝 休``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shoko.core.japan import TOKYO
from shoko.core.text import normalize_code
from shoko.directory.holidays import is_public_holiday

if TYPE_CHECKING:
    from shoko.directory.models import Shop

HOURS_SYNTAX_MESSAGE = _(
    "営業時間「%(value)s」を読めません。「月-金 11:00-14:00,17:00-22:00; 土 11:00-22:00; 祝 休」"
    "のように書いてください。"
)
EXCEPTIONS_SYNTAX_MESSAGE = _(
    "臨時休業・営業「%(value)s」を読めません。「2026-12-31 休; 2027-01-02 10:00-15:00」"
    "のように書いてください。"
)

DAY_LETTERS = "月火水木金土日祝"
HOLIDAY = 7
_ENGLISH_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6, "hol": 7}
SCHEMA_DAYS = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "PublicHolidays",
]
_RANGE_RE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_CLOSED_WORDS = {"休", "休み", "定休", "定休日", "closed", "-"}


@dataclass(frozen=True, order=True)
class Range:
    opens: dt.time
    closes: dt.time

    @property
    def crosses_midnight(self) -> bool:
        return self.closes <= self.opens

    def text(self) -> str:
        return f"{self.opens:%H:%M}-{self.closes:%H:%M}"


@dataclass(frozen=True)
class WeeklyHours:
    """Ranges per day (0 = Monday … 6 = Sunday, 7 = public holidays) and the holiday rule."""

    days: dict[int, tuple[Range, ...]]
    holiday_rule: str = "regular"  # regular / closed / special (Shop.HolidayRule)


@dataclass(frozen=True)
class ExceptionDay:
    date: dt.date
    ranges: tuple[Range, ...]  # empty: closed that day

    @property
    def is_closed(self) -> bool:
        return not self.ranges


# --- Parsing and formatting ---------------------------------------------------------------------


def _time(hours: str, minutes: str) -> dt.time:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return dt.time(0, 0)
    return dt.time(h, m)


def _ranges(text: str, original: str, message: Any) -> tuple[Range, ...]:
    if text.strip().casefold() in _CLOSED_WORDS:
        return ()
    ranges = []
    for part in re.split(r"[,、]", text):
        match = _RANGE_RE.match(part.strip())
        if not match:
            raise ValidationError(message, code="hours", params={"value": original})
        try:
            ranges.append(Range(_time(*match.group(1, 2)), _time(*match.group(3, 4))))
        except ValueError as exc:
            raise ValidationError(message, code="hours", params={"value": original}) from exc
    return tuple(sorted(ranges))


def _day(token: str) -> int | None:
    token = token.strip()
    if len(token) == 1 and token in DAY_LETTERS:
        return DAY_LETTERS.index(token)
    return _ENGLISH_DAYS.get(token.casefold()[:3])


def _days(spec: str, original: str) -> list[int]:
    days: list[int] = []
    for chunk in re.split(r"[・,/]", spec):
        if "-" in chunk:
            first, _sep, last = chunk.partition("-")
            start, end = _day(first), _day(last)
            if start is None or end is None or start > 6 or end > 6:
                raise ValidationError(
                    HOURS_SYNTAX_MESSAGE, code="hours", params={"value": original}
                )
            # 水-月 wraps round the weekend: Wednesday to Monday.
            days.extend(
                range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
            )
        else:
            day = _day(chunk)
            if day is None:
                raise ValidationError(
                    HOURS_SYNTAX_MESSAGE, code="hours", params={"value": original}
                )
            days.append(day)
    return days


def parse_weekly(text: str | None) -> WeeklyHours:
    """``月-金 11:00-21:00; 土・日 10:00-18:00; 祝 休`` → WeeklyHours. Empty → no hours."""
    original = text or ""
    normalized = normalize_code(original).replace("〜", "-").replace("~", "-")
    days: dict[int, tuple[Range, ...]] = {}
    rule = "regular"
    for entry in re.split(r"[;\n；]", normalized):
        entry = entry.strip()
        if not entry:
            continue
        spec, _sep, times = entry.partition(" ")
        if not times.strip():
            raise ValidationError(HOURS_SYNTAX_MESSAGE, code="hours", params={"value": original})
        ranges = _ranges(times, original, HOURS_SYNTAX_MESSAGE)
        for day in _days(spec, original):
            if day in days:
                raise ValidationError(
                    HOURS_SYNTAX_MESSAGE, code="hours", params={"value": original}
                )
            if day == HOLIDAY:
                rule = "special" if ranges else "closed"
                if ranges:
                    days[day] = ranges
            elif ranges:
                days[day] = ranges
            else:
                days[day] = ()
    return WeeklyHours(days={d: r for d, r in days.items() if r}, holiday_rule=rule)


def format_weekly(weekly: WeeklyHours) -> str:
    """The canonical one-cell text: consecutive days with the same ranges joined (月-金)."""
    parts: list[str] = []
    day = 0
    while day <= 6:
        ranges = weekly.days.get(day, ())
        end = day
        while end + 1 <= 6 and weekly.days.get(end + 1, ()) == ranges:
            end += 1
        if ranges:
            days = DAY_LETTERS[day] if end == day else f"{DAY_LETTERS[day]}-{DAY_LETTERS[end]}"
            parts.append(f"{days} {','.join(r.text() for r in ranges)}")
        day = end + 1
    if weekly.holiday_rule == "closed":
        parts.append("祝 休")
    elif weekly.holiday_rule == "special" and weekly.days.get(HOLIDAY):
        parts.append(f"祝 {','.join(r.text() for r in weekly.days[HOLIDAY])}")
    return "; ".join(parts)


def parse_exceptions(text: str | None) -> tuple[ExceptionDay, ...]:
    original = text or ""
    normalized = normalize_code(original).replace("〜", "-").replace("~", "-")
    found: dict[dt.date, ExceptionDay] = {}
    for entry in re.split(r"[;\n；]", normalized):
        entry = entry.strip()
        if not entry:
            continue
        day_text, _sep, times = entry.partition(" ")
        try:
            day = dt.date.fromisoformat(day_text.replace("/", "-"))
        except ValueError as exc:
            raise ValidationError(
                EXCEPTIONS_SYNTAX_MESSAGE, code="hours", params={"value": original}
            ) from exc
        if not times.strip() or day in found:
            raise ValidationError(
                EXCEPTIONS_SYNTAX_MESSAGE, code="hours", params={"value": original}
            )
        found[day] = ExceptionDay(day, _ranges(times, original, EXCEPTIONS_SYNTAX_MESSAGE))
    return tuple(sorted(found.values(), key=lambda e: e.date))


def format_exceptions(exceptions: tuple[ExceptionDay, ...]) -> str:
    return "; ".join(
        f"{e.date.isoformat()} {'休' if e.is_closed else ','.join(r.text() for r in e.ranges)}"
        for e in sorted(exceptions, key=lambda e: e.date)
    )


# --- Reading a shop's hours (prefetch opening_periods and opening_exceptions for lists) ------------  # noqa: E501


def weekly_of(shop: Shop) -> WeeklyHours:
    days: dict[int, list[Range]] = {}
    for period in shop.opening_periods.all():
        days.setdefault(period.day, []).append(Range(period.opens, period.closes))
    return WeeklyHours(
        days={d: tuple(sorted(r)) for d, r in days.items()}, holiday_rule=shop.holiday_rule
    )


def exceptions_of(shop: Shop) -> tuple[ExceptionDay, ...]:
    grouped: dict[dt.date, list[Range]] = {}
    for exc in shop.opening_exceptions.all():
        ranges = grouped.setdefault(exc.date, [])
        if exc.opens is not None and exc.closes is not None:
            ranges.append(Range(exc.opens, exc.closes))
    return tuple(ExceptionDay(d, tuple(sorted(r))) for d, r in sorted(grouped.items()))


def ranges_on(
    weekly: WeeklyHours, exceptions: tuple[ExceptionDay, ...], day: dt.date
) -> tuple[Range, ...]:
    """The ranges that start on ``day`` (exceptions first, then the holiday rule, then the week)."""
    for exc in exceptions:
        if exc.date == day:
            return exc.ranges
    if is_public_holiday(day):
        if weekly.holiday_rule == "closed":
            return ()
        if weekly.holiday_rule == "special":
            return weekly.days.get(HOLIDAY, ())
    return weekly.days.get(day.weekday(), ())


def is_open_at(shop: Shop, when: dt.datetime) -> bool:
    """Is ``shop`` open at the aware datetime ``when`` (judged in Japan time)?"""
    if when.tzinfo is None:
        raise ValueError("is_open_at needs an aware datetime")
    local = when.astimezone(TOKYO)
    day, moment = local.date(), local.time().replace(tzinfo=None)
    weekly, exceptions = weekly_of(shop), exceptions_of(shop)
    for r in ranges_on(weekly, exceptions, day):
        if r.opens == r.closes:
            return True
        if r.crosses_midnight:
            if moment >= r.opens:
                return True
        elif r.opens <= moment < r.closes:
            return True
    # Last night's ranges that run past midnight.
    return any(
        r.crosses_midnight and r.opens != r.closes and moment < r.closes
        for r in ranges_on(weekly, exceptions, day - dt.timedelta(days=1))
    )


def opening_hours_specification(shop: Shop) -> list[dict[str, Any]]:
    """schema.org ``openingHoursSpecification`` entries (JSON-LD) for the shop."""
    weekly, exceptions = weekly_of(shop), exceptions_of(shop)
    specs: list[dict[str, Any]] = []
    for day in range(8):
        if day == HOLIDAY and weekly.holiday_rule == "closed":
            specs.append(_spec(SCHEMA_DAYS[day], Range(dt.time(0), dt.time(0)), closed=True))
            continue
        if day == HOLIDAY and weekly.holiday_rule != "special":
            continue
        for r in weekly.days.get(day, ()):
            specs.append(_spec(SCHEMA_DAYS[day], r))
    for exc in exceptions:
        ranges = exc.ranges or (Range(dt.time(0), dt.time(0)),)
        for r in ranges:
            spec = _spec(None, r, closed=exc.is_closed)
            spec["validFrom"] = spec["validThrough"] = exc.date.isoformat()
            specs.append(spec)
    return specs


def _spec(day: str | None, r: Range, *, closed: bool = False) -> dict[str, Any]:
    spec: dict[str, Any] = {"@type": "OpeningHoursSpecification"}
    if day:
        spec["dayOfWeek"] = f"https://schema.org/{day}"
    spec["opens"] = "00:00" if closed else f"{r.opens:%H:%M}"
    spec["closes"] = (
        "00:00" if closed else ("23:59" if r.opens == r.closes else f"{r.closes:%H:%M}")
    )
    return spec

"""Japanese public holidays (国民の祝日), computed, for opening hours on holidays.

The law's rules since 2020: fixed days, "Happy Monday" days, the equinoxes (by the usual
astronomical approximation, good for 1980–2099), a substitute holiday (振替休日) after a
holiday falling on Sunday, and a citizens' holiday (国民の休日) on a day between two holidays.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

__all__ = ["holidays_of", "is_public_holiday"]


def _nth_monday(year: int, month: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (7 - first.weekday()) % 7  # days to the first Monday
    return first + dt.timedelta(days=offset + 7 * (nth - 1))


def _equinox(year: int, base: float) -> int:
    return int(base + 0.242194 * (year - 1980) - (year - 1980) // 4)


@cache
def holidays_of(year: int) -> frozenset[dt.date]:
    """The public holidays of ``year`` (including substitute and citizens' holidays)."""
    days: set[dt.date] = {
        dt.date(year, 1, 1),
        _nth_monday(year, 1, 2),
        dt.date(year, 2, 11),
        dt.date(year, 3, _equinox(year, 20.8431)),
        dt.date(year, 4, 29),
        dt.date(year, 5, 3),
        dt.date(year, 5, 4),
        dt.date(year, 5, 5),
        _nth_monday(year, 9, 3),
        dt.date(year, 9, _equinox(year, 23.2488)),
        dt.date(year, 11, 3),
        dt.date(year, 11, 23),
    }
    if year >= 2020:
        days.add(dt.date(year, 2, 23))
    elif year <= 2018:
        days.add(dt.date(year, 12, 23))
    # The Olympic years moved Marine Day, Sports Day and Mountain Day.
    moved = {
        2020: (dt.date(2020, 7, 23), dt.date(2020, 7, 24), dt.date(2020, 8, 10)),
        2021: (dt.date(2021, 7, 22), dt.date(2021, 7, 23), dt.date(2021, 8, 8)),
    }
    if year in moved:
        days.update(moved[year])
    else:
        days.add(_nth_monday(year, 7, 3))
        days.add(_nth_monday(year, 10, 2))
        if year >= 2016:
            days.add(dt.date(year, 8, 11))
    # 国民の休日: a weekday squeezed between two holidays.
    for day in sorted(days):
        between = day + dt.timedelta(days=1)
        if between not in days and day + dt.timedelta(days=2) in days and between.weekday() != 6:
            days.add(between)
    # 振替休日: a holiday on Sunday moves to the next day that is not a holiday.
    for day in sorted(days):
        if day.weekday() == 6:
            substitute = day + dt.timedelta(days=1)
            while substitute in days:
                substitute += dt.timedelta(days=1)
            days.add(substitute)
    return frozenset(days)


def is_public_holiday(day: dt.date) -> bool:
    return day in holidays_of(day.year)

"""The Japanese calendar: eras (元号), era dates (和暦) and fiscal years (年度).

A city office dates its documents in the era calendar and budgets from April to March, so
these small value types sit under everything else in Shoko. Dates are proleptic Gregorian
throughout: Japan only left its lunisolar calendar on Meiji 6 (1873-01-01), and like every
modern converter we count Meiji years by the Gregorian year rather than model the old calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Literal, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shoko.core.text import normalize_code

__all__ = [
    "ERAS",
    "FISCAL_YEAR_MAX",
    "FISCAL_YEAR_MIN",
    "TOKYO",
    "Era",
    "EraChoice",
    "FiscalYear",
    "era_of",
    "parse_wareki",
    "to_wareki",
    "today_in_tokyo",
]


def _tokyo() -> tzinfo:
    try:
        return ZoneInfo("Asia/Tokyo")
    except ZoneInfoNotFoundError:  # pragma: no cover - only on a machine without tzdata
        # Japan has kept UTC+9 without daylight saving since 1951, so this is exact.
        return timezone(timedelta(hours=9), "JST")


TOKYO: tzinfo = _tokyo()
"""The time zone every "which day is it?" question in Shoko is answered in."""


@dataclass(frozen=True, slots=True)
class Era:
    """One era (元号): its kanji name, its romanised name, its one-letter abbreviation, its
    first day."""

    name: str
    romaji: str
    letter: str
    start: date

    @property
    def end(self) -> date | None:
        """The era's last day, or None for the era still in force."""
        index = ERAS.index(self)
        if index + 1 == len(ERAS):
            return None
        return ERAS[index + 1].start - timedelta(days=1)

    @property
    def last_year(self) -> int | None:
        """The highest year number the era reached (平成 → 31), or None if it goes on."""
        end = self.end
        return None if end is None else self.year_of(end.year)

    def year_of(self, gregorian_year: int) -> int:
        """The era year number of a Gregorian year (2019 → 1 for 令和); no range check."""
        return gregorian_year - self.start.year + 1


ERAS: tuple[Era, ...] = (
    Era("明治", "Meiji", "M", date(1868, 10, 23)),
    Era("大正", "Taisho", "T", date(1912, 7, 30)),
    Era("昭和", "Showa", "S", date(1926, 12, 25)),
    Era("平成", "Heisei", "H", date(1989, 1, 8)),
    Era("令和", "Reiwa", "R", date(2019, 5, 1)),
)
"""Eras from Meiji on, oldest first."""


def today_in_tokyo() -> date:
    """Today's date in Japan, whatever the server's own clock zone is."""
    return datetime.now(TOKYO).date()


def _as_tokyo_date(value: date | datetime) -> date:
    """A day in Japan: aware datetimes are converted to Tokyo time first, naive ones are
    taken as already local."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(TOKYO)
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def era_of(value: date | datetime) -> Era:
    """The era in force on a day (aware datetimes are read in Tokyo time)."""
    day = _as_tokyo_date(value)
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    first = ERAS[0]
    raise ValueError(
        f"{day.isoformat()} is before {first.romaji} ({first.name}) began on "
        f"{first.start.isoformat()}; earlier dates have no era in this calendar"
    )


def _ja_year(era: Era, number: int) -> str:
    return f"{era.name}{'元' if number == 1 else number}年"


def to_wareki(value: date | datetime, *, short: bool = False) -> str:
    """A date in the era calendar: ``令和元年5月1日``, or ``R1.5.1`` with ``short=True``."""
    day = _as_tokyo_date(value)
    era = era_of(day)
    number = era.year_of(day.year)
    if short:
        return f"{era.letter}{number}.{day.month}.{day.day}"
    return f"{_ja_year(era, number)}{day.month}月{day.day}日"


# --- Parsing era dates -----------------------------------------------------------------------

_ERA_SPELLINGS: dict[str, Era] = {}
for _era in ERAS:
    _ERA_SPELLINGS[_era.name] = _era
    _ERA_SPELLINGS[_era.romaji.casefold()] = _era
    _ERA_SPELLINGS[_era.letter.casefold()] = _era
for _alias, _letter in {
    "taishō": "T",
    "taishou": "T",
    "taisyo": "T",
    "shōwa": "S",
    "shouwa": "S",
    "syowa": "S",
}.items():
    _ERA_SPELLINGS[_alias] = next(e for e in ERAS if e.letter == _letter)
del _era, _alias, _letter

_KANJI_DIGITS = dict(zip("〇零一二三四五六七八九", (0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_NUMBER = r"[0-9]+|[〇零一二三四五六七八九十百]+"
_ERA_ALTERNATIVES = "|".join(
    re.escape(spelling) for spelling in sorted(_ERA_SPELLINGS, key=len, reverse=True)
)
_WAREKI_RE = re.compile(
    rf"(?P<era>{_ERA_ALTERNATIVES})(?P<year>元|{_NUMBER})"
    rf"(?:年(?P<month>{_NUMBER})月(?P<day>{_NUMBER})日?"
    rf"|(?P<sep>[./-])(?P<smonth>[0-9]+)(?P=sep)(?P<sday>[0-9]+))"
)
_D = "[一二三四五六七八九]"
_KANJI_COUNTING_RE = re.compile(
    rf"(?:(?P<hundreds>{_D}?)百)?(?:(?P<tens>{_D}?)十)?(?P<units>{_D}?)"
)


def _number(token: str) -> int:
    """An integer written in ASCII digits, kanji digits (二〇) or kanji counting (三十一)."""
    if token.isascii():
        return int(token)
    if all(ch in _KANJI_DIGITS for ch in token):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in token))
    match = _KANJI_COUNTING_RE.fullmatch(token)
    if not match:
        raise ValueError(f"{token!r} is not a number written in kanji")

    def place(digit: str | None) -> int:
        # None: the unit is absent; "": it stands alone (十 = 10); else its multiplier.
        if digit is None:
            return 0
        return _KANJI_DIGITS[digit] if digit else 1

    units = _KANJI_DIGITS[match["units"]] if match["units"] else 0
    return place(match["hundreds"]) * 100 + place(match["tens"]) * 10 + units


def parse_wareki(text: str) -> date:
    """Read an era date as people type it: ``令和元年5月1日``, ``平成三十一年四月三十日``,
    ``令和２年４月１日``, ``R1.5.1``, ``h31/4/30``, ``Reiwa 1.5.1``.

    Raises ValueError, in English, naming what is wrong: unreadable text, an era year the era
    never reached, a day before the era began or after it ended, or a day that does not exist.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a str, got {type(text).__name__}")
    compact = re.sub(r"\s+", "", normalize_code(text)).casefold()
    match = _WAREKI_RE.fullmatch(compact)
    if match is None:
        raise ValueError(
            f"could not read {text!r} as a Japanese era date; "
            "write it like 令和元年5月1日 or R1.5.1"
        )
    era = _ERA_SPELLINGS[match["era"]]
    try:
        number = 1 if match["year"] == "元" else _number(match["year"])
        month = _number(match["month"] or match["smonth"])
        day_of_month = _number(match["day"] or match["sday"])
    except ValueError as error:
        raise ValueError(f"could not read {text!r} as a Japanese era date: {error}") from None
    if number < 1:
        raise ValueError(f"{text!r}: era years start at 1 (元年), not {number}")
    if era.end is not None and number > era.year_of(era.end.year):
        raise ValueError(
            f"{text!r}: {era.romaji} has no year {number}; it ended in {era.romaji} "
            f"{era.year_of(era.end.year)}, on {era.end.isoformat()}"
        )
    gregorian_year = era.start.year + number - 1
    try:
        result = date(gregorian_year, month, day_of_month)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a real date: there is no month {month}, day {day_of_month} "
            f"in {era.romaji} {number} ({gregorian_year})"
        ) from None
    if result < era.start:
        where = f"; {result.isoformat()} is {to_wareki(result)}" if result >= ERAS[0].start else ""
        raise ValueError(f"{text!r} is before {era.romaji} began on {era.start.isoformat()}{where}")
    if era.end is not None and result > era.end:
        raise ValueError(
            f"{text!r} is after {era.romaji} ended on {era.end.isoformat()}; "
            f"{result.isoformat()} is {to_wareki(result)}"
        )
    return result


# --- Fiscal years ----------------------------------------------------------------------------

FISCAL_YEAR_MIN = 1868
FISCAL_YEAR_MAX = 2200

EraChoice = Literal["end", "start"]


@dataclass(frozen=True, order=True, slots=True)
class FiscalYear:
    """A Japanese fiscal year (年度), 1 April to 31 March, named by the year it starts in.

    Frozen, hashable and ordered among fiscal years only: ``FiscalYear(2019) < 2020`` is a
    TypeError rather than a silent guess, while ``FiscalYear(2019) + 1`` and the difference
    of two fiscal years are the arithmetic people actually need.
    """

    year: int

    def __post_init__(self) -> None:
        year = self.year
        if isinstance(year, bool) or not isinstance(year, int):
            raise TypeError(f"a fiscal year is an int, got {type(year).__name__}")
        if not FISCAL_YEAR_MIN <= year <= FISCAL_YEAR_MAX:
            raise ValueError(
                f"fiscal year {year} is out of range "
                f"({FISCAL_YEAR_MIN}–{FISCAL_YEAR_MAX} are supported)"
            )
        object.__setattr__(self, "year", int(year))  # an IntEnum or int subclass → plain int

    # Construction ------------------------------------------------------------------------

    @classmethod
    def of(cls, value: date | datetime) -> FiscalYear:
        """The fiscal year a day belongs to: January–March count towards the previous one."""
        day = _as_tokyo_date(value)
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def current(cls) -> FiscalYear:
        """The fiscal year it is now in Japan."""
        return cls.of(today_in_tokyo())

    @classmethod
    def span(cls, first: FiscalYear | int, last: FiscalYear | int) -> list[FiscalYear]:
        """Every fiscal year from ``first`` to ``last`` inclusive (empty if first > last),
        because plans are stated as "FY2024–FY2028", both ends included."""
        return [cls(year) for year in range(cls._year(first), cls._year(last) + 1)]

    @staticmethod
    def _year(value: FiscalYear | int) -> int:
        if isinstance(value, FiscalYear):
            return value.year
        return FiscalYear(value).year

    # The year itself ---------------------------------------------------------------------

    @property
    def start(self) -> date:
        """1 April of the year."""
        return date(self.year, 4, 1)

    @property
    def end(self) -> date:
        """31 March of the following year."""
        return date(self.year + 1, 3, 31)

    def contains(self, value: date | datetime) -> bool:
        """Whether a day (aware datetimes read in Tokyo time) falls within this fiscal year."""
        return self.start <= _as_tokyo_date(value) <= self.end

    def __contains__(self, value: object) -> bool:
        return self.contains(value)  # type: ignore[arg-type]

    # Names -------------------------------------------------------------------------------

    def era(self, era_of: EraChoice = "end") -> Era:
        """The era that names this fiscal year (see ``label``)."""
        if era_of == "start":
            return _era_of_day(max(self.start, ERAS[0].start))
        if era_of == "end":
            era = _era_of_day(self.end)
            if era.start.year > self.year:
                # The era began in January–March, after the year's own calendar year had
                # ended (平成, 1989-01-08): it has no year number for this fiscal year, so
                # FY1988 stays 昭和63年度 and 平成元年度 is FY1989.
                era = ERAS[ERAS.index(era) - 1]
            return era
        raise ValueError(f"era_of must be 'end' or 'start', not {era_of!r}")

    def era_year(self, era_of: EraChoice = "end") -> tuple[Era, int]:
        """The era naming this fiscal year and the year number within it (令和, 1)."""
        era = self.era(era_of)
        return era, era.year_of(self.year)

    def label(
        self, lang: str = "ja", *, era_of: EraChoice = "end", with_western: bool = False
    ) -> str:
        """The fiscal year as readers of ``lang`` write it.

        ``ja`` → ``令和元年度``; ``en`` → ``FY2019``; ``zh-hans``/``zh-hant`` → ``2019年度``;
        ``ko`` → ``2019 회계연도``; anything else falls back to English.

        ``era_of="end"`` (the default) names the year by the era in force at its end, the
        one that governs most of it: FY2019 is 令和元年度 although it began in 平成31年. An
        era that began only in January–March (平成) cannot name the fiscal year before it,
        which stays 昭和63年度. ``era_of="start"`` uses the era of 1 April: 平成31年度.

        ``with_western=True`` shows both calendars: ``令和元年度 (FY2019)``,
        ``FY2019 (Reiwa 1)``, ``2019年度 (令和元年度)``, ``2019 회계연도 (Reiwa 1)``.
        """
        era, number = self.era_year(era_of)
        japanese = f"{_ja_year(era, number)}度"
        romanised = f"{era.romaji} {number}"
        language = (lang or "en").lower().replace("_", "-").split("-")[0]
        if language == "ja":
            return f"{japanese} (FY{self.year})" if with_western else japanese
        if language == "zh":
            return f"{self.year}年度 ({japanese})" if with_western else f"{self.year}年度"
        if language == "ko":
            western = f"{self.year} 회계연도"
            return f"{western} ({romanised})" if with_western else western
        return f"FY{self.year} ({romanised})" if with_western else f"FY{self.year}"

    def __str__(self) -> str:
        return f"FY{self.year}"

    def __repr__(self) -> str:
        return f"FiscalYear({self.year})"

    def __int__(self) -> int:
        return self.year

    # Arithmetic --------------------------------------------------------------------------

    def __add__(self, other: int) -> FiscalYear:
        if isinstance(other, bool) or not isinstance(other, int):
            return NotImplemented
        return FiscalYear(self.year + other)

    __radd__ = __add__

    @overload
    def __sub__(self, other: FiscalYear) -> int: ...

    @overload
    def __sub__(self, other: int) -> FiscalYear: ...

    def __sub__(self, other: FiscalYear | int) -> FiscalYear | int:
        if isinstance(other, FiscalYear):
            return self.year - other.year
        if isinstance(other, bool) or not isinstance(other, int):
            return NotImplemented
        return FiscalYear(self.year - other)


_era_of_day = era_of  # for methods whose ``era_of`` parameter shadows the function

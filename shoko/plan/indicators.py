"""The indicator interface (指標): how every Shoko app reports its numbers to the plan.

An app that runs something the plan counts — seminars held, loans made, areas supported —
registers an ``Indicator`` from its ``AppConfig.ready()``::

    from django.utils.translation import gettext_lazy
    from shoko.plan import indicators

    def _seminars_held(fy: FiscalYear) -> indicators.Measurement:
        sessions = list(Session.objects.filter(date__range=(fy.start, fy.end), kind="startup"))
        return indicators.Measurement(  # one query: the records are the evidence and the count
            value=len(sessions),
            evidence=[indicators.Evidence(s.title, url=s.get_absolute_url(), date=s.date)
                      for s in sessions],
        )

    indicators.register(indicators.Indicator(
        code="events.seminars_held.startup",
        label=gettext_lazy("創業セミナーの開催回数"),  # in the events app's own catalogue
        unit=gettext_lazy("回"),
        plan_item="13-1(1)", measure=_seminars_held,
    ))

and the plan file links a target row to it with one line:
``indicators: [events.seminars_held.startup]``.

This module imports nothing from other Shoko apps, caches nothing across requests, and knows
nothing of the database: ``measure`` is called per request, at most once per (code, fiscal
year) (see ``shoko.plan.selectors``), and keeping it free of N+1 queries is the registering
app's responsibility.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise

from shoko.core.japan import FiscalYear

__all__ = [
    "DuplicateIndicator",
    "Evidence",
    "Indicator",
    "Measurement",
    "get",
    "register",
    "registered",
    "temporarily_registered",
    "unregister",
]


@dataclass(frozen=True)
class Evidence:
    """One record behind an actual, for drill-down (a seminar session, a grant decision…)."""

    label: str
    url: str | None = None
    date: datetime.date | None = None
    detail: str = ""


@dataclass(frozen=True)
class Measurement:
    """An indicator's value for one fiscal year and the records that make it."""

    value: int | Decimal
    evidence: Sequence[Evidence] = ()
    breakdown: Mapping[str, int] = field(default_factory=dict)  # {"continuing": 3, "new": 0}


@dataclass(frozen=True)
class Indicator:
    """A number the plan counts, computed by the app that owns the records."""

    code: str  # "events.seminars_held.startup" — stable, dotted, app-prefixed
    label: str | Promise  # gettext_lazy in the registering app's catalogue (5 languages)
    unit: str | Promise  # gettext_lazy of 回, 人, 地域, 件 or 円
    plan_item: str  # the item it counts for, e.g. "13-1(1)", "13-4"
    measure: Callable[[FiscalYear], Measurement]


class DuplicateIndicator(ValueError):
    """Two registrations under one code: codes must be unique across Shoko."""


_REGISTRY: dict[str, Indicator] = {}


def _check_code(code: str) -> None:
    parts = code.split(".")
    if len(parts) < 2 or not all(p and p.replace("_", "").isalnum() and p.isascii() for p in parts):
        raise ValueError(
            f"indicator code {code!r} must be dotted and app-prefixed, "
            "like 'events.seminars_held.startup' (ASCII letters, digits, underscores)"
        )


def register(indicator: Indicator) -> None:
    """Register an indicator; call from ``AppConfig.ready()``. A code registered twice is an
    error, so that two apps can never silently count for the same code."""
    _check_code(indicator.code)
    if indicator.code in _REGISTRY:
        raise DuplicateIndicator(
            f"indicator {indicator.code!r} is already registered "
            f"(by {_REGISTRY[indicator.code].measure.__module__}); codes must be unique"
        )
    _REGISTRY[indicator.code] = indicator


def unregister(code: str) -> None:
    """Remove an indicator (tests; an app being switched off). Unknown codes are a KeyError."""
    get(code)
    del _REGISTRY[code]


def get(code: str) -> Indicator:
    """The indicator registered under ``code``; KeyError naming the known codes otherwise."""
    try:
        return _REGISTRY[code]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise KeyError(
            f"no indicator {code!r} is registered (registered: {known}); "
            "is the app that provides it installed, and does its ready() register it?"
        ) from None


def is_registered(code: str) -> bool:
    return code in _REGISTRY


def registered() -> list[Indicator]:
    """Every registered indicator, ordered by code."""
    return [_REGISTRY[code] for code in sorted(_REGISTRY)]


@contextmanager
def temporarily_registered(*indicators: Indicator) -> Iterator[None]:
    """Register indicators for the duration of a ``with`` block (tests)::

    with temporarily_registered(Indicator("test.things", "物", "件", "13-4", measure)):
        ...
    """
    for indicator in indicators:
        register(indicator)
    try:
        yield
    finally:
        for indicator in indicators:
            _REGISTRY.pop(indicator.code, None)

"""The contests' figures for the action plan (13-2 (4) アニメコンペティション練馬): competitions
held, entries, entrants under 30 and works screened — each with the records behind it, as the
plan's ``Measurement`` and ``Evidence``. Plain functions of a ``FiscalYear``, a fixed number of
queries each; ``register_all`` hands them to the plan's indicator interface.

A competition is *held* in the fiscal year its entry window closed, once closed with at least
one entry filed. Entries are those filed (submitted at least once) and not withdrawn. An
entrant's age is taken on the call's reference date. A work is *screened* when it won an award
marked for screening in a call whose results are published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shoko.contests.models import AwardWinner, Call, Entry, EntryStatus
from shoko.core.japan import TOKYO, FiscalYear
from shoko.plan import indicators
from shoko.plan.indicators import Evidence, Measurement

PLAN_ITEM = "13-2(4)"
UNDER_AGE = 30


def _bounds(fy: FiscalYear) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(fy.start, dt.time.min, tzinfo=TOKYO)
    end = dt.datetime.combine(fy.end + dt.timedelta(days=1), dt.time.min, tzinfo=TOKYO)
    return start, end


def _calls(fy: FiscalYear, now: dt.datetime | None = None) -> QuerySet[Call]:
    start, end = _bounds(fy)
    return Call.objects.filter(
        published=True, closes_at__gte=start, closes_at__lt=min(end, now or timezone.now())
    )


def _filed(fy: FiscalYear) -> QuerySet[Entry]:
    return Entry.objects.filter(call__in=_calls(fy), submitted_at__isnull=False).exclude(
        status=EntryStatus.WITHDRAWN
    )


def competitions_held(fy: FiscalYear) -> Measurement:
    calls = list(
        _calls(fy)
        .annotate(
            filed=Count(
                "entries",
                filter=Q(entries__submitted_at__isnull=False)
                & ~Q(entries__status=EntryStatus.WITHDRAWN),
            )
        )
        .filter(filed__gt=0)
        .order_by("closes_at")
    )
    under = entrants_under_30(fy).value
    screened = works_screened(fy).value
    return Measurement(
        value=len(calls),
        evidence=[
            Evidence(
                str(call.title),
                url=reverse("contests:staff-call", args=[call.slug]),
                date=timezone.localtime(call.closes_at, TOKYO).date(),
                detail=str(_("応募 %(count)s 作品") % {"count": call.filed}),
            )
            for call in calls
        ],
        breakdown={
            str(_("応募作品")): sum(call.filed for call in calls),
            str(_("30歳未満の応募者")): int(under),
            str(_("上映作品")): int(screened),
        },
    )


def entries(fy: FiscalYear) -> Measurement:
    rows = list(_filed(fy).select_related("call", "category").order_by("call_id", "number"))
    return Measurement(
        value=len(rows),
        evidence=[
            Evidence(
                f"{entry.number} {entry.title}",
                url=reverse("contests:staff-entry", args=[entry.pk]),
                date=timezone.localtime(entry.submitted_at, TOKYO).date()
                if entry.submitted_at
                else None,
                detail=str(entry.category.name),
            )
            for entry in rows
        ],
    )


def entrants_under_30(fy: FiscalYear) -> Measurement:
    """People (not entries): an entrant with two entries counts once."""
    under: dict[int, Entry] = {}
    for entry in _filed(fy).select_related("call", "entrant").order_by("submitted_at"):
        age = entry.age
        if age is not None and age < UNDER_AGE:
            under.setdefault(entry.entrant_id, entry)
    return Measurement(
        value=len(under),
        evidence=[
            Evidence(
                str(
                    _("応募者 %(number)s（%(age)s歳）") % {"number": entry.number, "age": entry.age}
                ),
                url=reverse("contests:staff-entry", args=[entry.pk]),
            )
            for entry in under.values()
        ],
    )


def works_screened(fy: FiscalYear) -> Measurement:
    winners = list(
        AwardWinner.objects.filter(
            screened=True,
            award__call__in=_calls(fy),
            award__call__results_published_at__isnull=False,
        )
        .select_related("entry", "award")
        .order_by("entry__number")
        .distinct()
    )
    seen: dict[int, AwardWinner] = {}
    for winner in winners:
        seen.setdefault(winner.entry_id, winner)
    return Measurement(
        value=len(seen),
        evidence=[
            Evidence(
                f"{w.entry.number} {w.entry.title}",
                url=reverse("contests:staff-entry", args=[w.entry_id]),
                detail=str(w.award.name),
            )
            for w in seen.values()
        ],
    )


INDICATORS: list[tuple[str, str | Promise, str | Promise, Callable[[FiscalYear], Measurement]]] = [
    (
        "contests.competitions_held",
        _("コンテストの開催"),
        pgettext_lazy("単位", "回"),
        competitions_held,
    ),
    ("contests.entries", _("コンテストの応募作品数"), _("作品"), entries),
    ("contests.entrants_under_30", _("30歳未満の応募者数"), _("人"), entrants_under_30),
    ("contests.works_screened", _("上映された作品数"), _("作品"), works_screened),
]


def register_all() -> None:
    for code, label, unit, measure in INDICATORS:
        if not indicators.is_registered(code):
            indicators.register(
                indicators.Indicator(
                    code=code, label=label, unit=unit, plan_item=PLAN_ITEM, measure=measure
                )
            )

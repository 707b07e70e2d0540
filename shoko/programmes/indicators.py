"""What the programmes report to the plan (指標), computed live from applications.

Plain functions per fiscal year return the plan's own ``Measurement`` (the value and the
``Evidence`` behind it); ``register_all`` registers them as ``shoko.plan.indicators.Indicator``
objects, one set per plan item the programmes serve, from ``ProgrammesConfig.ready()`` (the
plan app imports no other app; this app depends on the plan's interface).

Indicator codes (link them from a plan file's target row with ``indicators: [...]``):

- ``programmes.applications.<item>`` — applications filed (submitted or later), 件
- ``programmes.approvals.<item>`` — grants decided (交付決定) and standing, 件
- ``programmes.approved_yen.<item>`` — yen decided, with confirmed and paid in the breakdown, 円
- ``programmes.areas_supported`` — 13-4: distinct areas supported, {"continuing", "new"}, 地域
- ``programmes.vacant_shops_filled`` — 13-1(2): vacant shops occupied through the programme, 件

where ``<item>`` is the plan item with its punctuation folded: ``13-3(2)`` → ``13_3_2``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from shoko.core.japan import FiscalYear
from shoko.plan import indicators
from shoko.plan.indicators import Evidence, Measurement
from shoko.programmes.models import GRANTED_STATUSES, Application, Status

#: Plan items the ward's programmes serve (Nerima strategy 13); another city lists its own.
PLAN_ITEMS: tuple[str, ...] = (
    "13-1(2)",
    "13-2(2)",
    "13-3(1)",
    "13-3(2)",
    "13-3(3)",
    "13-4",
    "13-5",
)
AREAS_ITEM = "13-4"
VACANT_SHOP_ITEM = "13-1(2)"
FILED = [s for s in Status if s not in (Status.DRAFT,)]
GRANTED = [str(s) for s in GRANTED_STATUSES]
APPLICATIONS_LABEL = _("申請件数（%(item)s）")
APPROVALS_LABEL = _("交付決定件数（%(item)s）")
AMOUNTS_LABEL = _("交付決定額（%(item)s）")
OCCUPIED = [
    str(s) for s in (Status.WORK_COMPLETED, Status.REPORT_SUBMITTED, Status.CONFIRMED, Status.PAID)
]


def staff_url(application: Application) -> str:
    return reverse("programmes:staff-application", args=[application.pk])


def item_slug(plan_item: str) -> str:
    """``13-3(2)`` → ``13_3_2`` (indicator codes are ASCII words)."""
    return "_".join(re.findall(r"[0-9A-Za-z]+", plan_item))


def _for(fy: FiscalYear, *, plan_item: str | None = None, programme: str | None = None) -> QuerySet:
    qs = Application.objects.filter(fiscal_year=fy.year).select_related("programme", "area")
    if plan_item is not None:
        qs = qs.filter(programme__plan_item=plan_item)
    if programme is not None:
        qs = qs.filter(programme__code=programme)
    return qs.order_by("submitted_at", "pk")


def _record(app: Application, detail: str = "") -> Evidence:
    when = app.decided_at or app.submitted_at
    return Evidence(
        label=f"{app.number} {app.applicant_name} — {app.title}",
        url=staff_url(app),
        date=when.date() if when else None,
        detail=detail,
    )


def applications_filed(
    fy: FiscalYear, *, plan_item: str | None = None, programme: str | None = None
) -> Measurement:
    """Applications filed in the fiscal year (drafts not counted), by status."""
    apps = list(_for(fy, plan_item=plan_item, programme=programme).filter(status__in=FILED))
    breakdown: dict[str, int] = {}
    for app in apps:
        breakdown[app.status] = breakdown.get(app.status, 0) + 1
    return Measurement(value=len(apps), evidence=[_record(a) for a in apps], breakdown=breakdown)


def approvals(
    fy: FiscalYear, *, plan_item: str | None = None, programme: str | None = None
) -> Measurement:
    """Grants decided in the fiscal year that still stand (withdrawn ones are not counted)."""
    apps = list(_for(fy, plan_item=plan_item, programme=programme).filter(status__in=GRANTED))
    return Measurement(
        value=len(apps),
        evidence=[_record(a, f"{a.approved_yen or 0:,}円") for a in apps],
    )


def approved_amounts(
    fy: FiscalYear, *, plan_item: str | None = None, programme: str | None = None
) -> Measurement:
    """Yen decided in the fiscal year; confirmed and paid yen in the breakdown."""
    apps = list(_for(fy, plan_item=plan_item, programme=programme).filter(status__in=GRANTED))
    return Measurement(
        value=sum(a.approved_yen or 0 for a in apps),
        evidence=[_record(a, f"{a.approved_yen or 0:,}円") for a in apps],
        breakdown={
            "confirmed": sum(a.confirmed_yen or 0 for a in apps),
            "paid": sum(a.paid_yen or 0 for a in apps),
        },
    )


def _areas(fy: FiscalYear, plan_item: str) -> dict[int, list[Application]]:
    by_area: dict[int, list[Application]] = {}
    for app in _for(fy, plan_item=plan_item).filter(status__in=GRANTED, area__isnull=False):
        by_area.setdefault(app.area_id, []).append(app)
    return by_area


def areas_supported(fy: FiscalYear, *, plan_item: str = AREAS_ITEM) -> Measurement:
    """13-4: distinct areas with a standing grant in the fiscal year; an area supported in the
    previous fiscal year too is continuing (継続), otherwise new (新規)."""
    current = _areas(fy, plan_item)
    previous = set(_areas(fy - 1, plan_item))
    records = []
    continuing = new = 0
    for apps in sorted(current.values(), key=lambda a: (a[0].area.order, a[0].area.code)):
        area = apps[0].area
        is_continuing = area.pk in previous
        continuing += is_continuing
        new += not is_continuing
        kind = _("継続") if is_continuing else _("新規")
        records.append(
            Evidence(
                label=f"{area.name} ({kind})",
                url=staff_url(apps[0]),
                date=(apps[0].decided_at.date() if apps[0].decided_at else None),
                detail="、".join(f"{a.number} {a.title}" for a in apps),
            )
        )
    return Measurement(
        value=len(current), evidence=records, breakdown={"continuing": continuing, "new": new}
    )


def vacant_shops_filled(fy: FiscalYear, *, plan_item: str = VACANT_SHOP_ITEM) -> Measurement:
    """13-1(2): vacant shops occupied through the programme (work completed or later)."""
    apps = list(
        _for(fy, plan_item=plan_item)
        .filter(status__in=OCCUPIED, vacant_shop__isnull=False)
        .select_related("vacant_shop")
    )
    seen: dict[int, Application] = {}
    for app in apps:
        seen.setdefault(app.vacant_shop_id, app)
    return Measurement(
        value=len(seen),
        evidence=[
            Evidence(
                label=f"{app.vacant_shop} — {app.applicant_name}",
                url=staff_url(app),
                date=app.completed_on,
                detail=app.number,
            )
            for app in seen.values()
        ],
    )


# --- Registration with the plan -------------------------------------------------------------------


def _labelled(message: Any, item: str) -> Any:
    """A label that is translated when shown, with the plan item filled in."""
    return lazy(lambda: str(message) % {"item": item}, str)()


def definitions() -> list[tuple[str, Any, Any, str, Callable[[FiscalYear], Measurement]]]:
    """(code, label, unit, plan item, function) for every indicator this app offers."""
    rows: list[tuple[str, Any, Any, str, Callable[[FiscalYear], Measurement]]] = []
    for item in PLAN_ITEMS:
        slug = item_slug(item)
        rows += [
            (
                f"programmes.applications.{slug}",
                _labelled(APPLICATIONS_LABEL, item),
                _("件"),
                item,
                _bind(applications_filed, item),
            ),
            (
                f"programmes.approvals.{slug}",
                _labelled(APPROVALS_LABEL, item),
                _("件"),
                item,
                _bind(approvals, item),
            ),
            (
                f"programmes.approved_yen.{slug}",
                _labelled(AMOUNTS_LABEL, item),
                _("円"),
                item,
                _bind(approved_amounts, item),
            ),
        ]
    rows.append(
        (
            "programmes.areas_supported",
            _("支援した地域数（特色ある商店街）"),
            _("地域"),
            AREAS_ITEM,
            areas_supported,
        )
    )
    rows.append(
        (
            "programmes.vacant_shops_filled",
            _("事業を通じて埋まった空き店舗"),
            _("件"),
            VACANT_SHOP_ITEM,
            vacant_shops_filled,
        )
    )
    return rows


def _bind(function: Callable[..., Measurement], item: str) -> Callable[[FiscalYear], Measurement]:
    def measure(fy: FiscalYear) -> Measurement:
        return function(fy, plan_item=item)

    measure.__name__ = f"{function.__name__}_{item_slug(item)}"
    measure.__module__ = __name__
    return measure


def register_all() -> list[str]:
    """Register every indicator with the plan app; returns the codes registered."""
    codes = []
    for code, label, unit, item, function in definitions():
        try:
            indicators.register(
                indicators.Indicator(
                    code=code, label=label, unit=unit, plan_item=item, measure=function
                )
            )
        except ValueError:  # already registered (ready() ran twice in this process)
            continue
        codes.append(code)
    return codes

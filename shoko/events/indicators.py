"""The events app's figures for the action plan: seminars held and their participants per
programme, consultations held, machi-zemi courses, certificates issued — each with the records
behind it, as the plan's own ``Measurement`` and ``Evidence``. Plain functions of a
``FiscalYear`` (tested directly); ``register_all`` hands them to the plan's indicator interface.

"Held" means the session took place: scheduled (not cancelled) and already started. Participants
are the seats of registrations checked in (出席).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shoko.core.japan import FiscalYear
from shoko.events.models import (
    Certificate,
    ConsultationBooking,
    Event,
    Kind,
    PlanItem,
    Programme,
    Registration,
    Session,
)
from shoko.events.selectors import fiscal_year_bounds
from shoko.plan import indicators
from shoko.plan.indicators import Evidence, Measurement


def _held_sessions(
    fy: FiscalYear, *, kind: str, programme: str | None, now: dt.datetime | None = None
) -> QuerySet[Session]:
    start, end = fiscal_year_bounds(fy)
    sessions = Session.objects.filter(
        event__kind=kind,
        status=Session.Status.SCHEDULED,
        starts_at__gte=start,
        starts_at__lt=min(end, now or timezone.now()),
    )
    if programme:
        sessions = sessions.filter(event__programme=programme)
    return sessions


def _with_participants(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return (
        sessions.select_related("event")
        .annotate(
            participants=Sum(
                "registrations__seats",
                filter=Q(registrations__attendance=Registration.Attendance.ATTENDED),
            )
        )
        .order_by("starts_at", "pk")
    )


def _session_record(session: Session) -> Evidence:

    return Evidence(
        label=f"{session.event.title} {session.label}".strip(),
        url=reverse("events:staff-session", args=[session.pk]),
        date=session.local_date,
        detail=str(_("出席 %(count)s人") % {"count": session.participants or 0}),
    )


def events_held(
    fy: FiscalYear, *, kind: str, programme: str | None = None, now: dt.datetime | None = None
) -> Measurement:
    """Sessions held in the fiscal year (e.g. seminars of the startup programme)."""
    sessions = list(_with_participants(_held_sessions(fy, kind=kind, programme=programme, now=now)))
    by_programme = Counter(s.event.programme for s in sessions)
    return Measurement(
        value=len(sessions),
        evidence=tuple(_session_record(s) for s in sessions),
        breakdown=dict(by_programme),
    )


def participants(
    fy: FiscalYear, *, kind: str, programme: str | None = None, now: dt.datetime | None = None
) -> Measurement:
    """People who attended those sessions (a group counts each person)."""
    sessions = list(_with_participants(_held_sessions(fy, kind=kind, programme=programme, now=now)))
    return Measurement(
        value=sum(s.participants or 0 for s in sessions),
        evidence=tuple(_session_record(s) for s in sessions if s.participants),
    )


def courses_held(
    fy: FiscalYear, *, kind: str = Kind.MACHI_ZEMI, now: dt.datetime | None = None
) -> Measurement:
    """Courses (events) with at least one session held in the fiscal year — machi-zemi counts
    courses, not the times each was given."""
    held = _held_sessions(fy, kind=kind, programme=None, now=now).values("pk")
    counts = (
        Event.objects.filter(sessions__in=held)
        .annotate(times=Count("sessions", filter=Q(sessions__in=held), distinct=True))
        .order_by("title", "pk")
    )

    records = tuple(
        Evidence(
            label=event.title,
            url=reverse("events:staff-event", args=[event.pk]),
            detail=str(_("%(count)s回開催") % {"count": event.times}),
        )
        for event in counts
    )
    return Measurement(value=len(records), evidence=records)


def consultations_held(
    fy: FiscalYear, *, programme: str | None = None, now: dt.datetime | None = None
) -> Measurement:
    """Individual consultations recorded as held (実施) in the fiscal year."""
    start, end = fiscal_year_bounds(fy)
    bookings = ConsultationBooking.objects.filter(
        status=ConsultationBooking.Status.HELD,
        slot__starts_at__gte=start,
        slot__starts_at__lt=min(end, now or timezone.now()),
    ).select_related("slot", "organisation")
    if programme:
        bookings = bookings.filter(slot__programme=programme)
    bookings = bookings.order_by("slot__starts_at", "pk")

    records = tuple(
        Evidence(
            label=f"{b.organisation.name} — {b.slot.get_programme_display()}",
            url=reverse("events:staff-booking", args=[b.pk]),
            date=timezone.localtime(b.slot.starts_at).date(),
            detail=b.topic,
        )
        for b in bookings
    )
    return Measurement(
        value=len(records),
        evidence=records,
        breakdown=dict(Counter(b.slot.programme for b in bookings)),
    )


def certificates_issued(fy: FiscalYear) -> Measurement:
    """特定創業支援等事業 certificates issued in the fiscal year."""

    certificates = (
        Certificate.objects.filter(fiscal_year=fy.year).select_related("series").order_by("serial")
    )
    records = tuple(
        Evidence(
            label=f"{c.number} {c.series.title}",
            url=reverse("events:staff-certificate-pdf", args=[c.pk]),
            date=c.issued_on,
        )
        for c in certificates
    )
    return Measurement(value=len(records), evidence=records)


@dataclass(frozen=True)
class Definition:
    code: str
    label: object
    unit: object
    plan_item: str
    measure: Callable[[FiscalYear], Measurement]


SEMINAR = Kind.SEMINAR

#: Every figure the events app reports, with the plan item it counts for.
DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "events.seminars_held.startup",
        _("創業セミナーの開催回数"),
        pgettext_lazy("単位", "回"),
        PlanItem.STARTUP,
        lambda fy: events_held(fy, kind=SEMINAR, programme=Programme.STARTUP),
    ),
    Definition(
        "events.seminar_participants.startup",
        _("創業セミナーの参加者数"),
        _("人"),
        PlanItem.STARTUP,
        lambda fy: participants(fy, kind=SEMINAR, programme=Programme.STARTUP),
    ),
    Definition(
        "events.certificates_issued",
        _("特定創業支援等事業の証明書発行件数"),
        _("件"),
        PlanItem.STARTUP,
        certificates_issued,
    ),
    Definition(
        "events.seminars_held.welfare",
        _("福祉・生活関連産業セミナーの開催回数"),
        pgettext_lazy("単位", "回"),
        PlanItem.WELFARE,
        lambda fy: events_held(fy, kind=SEMINAR, programme=Programme.WELFARE),
    ),
    Definition(
        "events.seminar_participants.welfare",
        _("福祉・生活関連産業セミナーの参加者数"),
        _("人"),
        PlanItem.WELFARE,
        lambda fy: participants(fy, kind=SEMINAR, programme=Programme.WELFARE),
    ),
    Definition(
        "events.consultations_held.welfare",
        _("福祉・生活関連産業の個別相談件数"),
        _("件"),
        PlanItem.WELFARE,
        lambda fy: consultations_held(fy, programme=Programme.WELFARE),
    ),
    Definition(
        "events.seminars_held.succession",
        _("事業承継セミナーの開催回数"),
        pgettext_lazy("単位", "回"),
        PlanItem.SUCCESSION,
        lambda fy: events_held(fy, kind=SEMINAR, programme=Programme.SUCCESSION),
    ),
    Definition(
        "events.seminar_participants.succession",
        _("事業承継セミナーの参加者数"),
        _("人"),
        PlanItem.SUCCESSION,
        lambda fy: participants(fy, kind=SEMINAR, programme=Programme.SUCCESSION),
    ),
    Definition(
        "events.consultations_held.succession",
        _("事業承継の個別相談件数"),
        _("件"),
        PlanItem.SUCCESSION,
        lambda fy: consultations_held(fy, programme=Programme.SUCCESSION),
    ),
    Definition(
        "events.consultations_held.startup",
        _("創業の個別相談件数"),
        _("件"),
        PlanItem.STARTUP,
        lambda fy: consultations_held(fy, programme=Programme.STARTUP),
    ),
    Definition(
        "events.consultations_held.all",
        _("個別相談の実施件数（全事業）"),
        _("件"),
        "13",
        lambda fy: consultations_held(fy),
    ),
    Definition(
        "events.machi_zemi_courses",
        _("まちゼミの講座数"),
        _("講座"),
        PlanItem.MACHI_ZEMI,
        lambda fy: courses_held(fy, kind=Kind.MACHI_ZEMI),
    ),
    Definition(
        "events.machi_zemi_participants",
        _("まちゼミの参加者数"),
        _("人"),
        PlanItem.MACHI_ZEMI,
        lambda fy: participants(fy, kind=Kind.MACHI_ZEMI),
    ),
    Definition(
        "events.trade_fairs_held",
        _("産業見本市の開催回数"),
        pgettext_lazy("単位", "回"),
        PlanItem.TRADE_FAIR,
        lambda fy: events_held(fy, kind=Kind.TRADE_FAIR),
    ),
)


def register_all() -> None:
    """Register every figure with the plan app's indicator interface."""
    for definition in DEFINITIONS:
        indicators.register(
            indicators.Indicator(
                code=definition.code,
                label=definition.label,
                unit=definition.unit,
                plan_item=str(definition.plan_item),
                measure=definition.measure,
            )
        )

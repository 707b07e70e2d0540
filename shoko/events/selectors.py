"""What reads events: lists for the three faces, the waitlist, certificate eligibility, survey
results and the business timeline. Querysets come back with what their templates need already
joined or prefetched, so that a page costs the same few queries however many rows it shows."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from shoko.core import permissions
from shoko.core.japan import TOKYO, FiscalYear
from shoko.core.models import Organisation, User
from shoko.events.models import (
    Certificate,
    ConsultationBooking,
    ConsultationSlot,
    Event,
    Question,
    Registration,
    Series,
    Session,
    SupportArea,
    SurveyResponse,
)


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=TOKYO)


def fiscal_year_bounds(fy: FiscalYear) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a fiscal year as aware datetimes in Tokyo."""
    return day_start(fy.start), day_start(fy.end + dt.timedelta(days=1))


# --- Public ---------------------------------------------------------------------------------------


def _scheduled_sessions(after: dt.datetime) -> QuerySet[Session]:
    return (
        Session.objects.scheduled()
        .filter(ends_at__gte=after)
        .prefetch_related("areas")
        .order_by("starts_at", "pk")
    )


def public_events(
    *,
    kind: str | None = None,
    programme: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    query: str | None = None,
    area: str | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Event]:
    """Published events with a session still to come (or within the dates asked), soonest
    first; each carries ``upcoming`` (its sessions in range) and ``next_start``."""
    now = now or timezone.now()
    start = max(now, day_start(date_from)) if date_from else now
    sessions = _scheduled_sessions(start)
    if date_to:
        sessions = sessions.filter(starts_at__lt=day_start(date_to + dt.timedelta(days=1)))
    session_filter = Q(
        sessions__status=Session.Status.SCHEDULED,
        sessions__ends_at__gte=start,
    )
    if date_to:
        session_filter &= Q(sessions__starts_at__lt=day_start(date_to + dt.timedelta(days=1)))
    events = Event.objects.public()
    if kind:
        events = events.filter(kind=kind)
    if programme:
        events = events.filter(programme=programme)
    if area:
        events = events.filter(venue__area__code=area)
    if query:
        events = events.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return (
        events.annotate(next_start=Min("sessions__starts_at", filter=session_filter))
        .filter(next_start__isnull=False)
        .select_related("venue", "organiser_organisation", "series")
        .prefetch_related(Prefetch("sessions", queryset=sessions, to_attr="upcoming"))
        .order_by("next_start", "pk")
    )


def public_event(pk: int) -> Event:
    """One public event with all its scheduled and cancelled sessions."""
    return (
        Event.objects.public()
        .select_related("venue", "organiser_organisation", "series")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.prefetch_related("areas").order_by("starts_at", "pk"),
                to_attr="all_sessions",
            )
        )
        .get(pk=pk)
    )


def public_session(pk: int) -> Session:
    return Session.objects.public().select_related("event__venue", "event__series").get(pk=pk)


def sessions_between(
    start: dt.date,
    end: dt.date,
    *,
    published_only: bool = True,
    kind: str | None = None,
    programme: str | None = None,
) -> QuerySet[Session]:
    """Sessions starting on ``start`` … ``end`` (inclusive), for calendars and feeds."""
    sessions = Session.objects.filter(
        starts_at__gte=day_start(start), starts_at__lt=day_start(end + dt.timedelta(days=1))
    )
    if published_only:
        sessions = sessions.public().scheduled()
    if kind:
        sessions = sessions.filter(event__kind=kind)
    if programme:
        sessions = sessions.filter(event__programme=programme)
    return sessions.select_related("event__venue", "event__organiser_organisation").order_by(
        "starts_at", "pk"
    )


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    in_month: bool
    sessions: list[Session]


def month_grid(year: int, month: int, sessions: Iterable[Session]) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day with its sessions."""
    by_day: dict[dt.date, list[Session]] = defaultdict(list)
    for session in sessions:
        by_day[session.local_date].append(session)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [CalendarDay(day, day.month == month, by_day.get(day, [])) for day in week]
        for week in weeks
    ]


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting; None when not on the waitlist."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        session_id=registration.session_id, status=Registration.Status.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def open_data_sessions(fy: FiscalYear | None = None) -> QuerySet[Session]:
    """Sessions of public events for the open-data event list (cancelled ones marked 中止 in
    備考): the fiscal year asked, or everything from the start of the current fiscal year on."""
    sessions = Session.objects.public()
    if fy is None:
        sessions = sessions.filter(starts_at__gte=day_start(FiscalYear.current().start))
    else:
        start, end = fiscal_year_bounds(fy)
        sessions = sessions.filter(starts_at__gte=start, starts_at__lt=end)
    return sessions.select_related("event__venue", "event__organiser_organisation").order_by(
        "starts_at", "pk"
    )


def feed_sessions(kind: str | None, *, now: dt.datetime | None = None) -> QuerySet[Session]:
    """Sessions for an ICS feed: from 90 days back on, cancelled ones included (so that
    calendars that subscribed see the cancellation)."""
    now = now or timezone.now()
    sessions = Session.objects.public().filter(starts_at__gte=now - dt.timedelta(days=90))
    if kind:
        sessions = sessions.filter(event__kind=kind)
    return sessions.select_related("event__venue", "event__organiser_organisation").order_by(
        "starts_at", "pk"
    )


# --- Business portal ------------------------------------------------------------------------------


def bookings_of(user: User) -> QuerySet[Registration]:
    """The registrations of the user's organisations (officials: all)."""
    return (
        permissions.scope_to_user(Registration.objects.all(), user)
        .select_related("session__event__venue", "organisation")
        .order_by("-session__starts_at", "-pk")
    )


def consultation_bookings_of(user: User) -> QuerySet[ConsultationBooking]:
    return (
        permissions.scope_to_user(ConsultationBooking.objects.all(), user)
        .select_related("slot__venue", "slot__consultant", "organisation")
        .order_by("-slot__starts_at", "-pk")
    )


def open_slots(
    *, programme: str | None = None, now: dt.datetime | None = None
) -> QuerySet[ConsultationSlot]:
    """Published slots still to come with no live booking."""
    now = now or timezone.now()
    slots = ConsultationSlot.objects.filter(
        published=True, cancelled=False, starts_at__gt=now
    ).exclude(bookings__status__in=ConsultationBooking.ACTIVE)
    if programme:
        slots = slots.filter(programme=programme)
    return slots.select_related("venue", "consultant").order_by("starts_at", "pk")


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a business's history with the ward's events (until the directory's
    business timeline takes these)."""

    date: dt.date
    kind: str
    summary: str
    url: str | None = None


def timeline_for_organisation(organisation: Organisation) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(r.session.local_date, "attended", r.session.event.title)
        for r in Registration.objects.filter(
            organisation=organisation, attendance=Registration.Attendance.ATTENDED
        ).select_related("session__event")
    ]
    entries += [
        TimelineEntry(c.issued_on, "certificate", f"{c.series.title} ({c.number})")
        for c in Certificate.objects.filter(organisation=organisation).select_related("series")
    ]
    entries += [
        TimelineEntry(
            timezone.localtime(b.slot.starts_at, TOKYO).date(),
            "consultation",
            str(b.slot.get_programme_display()),
        )
        for b in ConsultationBooking.objects.filter(
            organisation=organisation, status=ConsultationBooking.Status.HELD
        ).select_related("slot")
    ]
    return sorted(entries, key=lambda e: e.date, reverse=True)


# --- Staff ----------------------------------------------------------------------------------------


def staff_events(
    *, kind: str | None = None, programme: str | None = None, query: str | None = None
) -> QuerySet[Event]:
    events = Event.objects.all()
    if kind:
        events = events.filter(kind=kind)
    if programme:
        events = events.filter(programme=programme)
    if query:
        events = events.filter(title__icontains=query)
    return (
        events.annotate(
            first_start=Min("sessions__starts_at"),
            session_count=Count("sessions", distinct=True),
        )
        .select_related("series", "venue", "organiser_organisation")
        .order_by("-first_start", "-pk")
    )


def staff_event(pk: int) -> Event:
    return (
        Event.objects.select_related("series", "venue", "organiser_organisation")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.prefetch_related("areas")
                .annotate(
                    waiting=Count(
                        "registrations",
                        filter=Q(registrations__status=Registration.Status.WAITLISTED),
                    ),
                    attended=Sum(
                        "registrations__seats",
                        filter=Q(registrations__attendance=Registration.Attendance.ATTENDED),
                    ),
                )
                .order_by("starts_at", "pk"),
                to_attr="all_sessions",
            ),
            "questions",
        )
        .get(pk=pk)
    )


def staff_series_list() -> QuerySet[Series]:
    return (
        Series.objects.annotate(
            event_count=Count("events", distinct=True),
            certificate_count=Count("certificates", distinct=True),
        )
        .select_related("organiser_organisation")
        .order_by("-created_at", "-pk")
    )


def session_registrations(session: Session) -> QuerySet[Registration]:
    """Registrations of a session in queue order (waitlist by time of joining)."""
    return session.registrations.select_related("organisation", "checked_in_by").order_by(
        "waitlisted_at", "created_at", "pk"
    )


def event_registrations(event: Event) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(session__event=event)
        .select_related("session", "organisation")
        .order_by("session__starts_at", "created_at", "pk")
    )


def staff_slots(user: User, *, upcoming_only: bool = False) -> QuerySet[ConsultationSlot]:
    """Officials see every slot; a consultant sees their own."""
    slots = ConsultationSlot.objects.all()
    if not permissions.is_official(user):
        slots = slots.filter(consultant=user)
    if upcoming_only:
        slots = slots.filter(ends_at__gte=timezone.now())
    return (
        slots.select_related("venue", "consultant")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=ConsultationBooking.objects.select_related("organisation").order_by("-pk"),
                to_attr="all_bookings",
            )
        )
        .order_by("starts_at", "pk")
    )


def staff_booking(user: User, pk: int) -> ConsultationBooking:
    bookings = ConsultationBooking.objects.select_related(
        "slot__consultant", "slot__venue", "organisation", "booked_by"
    )
    if not permissions.is_official(user):
        bookings = bookings.filter(slot__consultant=user)
    return bookings.get(pk=pk)


def certificates(*, fy: FiscalYear | None = None) -> QuerySet[Certificate]:
    certs = Certificate.objects.select_related("series", "organisation", "issued_by")
    if fy is not None:
        certs = certs.filter(fiscal_year=fy.year)
    return certs.order_by("-fiscal_year", "-serial")


# --- Certificates ---------------------------------------------------------------------------------


@dataclass
class CertificateCandidate:
    """A person's attendance in a certified series, measured against its rules."""

    email: str
    full_name: str
    full_name_kana: str
    organisation: Organisation | None
    registrations: list[Registration]
    areas: frozenset[str]
    min_sessions: int
    min_days: int
    certificate: Certificate | None = None

    @property
    def session_count(self) -> int:
        return len(self.registrations)

    @property
    def first_date(self) -> dt.date:
        return self.registrations[0].session.local_date

    @property
    def last_date(self) -> dt.date:
        return self.registrations[-1].session.local_date

    @property
    def period_days(self) -> int:
        return (self.last_date - self.first_date).days

    @property
    def missing_areas(self) -> list[SupportArea]:
        return [area for area in SupportArea if area.value not in self.areas]

    @property
    def eligible(self) -> bool:
        return (
            not self.missing_areas
            and self.session_count >= self.min_sessions
            and self.period_days >= self.min_days
        )


def certificate_candidates(series: Series) -> list[CertificateCandidate]:
    """Everyone who attended a session of the series, with what they covered."""
    attended = (
        Registration.objects.filter(
            session__event__series=series,
            status=Registration.Status.CONFIRMED,
            attendance=Registration.Attendance.ATTENDED,
            anonymised_at__isnull=True,
        )
        .select_related("session__event", "organisation")
        .prefetch_related("session__areas")
        .order_by("session__starts_at", "pk")
    )
    issued = {c.holder_email: c for c in series.certificates.all()}
    people: dict[str, CertificateCandidate] = {}
    for registration in attended:
        person = people.get(registration.email)
        if person is None:
            person = people[registration.email] = CertificateCandidate(
                email=registration.email,
                full_name=registration.full_name,
                full_name_kana=registration.full_name_kana,
                organisation=registration.organisation,
                registrations=[],
                areas=frozenset(),
                min_sessions=series.certificate_min_sessions,
                min_days=series.certificate_min_days,
                certificate=issued.get(registration.email),
            )
        person.registrations.append(registration)
        person.areas |= {a.area for a in registration.session.areas.all()}
        person.organisation = person.organisation or registration.organisation
    return sorted(people.values(), key=lambda p: (not p.eligible, p.full_name_kana, p.email))


def certificate_candidate(series: Series, email: str) -> CertificateCandidate | None:
    return next((c for c in certificate_candidates(series) if c.email == email), None)


# --- Surveys --------------------------------------------------------------------------------------


@dataclass
class QuestionSummary:
    question: Question
    counts: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveySummary:
    responses: int
    attendees: int
    average: Decimal | None
    distribution: dict[int, int]
    questions: list[QuestionSummary]
    comments: list[str]

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.responses / self.attendees) if self.attendees else None


def questions_for(event: Event, purpose: str) -> list[Question]:
    """The event's own questions after its series' (both in their order)."""
    series_q = list(event.series.questions.filter(purpose=purpose)) if event.series_id else []
    return series_q + list(event.questions.filter(purpose=purpose))


def survey_summary(event: Event) -> SurveySummary:
    """Results of an event's survey: satisfaction, each question's answers, comments."""
    responses = list(
        SurveyResponse.objects.filter(registration__session__event=event).order_by("pk")
    )
    attendees = Registration.objects.filter(
        session__event=event, attendance=Registration.Attendance.ATTENDED
    ).count()
    distribution = Counter(r.satisfaction for r in responses)
    summaries = []
    for question in questions_for(event, Question.Purpose.SURVEY):
        summary = QuestionSummary(question)
        for response in responses:
            answer = response.answers.get(str(question.pk))
            if not answer:
                continue
            if question.type == Question.Type.TEXT:
                summary.texts.append(answer)
            else:
                summary.counts[answer] = summary.counts.get(answer, 0) + 1
        summaries.append(summary)
    average = (
        (Decimal(sum(r.satisfaction for r in responses)) / len(responses)).quantize(Decimal("0.01"))
        if responses
        else None
    )
    return SurveySummary(
        responses=len(responses),
        attendees=attendees,
        average=average,
        distribution={score: distribution.get(score, 0) for score in range(5, 0, -1)},
        questions=summaries,
        comments=[r.comment for r in responses if r.comment],
    )


@dataclass(frozen=True)
class SurveyRow:
    event: Event
    responses: int
    average: Decimal | None


def survey_results_for_year(fy: FiscalYear) -> tuple[list[SurveyRow], int, Decimal | None]:
    """Per event of the fiscal year: responses and average satisfaction; then the totals."""
    start, end = fiscal_year_bounds(fy)
    rows = (
        SurveyResponse.objects.filter(
            registration__session__starts_at__gte=start,
            registration__session__starts_at__lt=end,
        )
        .values("registration__session__event")
        .annotate(n=Count("pk"), avg=Avg("satisfaction"))
        .order_by()
    )
    by_event = {row["registration__session__event"]: row for row in rows}
    events = Event.objects.filter(pk__in=by_event).order_by("title", "pk")
    result = [
        SurveyRow(
            event,
            by_event[event.pk]["n"],
            Decimal(str(by_event[event.pk]["avg"])).quantize(Decimal("0.01")),
        )
        for event in events
    ]
    total = sum(row.responses for row in result)
    overall = (
        (sum(row.average * row.responses for row in result) / total).quantize(Decimal("0.01"))
        if total
        else None
    )
    return result, total, overall

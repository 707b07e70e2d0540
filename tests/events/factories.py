"""Factories for events. Registrations that hold seats go through ``sign_up`` (the service),
so that ``Session.seats_taken`` stays true to the registrations."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from shoko.events import services
from shoko.events.models import (
    ConsultationSlot,
    Event,
    Kind,
    Programme,
    Question,
    Registration,
    Series,
    Session,
    SessionArea,
    Venue,
)
from tests.factories import UserFactory


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"練馬区立区民会館 第{n}会議室")
    postal_code = "176-8501"
    address = "東京都練馬区豊玉北6-12-1"
    latitude = "35.735623"
    longitude = "139.651658"
    access = "西武池袋線 練馬駅 徒歩5分"


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = factory.Sequence(lambda n: f"創業セミナー 第{n}期")
    kind = Kind.SEMINAR
    programme = Programme.STARTUP
    plan_item = "13-1(1)"
    organiser_division = "economy"
    certified_programme = True
    certificate_min_sessions = 4
    certificate_min_days = 30


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"創業セミナー {n}")
    title_kana = "ソウギョウセミナー"
    description = "創業に必要な知識を学びます。"
    kind = Kind.SEMINAR
    programme = Programme.STARTUP
    plan_item = "13-1(1)"
    organiser_division = "economy"
    venue = factory.SubFactory(VenueFactory)
    published = True
    contact_name = "練馬区 経済課"
    contact_phone = "0359841111"


def in_days(days: float, hour: int = 14) -> dt.datetime:
    """An aware datetime ``days`` from now at ``hour`` o'clock Tokyo time."""
    day = (timezone.localtime() + dt.timedelta(days=days)).date()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyFunction(lambda: in_days(7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    capacity = 30

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            SessionArea.objects.bulk_create(SessionArea(session=self, area=a) for a in extracted)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    purpose = Question.Purpose.SIGNUP
    type = Question.Type.TEXT
    label = "参加の目的を教えてください"


class ConsultationSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationSlot

    consultant = factory.SubFactory(UserFactory)
    programme = Programme.SUCCESSION
    plan_item = "13-2(3)"
    starts_at = factory.LazyFunction(lambda: in_days(5, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))


_counter = iter(range(1, 10**9))


def person(n: int | None = None, **changes) -> services.Registrant:
    n = n if n is not None else next(_counter)
    data = {
        "full_name": f"練馬 太郎{n}",
        "full_name_kana": "ネリマ タロウ",
        "email": f"taro{n}@example.jp",
        "phone": "09012345678",
        "language": "ja",
    }
    data.update(changes)
    return services.Registrant(**data)


def sign_up(
    session: Session, registrant: services.Registrant | None = None, **kwargs
) -> Registration:
    """Register through the service (as a member of the public unless told otherwise)."""
    return services.register(
        session_id=session.pk, registrant=registrant or person(), **kwargs
    ).registration


def running_session(**kwargs) -> Session:
    """A session that started half an hour ago (for check-in and attendance)."""
    now = timezone.now()
    return SessionFactory(
        starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(minutes=90), **kwargs
    )


def past_session(days_ago: float = 3, **kwargs) -> Session:
    start = timezone.now() - dt.timedelta(days=days_ago)
    return SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2), **kwargs)


def registered(session: Session, n: int | None = None, **fields) -> Registration:
    """A confirmed registration written directly (for sessions already under way or over),
    keeping the seat counter true."""
    from django.db.models import F

    registrant = person(n)
    data = {
        "status": Registration.Status.CONFIRMED,
        "seats": 1,
        "full_name": registrant.full_name,
        "full_name_kana": registrant.full_name_kana,
        "email": registrant.email,
        "phone": registrant.phone,
    } | fields
    registration = Registration.objects.create(session=session, **data)
    if registration.holds_seats:
        Session.objects.filter(pk=session.pk).update(
            seats_taken=F("seats_taken") + registration.seats
        )
    return registration

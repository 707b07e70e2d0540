"""Consultants publish availability, businesses book, consultants record what was discussed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shoko.events import services
from shoko.events.models import ConsultationBooking, ConsultationSlot
from tests.events.factories import ConsultationSlotFactory, in_days
from tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


def test_a_consultant_publishes_an_afternoon_as_hour_long_slots(client, make_user):
    consultant = make_user("consultant")
    client.force_login(consultant)
    day = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = client.post(
        reverse("events:staff-consultations"),
        {
            "day": day,
            "start_time": "13:00",
            "end_time": "17:00",
            "minutes": "60",
            "programme": "succession",
            "plan_item": "13-2(3)",
        },
    )
    assert response.status_code == 302
    slots = ConsultationSlot.objects.order_by("starts_at")
    assert [timezone.localtime(s.starts_at).hour for s in slots] == [13, 14, 15, 16]
    assert {s.consultant for s in slots} == {consultant}
    again = client.post(
        reverse("events:staff-consultations"),
        {
            "day": day,
            "start_time": "16:30",
            "end_time": "18:00",
            "minutes": "60",
            "programme": "succession",
        },
    )
    assert "同じ時間帯に、すでに相談枠があります。" in again.content.decode()
    assert ConsultationSlot.objects.count() == 4


def test_one_slot_one_business_even_against_the_database(make_user):
    slot = ConsultationSlotFactory()
    first_org, second_org = OrganisationFactory(), OrganisationFactory()
    first = services.book_consultation(
        slot_id=slot.pk, organisation=first_org, actor=member_of(first_org)
    )
    # Booking again for the same business returns the same booking (a double click).
    assert (
        services.book_consultation(
            slot_id=slot.pk, organisation=first_org, actor=member_of(first_org)
        )
        == first
    )
    with pytest.raises(ValidationError) as caught:
        services.book_consultation(
            slot_id=slot.pk, organisation=second_org, actor=member_of(second_org)
        )
    assert caught.value.code == "taken"
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationBooking.objects.create(slot=slot, organisation=second_org)


def test_booking_for_someone_elses_business_or_a_past_slot_is_refused():
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    slot = ConsultationSlotFactory()
    with pytest.raises(ValidationError) as caught:
        services.book_consultation(slot_id=slot.pk, organisation=theirs, actor=member_of(mine))
    assert caught.value.code == "organisation_not_yours"
    old = ConsultationSlotFactory(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as caught:
        services.book_consultation(slot_id=old.pk, organisation=mine, actor=member_of(mine))
    assert caught.value.code == "past"


def test_the_consultant_records_the_consultation(client, make_user):
    consultant = make_user("consultant")
    start = timezone.now() - dt.timedelta(hours=2)
    slot = ConsultationSlotFactory(
        consultant=consultant, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    booking = ConsultationBooking.objects.create(slot=slot, organisation=OrganisationFactory())
    client.force_login(consultant)
    client.post(
        reverse("events:staff-booking", args=[booking.pk]),
        {
            "status": "held",
            "topic": "株式の引き継ぎ",
            "notes": "後継者は長男。株価評価が課題。",
            "follow_up": "税理士を紹介する",
            "follow_up_due": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        },
    )
    booking.refresh_from_db()
    assert booking.status == ConsultationBooking.Status.HELD
    assert booking.topic == "株式の引き継ぎ"
    assert booking.recorded_by == consultant


def test_a_consultation_is_recorded_only_after_it_started_and_by_its_consultant(make_user):
    consultant = make_user("consultant")
    slot = ConsultationSlotFactory(consultant=consultant, starts_at=in_days(3, 10))
    booking = ConsultationBooking.objects.create(slot=slot, organisation=OrganisationFactory())
    with pytest.raises(ValidationError) as caught:
        services.record_consultation(
            booking_id=booking.pk, actor=consultant, status="held", topic="t", notes="n"
        )
    assert caught.value.code == "not_started"
    with pytest.raises(ValidationError) as caught:
        services.record_consultation(
            booking_id=booking.pk,
            actor=make_user("consultant"),
            status="held",
            topic="t",
            notes="n",
            now=slot.ends_at,
        )
    assert caught.value.code == "not_your_slot"


def test_withdrawing_a_booked_slot_tells_the_business(client, make_user):
    consultant = make_user("consultant")
    slot = ConsultationSlotFactory(consultant=consultant)
    organisation = OrganisationFactory()
    booker = member_of(organisation, preferred_language="ja")
    booking = services.book_consultation(slot_id=slot.pk, organisation=organisation, actor=booker)
    mail.outbox.clear()
    client.force_login(consultant)
    client.post(reverse("events:staff-slot-cancel", args=[slot.pk]))
    booking.refresh_from_db()
    assert booking.status == ConsultationBooking.Status.CANCELLED
    assert mail.outbox[-1].subject.startswith("【個別相談の取消】")


def test_a_business_cancels_its_booking_and_strangers_cannot(make_user):
    organisation = OrganisationFactory()
    member = member_of(organisation)
    booking = services.book_consultation(
        slot_id=ConsultationSlotFactory().pk, organisation=organisation, actor=member
    )
    with pytest.raises(PermissionDenied):
        services.cancel_consultation_booking(
            booking_id=booking.pk, actor=member_of(OrganisationFactory())
        )
    services.cancel_consultation_booking(booking_id=booking.pk, actor=member)
    with pytest.raises(ValidationError) as caught:
        services.cancel_consultation_booking(booking_id=booking.pk, actor=member)
    assert caught.value.code == "not_active"


def test_the_slot_list_costs_the_same_for_more_slots(
    client, official, django_assert_max_num_queries
):
    client.force_login(official)
    for _ in range(3):
        slot = ConsultationSlotFactory()
        ConsultationBooking.objects.create(slot=slot, organisation=OrganisationFactory())
    with django_assert_max_num_queries(12):
        client.get(reverse("events:staff-consultations"))
    for _ in range(20):
        slot = ConsultationSlotFactory()
        ConsultationBooking.objects.create(slot=slot, organisation=OrganisationFactory())
    with django_assert_max_num_queries(12):
        assert client.get(reverse("events:staff-consultations")).status_code == 200


def test_the_open_slot_list_for_businesses_costs_the_same(client, django_assert_max_num_queries):
    client.force_login(member_of(OrganisationFactory()))
    for _ in range(2):
        ConsultationSlotFactory()
    with django_assert_max_num_queries(10):
        client.get(reverse("events:my-consultations"))
    for _ in range(15):
        ConsultationSlotFactory()
    with django_assert_max_num_queries(10):
        assert client.get(reverse("events:my-consultations")).status_code == 200

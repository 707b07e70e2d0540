"""A business member books seminars and consultations for their business and sees only their
own organisation's bookings; another organisation's booking is a 404."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from shoko.core.models import Membership
from shoko.events.models import ConsultationBooking, Registration
from tests.events.factories import (
    ConsultationSlotFactory,
    SessionFactory,
    past_session,
    person,
    registered,
    sign_up,
)
from tests.factories import MembershipFactory, OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


def test_a_member_registers_for_their_business_and_sees_it_in_my_bookings(client):
    organisation = OrganisationFactory(name="練馬ベーカリー")
    member = member_of(organisation, full_name="店主 一郎", email="owner@example.jp")
    session = SessionFactory()
    client.force_login(member)
    response = client.post(
        reverse("events:my-register", args=[session.pk]),
        {"organisation": organisation.pk, "phone": "０３－３９９３－１１１１", "seats": "1"},
    )
    registration = Registration.objects.get()
    assert response["Location"] == reverse("events:my-booking", args=[registration.pk])
    assert registration.organisation == organisation
    assert registration.user == member
    assert registration.source == Registration.Source.PORTAL
    assert registration.email == "owner@example.jp"
    assert registration.phone == "0339931111"
    assert mail.outbox[-1].to == ["owner@example.jp"]
    page = client.get(reverse("events:my-bookings")).content.decode()
    assert session.event.title in page


def test_a_member_cannot_register_for_a_business_they_do_not_belong_to(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    client.force_login(member_of(mine))
    session = SessionFactory()
    response = client.post(
        reverse("events:my-register", args=[session.pk]),
        {"organisation": theirs.pk, "phone": "0339931111", "seats": "1"},
    )
    assert response.status_code == 200
    assert Registration.objects.count() == 0


def test_a_user_without_a_business_is_sent_to_the_public_form(client, make_user):
    client.force_login(make_user(None))
    session = SessionFactory()
    response = client.get(reverse("events:my-register", args=[session.pk]))
    assert response["Location"] == reverse("events:register", args=[session.pk])


def test_another_organisations_booking_is_not_found(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    session = SessionFactory()
    their_booking = sign_up(session, person(organisation=theirs), actor=member_of(theirs))
    client.force_login(member_of(mine))
    url = reverse("events:my-booking", args=[their_booking.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "cancel"}).status_code == 404
    their_booking.refresh_from_db()
    assert their_booking.status == Registration.Status.CONFIRMED


def test_a_read_only_member_sees_but_cannot_cancel(client):
    organisation = OrganisationFactory()
    viewer = MembershipFactory(organisation=organisation, role=Membership.Role.VIEWER).user
    booking = sign_up(
        SessionFactory(), person(organisation=organisation), actor=member_of(organisation)
    )
    client.force_login(viewer)
    url = reverse("events:my-booking", args=[booking.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "cancel"}).status_code == 403


def test_a_member_cancels_a_booking_and_the_waitlist_moves(client):
    organisation = OrganisationFactory()
    member = member_of(organisation)
    session = SessionFactory(capacity=1)
    booking = sign_up(session, person(1, organisation=organisation), actor=member)
    waiting = sign_up(session, person(2))
    client.force_login(member)
    client.post(reverse("events:my-booking", args=[booking.pk]), {"action": "cancel"})
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED


def test_my_bookings_costs_the_same_for_more_bookings(client, django_assert_max_num_queries):
    organisation = OrganisationFactory()
    member = member_of(organisation)
    client.force_login(member)
    for n in range(2):
        registered(past_session(), organisation=organisation, attendance="attended")
        sign_up(SessionFactory(), person(n, organisation=organisation), actor=member)
    with django_assert_max_num_queries(16):
        client.get(reverse("events:my-bookings"))
    for n in range(2, 12):
        registered(past_session(), organisation=organisation, attendance="attended")
        sign_up(SessionFactory(), person(n, organisation=organisation), actor=member)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("events:my-bookings")).content.decode()
    assert page.count("/my/events/bookings/") == 24


def test_anonymous_visitors_are_asked_to_sign_in(client):
    session = SessionFactory()
    for url in (
        reverse("events:my-bookings"),
        reverse("events:my-register", args=[session.pk]),
        reverse("events:my-consultations"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


# --- Consultations --------------------------------------------------------------------------------


def test_a_business_books_a_free_slot_and_the_slot_is_then_taken(client):
    slot = ConsultationSlotFactory()
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    member = member_of(mine, preferred_language="en")
    client.force_login(member)
    listing = client.get(reverse("events:my-consultations")).content.decode()
    assert reverse("events:my-book-slot", args=[slot.pk]) in listing
    response = client.post(
        reverse("events:my-book-slot", args=[slot.pk]),
        {"organisation": mine.pk, "request_note": "後継者への引き継ぎ"},
    )
    booking = ConsultationBooking.objects.get()
    assert response["Location"] == reverse("events:my-consultation", args=[booking.pk])
    assert mail.outbox[-1].subject.startswith("[Consultation booked]")
    # The slot is no longer offered, and another business cannot take it.
    assert (
        reverse("events:my-book-slot", args=[slot.pk])
        not in client.get(reverse("events:my-consultations")).content.decode()
    )
    client.force_login(member_of(theirs))
    assert client.get(reverse("events:my-book-slot", args=[slot.pk])).status_code == 404
    taken = client.post(reverse("events:my-book-slot", args=[slot.pk]), {"organisation": theirs.pk})
    assert "この相談枠はすでに予約されています。" in taken.content.decode()
    assert client.get(reverse("events:my-consultation", args=[booking.pk])).status_code == 404


def test_private_notes_never_reach_the_business(client, make_user):
    consultant = make_user("consultant")
    slot = ConsultationSlotFactory(consultant=consultant)
    organisation = OrganisationFactory()
    booking = ConsultationBooking.objects.create(
        slot=slot,
        organisation=organisation,
        status="held",
        notes="資金繰りが厳しい（内部メモ）",
        follow_up="事業計画を見直す",
    )
    client.force_login(member_of(organisation))
    page = client.get(reverse("events:my-consultation", args=[booking.pk])).content.decode()
    assert "事業計画を見直す" in page
    assert "内部メモ" not in page

"""People sign up for sessions: seats run out, the waitlist forms, freed seats are offered and
pass on, and nobody gets two places or an oversold room."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from shoko.events import services
from shoko.events.models import Registration, Session
from tests.events.factories import EventFactory, SessionFactory, in_days, person, sign_up

pytestmark = pytest.mark.django_db


def statuses(session: Session) -> list[str]:
    return list(session.registrations.order_by("pk").values_list("status", flat=True))


def assert_counter_true(session: Session) -> None:
    session.refresh_from_db()
    assert session.seats_taken == services.seats_held(session.pk)
    assert session.seats_taken <= session.capacity


def test_the_first_people_are_confirmed_then_the_rest_wait():
    session = SessionFactory(capacity=2)
    for n in range(4):
        sign_up(session, person(n))
    assert statuses(session) == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert_counter_true(session)
    subjects = [m.subject for m in mail.outbox]
    assert subjects.count(f"【申込確定】{session.event.title}") == 2
    assert subjects.count(f"【キャンセル待ち】{session.event.title}") == 2


def test_a_group_takes_several_seats_and_waits_whole_when_it_does_not_fit():
    session = SessionFactory(capacity=5, event__group_limit=3)
    sign_up(session, person(1), seats=3)
    group = sign_up(session, person(2), seats=3)
    single = sign_up(session, person(3), seats=1)
    assert group.status == Registration.Status.WAITLISTED
    # The seat left over goes to someone who fits, not to nobody.
    assert single.status == Registration.Status.CONFIRMED
    assert_counter_true(session)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ja", "1件の申込でお申し込みいただける人数は3人までです。"),
        ("en", "Up to 3 people can be registered in one booking."),
    ],
)
def test_a_group_over_the_limit_is_told_the_limit_in_their_language(language, expected):
    session = SessionFactory(event__group_limit=3)
    with pytest.raises(ValidationError) as caught:
        sign_up(session, person(), seats=4)
    assert caught.value.code == "over_group_limit"
    with translation.override(language):
        assert caught.value.messages == [expected]
    assert session.registrations.count() == 0


def test_zero_or_negative_seats_are_refused():
    session = SessionFactory()
    for seats in (0, -1):
        with pytest.raises(ValidationError) as caught:
            sign_up(session, person(), seats=seats)
        assert caught.value.code == "seats_invalid"


def test_signing_up_twice_is_one_registration():
    session = SessionFactory(capacity=3)
    first = services.register(session_id=session.pk, registrant=person(7))
    again = services.register(session_id=session.pk, registrant=person(7))
    assert first.created
    assert not again.created
    assert again.registration.pk == first.registration.pk
    assert session.registrations.count() == 1
    assert_counter_true(session)


def test_the_same_address_typed_differently_is_the_same_person():
    session = SessionFactory()
    registrant = services.clean_registrant(
        full_name="練馬　花子",
        full_name_kana="ねりま　ゆーこ",
        email="Ｈａｎａｋｏ@Example.JP ",
        phone="０９０－１２３４－５６７８",
    )
    assert registrant.email == "hanako@example.jp"
    assert registrant.phone == "09012345678"
    assert registrant.full_name == "練馬 花子"
    assert registrant.full_name_kana == "ネリマ ユーコ"
    sign_up(session, registrant)
    again = services.register(
        session_id=session.pk,
        registrant=services.clean_registrant(
            full_name="練馬 花子",
            full_name_kana="ネリマ ハナコ",
            email="hanako@example.jp",
            phone="09012345678",
        ),
    )
    assert not again.created


@pytest.mark.parametrize(
    ("field", "value", "ja", "en"),
    [
        (
            "email",
            "hanako@",
            "メールアドレスの形式が正しくありません（例: taro@example.jp）。",
            "The email address is not valid (for example: taro@example.jp).",
        ),
        (
            "phone",
            "1234",
            "電話番号は0から始まる10桁または11桁の数字で入力してください"
            "（例: 03-3993-1111、090-1234-5678）。",
            "Enter the phone number as 10 or 11 digits starting with 0 "
            "(e.g. 03-3993-1111, 090-1234-5678).",
        ),
        (
            "full_name_kana",
            "Hanako",
            "フリガナはカタカナまたはひらがなで入力してください。",
            "Enter the reading in katakana or hiragana.",
        ),
    ],
)
def test_bad_details_are_explained_per_field_in_japanese_and_english(field, value, ja, en):
    details = {
        "full_name": "練馬 花子",
        "full_name_kana": "ネリマ ハナコ",
        "email": "hanako@example.jp",
        "phone": "09012345678",
    } | {field: value}
    with pytest.raises(ValidationError) as caught:
        services.clean_registrant(**details)
    errors = caught.value.error_dict
    assert list(errors) == [field]
    with translation.override("ja"):
        assert errors[field][0].messages == [ja]
    with translation.override("en"):
        assert ValidationError(errors[field]).messages == [en]


def test_registration_outside_the_window_or_after_the_start_is_refused():
    now = timezone.now()
    closed = SessionFactory(registration_closes_at=now - dt.timedelta(hours=1))
    not_open = SessionFactory(registration_opens_at=now + dt.timedelta(days=1))
    started = SessionFactory(
        starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1)
    )
    cancelled = SessionFactory(status=Session.Status.CANCELLED)
    hidden = SessionFactory(event__published=False)
    expected = {
        closed: "closed",
        not_open: "not_open",
        started: "session_started",
        cancelled: "session_cancelled",
        hidden: "not_published",
    }
    for session, code in expected.items():
        with pytest.raises(ValidationError) as caught:
            sign_up(session, person())
        assert caught.value.code == code
    with pytest.raises(ValidationError) as caught:
        sign_up(closed, person())
    with translation.override("en"):
        assert caught.value.messages == ["Registration for this session has closed."]


def test_staff_may_take_a_sign_up_after_the_window_but_not_after_the_start(official):
    session = SessionFactory(registration_closes_at=timezone.now() - dt.timedelta(hours=1))
    outcome = services.staff_register(
        session_id=session.pk, registrant=person(), seats=1, actor=official
    )
    assert outcome.registration.source == Registration.Source.STAFF
    assert outcome.registration.status == Registration.Status.CONFIRMED


def test_a_cancellation_offers_the_seat_to_the_next_person_in_their_language():
    session = SessionFactory(capacity=1, event__offer_hours=24)
    holder = sign_up(session, person(1))
    first_waiting = sign_up(session, person(2, language="en"))
    second_waiting = sign_up(session, person(3))
    mail.outbox.clear()
    before = timezone.now()
    services.cancel_registration(registration_id=holder.pk)
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == Registration.Status.OFFERED
    assert before + dt.timedelta(hours=23) < first_waiting.offer_expires_at
    assert second_waiting.status == Registration.Status.WAITLISTED
    offer = next(m for m in mail.outbox if m.to == [first_waiting.email])
    assert offer.subject == f"[Seat available] {session.event.title}"
    assert "/en/events/r/" in offer.body
    assert_counter_true(session)


def test_the_offered_person_claims_the_seat():
    session = SessionFactory(capacity=1)
    holder = sign_up(session, person(1))
    waiting = sign_up(session, person(2))
    services.cancel_registration(registration_id=holder.pk)
    claimed = services.claim_offer(registration_id=waiting.pk)
    assert claimed.status == Registration.Status.CONFIRMED
    # Claiming again (a second click) changes nothing.
    assert services.claim_offer(registration_id=waiting.pk).status == "confirmed"
    assert_counter_true(session)


def test_an_unclaimed_offer_lapses_and_passes_to_the_next_person():
    session = SessionFactory(capacity=1, event__offer_hours=2)
    holder = sign_up(session, person(1))
    first = sign_up(session, person(2))
    second = sign_up(session, person(3))
    services.cancel_registration(registration_id=holder.pk)
    later = timezone.now() + dt.timedelta(hours=3)
    assert services.expire_offers(now=later) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.OFFER_EXPIRED
    assert second.status == Registration.Status.OFFERED
    with pytest.raises(ValidationError) as caught:
        services.claim_offer(registration_id=first.pk, now=later)
    assert caught.value.code == "offer_expired"
    assert_counter_true(session)


def test_claiming_after_the_deadline_is_refused_even_before_the_job_ran():
    session = SessionFactory(capacity=1, event__offer_hours=1)
    holder = sign_up(session, person(1))
    waiting = sign_up(session, person(2))
    services.cancel_registration(registration_id=holder.pk)
    with pytest.raises(ValidationError) as caught:
        services.claim_offer(registration_id=waiting.pk, now=timezone.now() + dt.timedelta(hours=2))
    assert caught.value.code == "offer_expired"


def test_an_offer_never_outlives_the_session_start():
    session = SessionFactory(capacity=1, starts_at=in_days(0.5, 23), event__offer_hours=48)
    holder = sign_up(session, person(1))
    waiting = sign_up(session, person(2))
    services.cancel_registration(registration_id=holder.pk)
    waiting.refresh_from_db()
    assert waiting.offer_expires_at == session.starts_at


def test_a_person_leaves_the_waitlist_and_cancelling_twice_is_harmless():
    session = SessionFactory(capacity=1)
    sign_up(session, person(1))
    waiting = sign_up(session, person(2))
    first = services.cancel_registration(registration_id=waiting.pk)
    second = services.cancel_registration(registration_id=waiting.pk)
    assert first.changed
    assert not second.changed
    assert second.registration.status == Registration.Status.CANCELLED
    assert_counter_true(session)


def test_after_the_start_only_staff_can_cancel(official):
    session = SessionFactory()
    registration = sign_up(session, person())
    later = session.starts_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as caught:
        services.cancel_registration(registration_id=registration.pk, now=later)
    assert caught.value.code == "cannot_cancel_started"
    services.cancel_registration(
        registration_id=registration.pk, actor=official, by_staff=True, now=later
    )


def test_raising_the_capacity_offers_seats_and_lowering_it_below_taken_is_refused(official):
    session = SessionFactory(capacity=1)
    sign_up(session, person(1))
    waiting = sign_up(session, person(2))
    session.capacity = 2
    services.save_session(session=session, actor=official)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED
    session.refresh_from_db()
    session.capacity = 1
    with pytest.raises(ValidationError) as caught:
        services.save_session(session=session, actor=official)
    assert caught.value.code == "capacity_below_taken"


def test_the_database_refuses_to_oversell_and_to_double_register():
    session = SessionFactory(capacity=2)
    registration = sign_up(session, person(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(seats_taken=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            session=session,
            status=Registration.Status.WAITLISTED,
            full_name="二重",
            email=registration.email,
        )
    # A cancelled registration does not block signing up again.
    services.cancel_registration(registration_id=registration.pk)
    again = services.register(session_id=session.pk, registrant=person(1))
    assert again.created


def test_reminders_go_once_to_confirmed_people_within_the_reminder_time():
    soon = SessionFactory(starts_at=in_days(1, 14), event__reminder_hours=48)
    later = SessionFactory(starts_at=in_days(10, 14), event__reminder_hours=48)
    confirmed = sign_up(soon, person(1, language="ko"))
    soon.capacity = 1
    soon.save()
    waiting = sign_up(soon, person(2))
    sign_up(later, person(3))
    mail.outbox.clear()
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    assert [m.to for m in mail.outbox] == [[confirmed.email]]
    with translation.override("ko"):
        assert (
            mail.outbox[0].subject
            == f"{translation.gettext('【開催のお知らせ】')}{soon.event.title}"
        )
    waiting.refresh_from_db()
    assert waiting.reminder_sent_at is None


def test_cancelling_a_session_tells_everyone_and_frees_the_room(official):
    session = SessionFactory(capacity=1)
    sign_up(session, person(1))
    sign_up(session, person(2))
    mail.outbox.clear()
    assert services.cancel_session(session_id=session.pk, actor=official) == 2
    assert set(statuses(session)) == {"cancelled"}
    assert len(mail.outbox) == 2
    assert all(m.subject.startswith("【中止のお知らせ】") for m in mail.outbox)
    assert_counter_true(session)


def test_copying_an_event_moves_its_sessions_and_leaves_registrations_behind(official):
    event = EventFactory(group_limit=2)
    session = SessionFactory(event=event, areas=["management", "finance"])
    sign_up(session, person())
    copy = services.copy_event(event_id=event.pk, actor=official, shift_days=364)
    assert not copy.published
    assert copy.group_limit == 2
    assert copy.pk != event.pk
    new_session = copy.sessions.get()
    assert new_session.starts_at == session.starts_at + dt.timedelta(days=364)
    assert new_session.seats_taken == 0
    assert new_session.registrations.count() == 0
    assert {a.area for a in new_session.areas.all()} == {"management", "finance"}


def test_email_subjects_and_bodies_are_plain_text_not_html_escaped():
    session = SessionFactory(event__title="M&A・事業承継「入門」<初級>")
    sign_up(session, person(1, full_name="O'Brien & 花子"))
    message = mail.outbox[-1]
    assert message.subject == "【申込確定】M&A・事業承継「入門」<初級>"
    assert "O'Brien & 花子 様" in message.body
    assert "&amp;" not in message.body

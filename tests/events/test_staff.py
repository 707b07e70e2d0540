"""Staff run events: create and copy them, manage sessions and the waitlist, check people in
(print, tablet, QR), message registrants and export lists. Only officials may."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shoko.events import links
from shoko.events.models import (
    Certificate,
    ConsultationBooking,
    Event,
    Question,
    Registration,
    Series,
    Session,
)
from tests.events.factories import (
    ConsultationSlotFactory,
    EventFactory,
    QuestionFactory,
    SeriesFactory,
    SessionFactory,
    VenueFactory,
    past_session,
    person,
    registered,
    running_session,
    sign_up,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

OFFICIAL = ("admin", "economy_staff", "commerce_staff")


@pytest.fixture
def world(make_user):
    """One of everything the staff pages show."""
    series = SeriesFactory()
    event = EventFactory(series=series)
    session = SessionFactory(event=event)
    registration = sign_up(session)
    question = QuestionFactory(event=event)
    certificate = Certificate.objects.create(
        series=series,
        fiscal_year=2026,
        serial=1,
        holder_name="証明 花子",
        holder_email="c@example.jp",
        issued_on=dt.date(2026, 6, 1),
    )
    consultant = make_user("consultant")
    slot = ConsultationSlotFactory(consultant=consultant)
    booking = ConsultationBooking.objects.create(slot=slot, organisation=OrganisationFactory())
    return {
        "series": series,
        "event": event,
        "session": session,
        "registration": registration,
        "question": question,
        "certificate": certificate,
        "venue": event.venue,
        "slot": slot,
        "booking": booking,
        "consultant": consultant,
    }


def staff_event_urls(w) -> list[str]:
    e, s = w["event"].pk, w["session"].pk
    return [
        reverse("events:staff-calendar"),
        reverse("events:staff-events-xlsx"),
        reverse("events:staff-event-new"),
        reverse("events:staff-event", args=[e]),
        reverse("events:staff-event-edit", args=[e]),
        reverse("events:staff-event-copy", args=[e]),
        reverse("events:staff-message", args=[e]),
        reverse("events:staff-event-survey", args=[e]),
        reverse("events:staff-event-xlsx", args=[e]),
        reverse("events:staff-session-new", args=[e]),
        reverse("events:staff-question-new", args=["event", e]),
        reverse("events:staff-question-new", args=["series", w["series"].pk]),
        reverse("events:staff-session", args=[s]),
        reverse("events:staff-session-edit", args=[s]),
        reverse("events:staff-session-xlsx", args=[s]),
        reverse("events:staff-checkin", args=[s]),
        reverse("events:staff-checkin-lookup"),
        reverse("events:staff-checkin-token", args=[w["registration"].token]),
        reverse("events:staff-series-list"),
        reverse("events:staff-series-new"),
        reverse("events:staff-series", args=[w["series"].pk]),
        reverse("events:staff-series-edit", args=[w["series"].pk]),
        reverse("events:staff-series-copy", args=[w["series"].pk]),
        reverse("events:staff-certificates"),
        reverse("events:staff-certificate-pdf", args=[w["certificate"].pk]),
        reverse("events:staff-venues"),
        reverse("events:staff-venue-new"),
        reverse("events:staff-venue-edit", args=[w["venue"].pk]),
        reverse("events:staff-surveys"),
    ]


def consultation_urls(w) -> list[str]:
    return [
        reverse("events:staff-consultations"),
        reverse("events:staff-slot-new"),
        reverse("events:staff-slot-edit", args=[w["slot"].pk]),
        reverse("events:staff-booking", args=[w["booking"].pk]),
        reverse("events:staff-consultations-xlsx"),
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("economy_staff", 200),
        ("commerce_staff", 200),
        ("consultant", 403),
        ("judge", 403),
        ("business_member", 403),
        (None, 403),
    ],
)
def test_event_back_office_pages_are_for_officials(client, make_user, world, role, expected):
    client.force_login(make_user(role))
    statuses = {url: client.get(url).status_code for url in staff_event_urls(world)}
    assert set(statuses.values()) == {expected}, statuses


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("economy_staff", 200),
        ("consultant", 200),  # their own slot and booking
        ("judge", 403),
        ("business_member", 403),
    ],
)
def test_consultation_pages_are_for_officials_and_consultants(
    client, make_user, world, role, expected
):
    user = world["consultant"] if role == "consultant" else make_user(role)
    client.force_login(user)
    statuses = {url: client.get(url).status_code for url in consultation_urls(world)}
    assert set(statuses.values()) == {expected}, statuses


def test_a_consultant_cannot_open_another_consultants_slot_or_booking(client, make_user, world):
    client.force_login(make_user("consultant"))
    assert client.get(reverse("events:staff-slot-edit", args=[world["slot"].pk])).status_code == 404
    assert (
        client.get(reverse("events:staff-booking", args=[world["booking"].pk])).status_code == 404
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in staff_event_urls(world) + consultation_urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]


def test_posts_by_the_wrong_role_change_nothing(client, make_user, world):
    client.force_login(make_user("business_member"))
    session = world["session"]
    assert client.post(reverse("events:staff-session-cancel", args=[session.pk])).status_code == 403
    assert (
        client.post(
            reverse("events:staff-series", args=[world["series"].pk]), {"email": "x@example.jp"}
        ).status_code
        == 403
    )
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


# --- Creating and copying ------------------------------------------------------------------------


def test_an_official_creates_an_event_with_a_session_and_areas(client, official):
    client.force_login(official)
    venue = VenueFactory()
    response = client.post(
        reverse("events:staff-event-new"),
        {
            "title_ja": "創業セミナー 秋",
            "title_en": "Startup Seminar, Autumn",
            "title_kana": "そうぎょうせみなー",
            "kind": "seminar",
            "programme": "startup",
            "plan_item": "13-1(1)",
            "organiser_division": "economy",
            "venue": venue.pk,
            "fee": "１，０００円",
            "group_limit": "2",
            "offer_hours": "24",
            "reminder_hours": "48",
            "contact_phone": "０３－５９８４－１１１１",
            "published": "on",
        },
    )
    event = Event.objects.get()
    assert response["Location"] == reverse("events:staff-event", args=[event.pk])
    assert event.fee == 1000
    assert event.title_kana == "ソウギョウセミナー"
    assert event.contact_phone == "0359841111"
    assert event.created_by == official
    day = timezone.localdate() + dt.timedelta(days=30)
    client.post(
        reverse("events:staff-session-new", args=[event.pk]),
        {
            "day": day.isoformat(),
            "start_time": "18:30",
            "end_time": "20:30",
            "capacity": "30",
            "label": "第1回 経営",
            "areas": ["management"],
        },
    )
    session = event.sessions.get()
    assert [a.area for a in session.areas.all()] == ["management"]
    assert timezone.localtime(session.starts_at).hour == 18


def test_the_event_form_explains_bad_input(client, official):
    client.force_login(official)
    response = client.post(
        reverse("events:staff-event-new"),
        {
            "title_ja": "見本",
            "kind": "seminar",
            "programme": "startup",
            "organiser_division": "economy",
            "organiser_organisation": OrganisationFactory().pk,
            "fee": "千円くらい",
            "group_limit": "1",
            "offer_hours": "24",
            "reminder_hours": "48",
        },
    )
    page = response.content.decode()
    assert "金額は「1000」「１，０００円」のように入力してください。" in page
    assert "主催は、区の担当課か団体・事業者のどちらか一つを選んでください。" in page
    assert Event.objects.count() == 0


def test_a_session_that_ends_before_it_starts_is_refused(client, official):
    client.force_login(official)
    event = EventFactory()
    response = client.post(
        reverse("events:staff-session-new", args=[event.pk]),
        {"day": "2030-05-01", "start_time": "15:00", "end_time": "14:00", "capacity": "10"},
    )
    assert "終了時刻は開始時刻より後にしてください。" in response.content.decode()


def test_lowering_the_capacity_below_the_seats_taken_is_refused_on_the_page(client, official):
    client.force_login(official)
    session = SessionFactory(capacity=3)
    for n in range(3):
        sign_up(session, person(n))
    local = timezone.localtime(session.starts_at)
    response = client.post(
        reverse("events:staff-session-edit", args=[session.pk]),
        {
            "day": local.date().isoformat(),
            "start_time": local.strftime("%H:%M"),
            "end_time": timezone.localtime(session.ends_at).strftime("%H:%M"),
            "capacity": "2",
        },
    )
    assert "定員は、すでに確保されている席数（3人）より少なくできません。" in (
        response.content.decode()
    )


def test_copying_a_series_for_next_year(client, official):
    client.force_login(official)
    series = SeriesFactory()
    QuestionFactory(series=series, purpose=Question.Purpose.SURVEY, type="yes_no")
    for area in ("management", "finance"):
        SessionFactory(event=EventFactory(series=series), areas=[area])
    response = client.post(
        reverse("events:staff-series-copy", args=[series.pk]), {"shift_days": "364"}
    )
    copy = Series.objects.exclude(pk=series.pk).get()
    assert response["Location"] == reverse("events:staff-series", args=[copy.pk])
    assert copy.events.count() == 2
    assert copy.questions.count() == 1
    assert not copy.events.filter(published=True).exists()


def test_adding_and_deleting_a_question(client, official):
    client.force_login(official)
    event = EventFactory()
    client.post(
        reverse("events:staff-question-new", args=["event", event.pk]),
        {"purpose": "signup", "type": "choice", "label_ja": "きっかけ", "choices_ja": ""},
    )
    assert event.questions.count() == 0  # a choice question needs its choices
    client.post(
        reverse("events:staff-question-new", args=["event", event.pk]),
        {"purpose": "signup", "type": "choice", "label_ja": "きっかけ", "choices_ja": "区報\nSNS"},
    )
    question = event.questions.get()
    client.post(reverse("events:staff-question-delete", args=[question.pk]))
    assert event.questions.count() == 0


# --- Registrants and the waitlist ----------------------------------------------------------------


def test_the_registrant_list_shows_the_waitlist_in_order(client, official):
    client.force_login(official)
    session = SessionFactory(capacity=1)
    sign_up(session, person(1, full_name="一番 確定"))
    sign_up(session, person(2, full_name="二番 待ち"))
    sign_up(session, person(3, full_name="三番 待ち"))
    page = client.get(reverse("events:staff-session", args=[session.pk])).content.decode()
    assert page.index("一番 確定") < page.index("二番 待ち") < page.index("三番 待ち")


def test_staff_take_a_phone_sign_up_and_cancel_one(client, official):
    client.force_login(official)
    session = SessionFactory(registration_closes_at=timezone.now() - dt.timedelta(hours=1))
    client.post(
        reverse("events:staff-session", args=[session.pk]),
        {
            "action": "add",
            "full_name": "電話 申込",
            "email": "phone@example.jp",
            "seats": "1",
            "language": "ko",
        },
    )
    registration = Registration.objects.get()
    assert registration.source == Registration.Source.STAFF
    assert registration.language == "ko"
    client.post(
        reverse("events:staff-session", args=[session.pk]),
        {"action": "cancel", "registration": registration.pk},
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_the_registrant_pages_cost_the_same_for_more_people(
    client, official, django_assert_max_num_queries
):
    client.force_login(official)
    session = SessionFactory(capacity=40)
    for n in range(3):
        sign_up(session, person(n))
    urls = [
        reverse("events:staff-session", args=[session.pk]),
        reverse("events:staff-checkin", args=[session.pk]),
        reverse("events:staff-event", args=[session.event_id]),
        reverse("events:staff-calendar"),
        reverse("events:staff-series-list"),
        reverse("events:staff-venues"),
        reverse("events:staff-certificates"),
        reverse("events:staff-surveys"),
    ]
    for url in urls:
        with django_assert_max_num_queries(14):
            client.get(url)
    for n in range(3, 40):
        sign_up(session, person(n))
    for _ in range(10):
        SessionFactory(event=EventFactory(series=SeriesFactory()))
    for url in urls:
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_registrants_export_to_xlsx(client, official):
    client.force_login(official)
    session = SessionFactory()
    sign_up(session, person(1, full_name="練馬 花子", phone="09011112222"))
    response = client.get(reverse("events:staff-session-xlsx", args=[session.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][4] == "氏名"
    assert rows[1][4] == "練馬 花子"
    assert rows[1][7] == "09011112222"
    assert rows[1][2] == "申込確定"


def test_the_events_export_lists_the_fiscal_years_sessions(client, official):
    client.force_login(official)
    session = past_session(days_ago=10, event__title="見本市")
    registered(session, attendance="attended")
    registered(session, attendance="no_show")
    fy = session.fiscal_year.year
    response = client.get(reverse("events:staff-events-xlsx"), {"fy": fy})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][2] == "見本市"
    assert rows[1][11] == 1  # one attended


def test_messages_reach_registrants_in_their_own_language(client, official):
    client.force_login(official)
    session = SessionFactory(capacity=1)
    sign_up(session, person(1, language="en"))
    sign_up(session, person(2, language="ja"))  # waitlisted
    mail.outbox.clear()
    client.post(
        reverse("events:staff-message", args=[session.event_id]),
        {"audience": "all", "subject": "会場変更のお知らせ", "body": "会場が3階に変わりました。"},
    )
    assert len(mail.outbox) == 2
    english = next(m for m in mail.outbox if m.to == ["taro1@example.jp"])
    assert english.subject == "会場変更のお知らせ"
    assert "会場が3階に変わりました。" in english.body
    assert "View or cancel your registration" in english.body
    nobody = client.post(
        reverse("events:staff-message", args=[session.event_id]),
        {"audience": "waitlisted", "subject": "x", "body": "y", "session": ""},
    )
    assert nobody.status_code == 302  # one person waits
    cancelled_only = SessionFactory()
    response = client.post(
        reverse("events:staff-message", args=[cancelled_only.event_id]),
        {"audience": "confirmed", "subject": "x", "body": "y"},
    )
    assert "送信先となる申込者がいません。" in response.content.decode()


def test_cancelling_a_session_from_the_back_office(client, official):
    client.force_login(official)
    session = SessionFactory()
    sign_up(session)
    client.post(reverse("events:staff-session-cancel", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    response = client.post(reverse("events:staff-session-delete", args=[session.pk]), follow=True)
    assert "申込のある回は削除できません。中止にしてください。" in response.content.decode()


# --- Check-in ------------------------------------------------------------------------------------


def test_the_tablet_checks_a_person_in_with_htmx(client, official):
    client.force_login(official)
    registration = registered(running_session(), full_name="受付 太郎")
    response = client.post(
        reverse("events:staff-checkin", args=[registration.session_id]),
        {"registration": registration.pk, "action": "attended"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="reg-{registration.pk}"' in response.content.decode()
    assert "is-attended" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attendance == Registration.Attendance.ATTENDED
    assert registration.checked_in_by == official


def test_the_printed_list_names_everyone_confirmed(client, official):
    client.force_login(official)
    session = running_session(capacity=5)
    for n in range(3):
        registered(session, n, full_name=f"名簿 {n}")
    page = client.get(reverse("events:staff-checkin", args=[session.pk])).content.decode()
    assert all(f"名簿 {n}" in page for n in range(3))
    assert "window.print()" in page


def test_checking_in_before_the_day_or_a_waitlisted_person_is_refused(client, official):
    client.force_login(official)
    future = SessionFactory(capacity=1)
    early = sign_up(future, person(1))
    waiting = sign_up(future, person(2))
    for registration, message in (
        (early, "受付は開催日の当日から行えます。"),
        (waiting, "申込が確定していない方は受付できません。"),
    ):
        response = client.post(
            reverse("events:staff-checkin-token", args=[registration.token]), follow=True
        )
        assert message in response.content.decode()


def test_the_qr_code_on_the_confirmation_opens_check_in(client, official):
    registration = registered(running_session())
    page = client.get(
        reverse("events:registration", args=[links.sign_registration(registration)])
    ).content.decode()
    assert "<svg" in page
    client.force_login(official)
    lookup = client.post(
        reverse("events:staff-checkin-lookup"),
        {"code": f"http://testserver/staff/events/checkin/{registration.token}/"},
    )
    assert lookup["Location"] == reverse("events:staff-checkin-token", args=[registration.token])
    client.post(lookup["Location"])
    again = client.post(lookup["Location"], follow=True)
    assert "すでに受付済みです。" in again.content.decode()
    missing = client.post(reverse("events:staff-checkin-lookup"), {"code": "ＸＹＺ"})
    assert "この確認コードの申込は見つかりません。" in missing.content.decode()


def test_no_shows_are_recorded_after_the_session(client, official):
    client.force_login(official)
    session = past_session(days_ago=1)
    came = registered(session, 1, attendance="attended")
    absent = registered(session, 2)
    client.post(reverse("events:staff-checkin", args=[session.pk]), {"action": "no_shows"})
    absent.refresh_from_db()
    came.refresh_from_db()
    assert absent.attendance == Registration.Attendance.NO_SHOW
    assert came.attendance == Registration.Attendance.ATTENDED
    running = running_session()
    response = client.post(
        reverse("events:staff-checkin", args=[running.pk]), {"action": "no_shows"}, follow=True
    )
    assert "欠席の記録は、回の終了後に行えます。" in response.content.decode()


def test_forged_form_values_are_not_found_rather_than_errors(client, official):
    client.force_login(official)
    session = SessionFactory()
    other = sign_up(SessionFactory())
    for value in ("abc", "", "1 OR 1=1", str(other.pk)):
        for url, action in (
            (reverse("events:staff-session", args=[session.pk]), "cancel"),
            (reverse("events:staff-checkin", args=[session.pk]), "attended"),
        ):
            response = client.post(url, {"action": action, "registration": value})
            assert response.status_code == 404, (url, value)
    other.refresh_from_db()
    assert other.status == Registration.Status.CONFIRMED
    assert client.get(f"/staff/events/venue/{session.event_id}/questions/new/").status_code == 404

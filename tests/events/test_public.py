"""A visitor finds an event, registers without an account, gets the email in their language,
and uses its signed link to view, cancel or claim a freed seat."""

from __future__ import annotations

import datetime as dt
import json
import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from shoko.events import links, services
from shoko.events.models import Kind, Registration
from tests.events.factories import EventFactory, SessionFactory, in_days, person, sign_up

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "練馬 花子",
    "full_name_kana": "ねりま はなこ",
    "email": "hanako@example.jp",
    "phone": "０９０－１２３４－５６７８",
    "seats": "1",
    "consent": "on",
}


def link_in(message) -> str:
    """The path of the registration link in an email."""
    url = re.search(r"https?://\S+/events/r/\S+/", message.body).group(0)
    return "/" + url.split("/", 3)[3]


# --- Finding events ------------------------------------------------------------------------------


def test_the_list_shows_published_events_still_to_come(client):
    upcoming = SessionFactory(event__title="創業セミナー 春")
    SessionFactory(event__title="非公開の講座", event__published=False)
    SessionFactory(
        event__title="終わった講座",
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3) + dt.timedelta(hours=2),
    )
    page = client.get(reverse("events:list")).content.decode()
    assert upcoming.event.title in page
    assert "非公開の講座" not in page
    assert "終わった講座" not in page


def test_the_list_filters_by_kind_and_date(client):
    SessionFactory(event__title="まちゼミ パン", event__kind=Kind.MACHI_ZEMI, starts_at=in_days(3))
    SessionFactory(event__title="創業セミナー 夏", starts_at=in_days(20))
    by_kind = client.get(reverse("events:list"), {"kind": "machi_zemi"}).content.decode()
    assert "まちゼミ パン" in by_kind
    assert "創業セミナー 夏" not in by_kind
    soon = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    by_date = client.get(reverse("events:list"), {"date_to": soon}).content.decode()
    assert "まちゼミ パン" in by_date
    assert "創業セミナー 夏" not in by_date


def test_a_backwards_date_range_is_explained(client):
    response = client.get(
        reverse("events:list"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert "開始日は終了日より前の日付にしてください。" in response.content.decode()


def test_the_list_costs_the_same_queries_for_three_or_thirty_events(
    client, django_assert_max_num_queries
):
    for _ in range(3):
        SessionFactory(areas=["management"])
    with django_assert_max_num_queries(8):
        client.get(reverse("events:list"))
    for _ in range(27):
        SessionFactory(areas=["finance"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("events:list"))
    assert response.content.decode().count('class="card event-card"') == 20


def test_the_calendar_shows_the_month_and_a_list_for_phones(client, django_assert_max_num_queries):
    session = SessionFactory(starts_at=in_days(2))
    cancelled = SessionFactory(starts_at=in_days(2), status="cancelled", event__title="中止回")
    month = session.local_date.strftime("%Y-%m")
    with django_assert_max_num_queries(6):
        page = client.get(reverse("events:calendar"), {"month": month}).content.decode()
    assert page.count(session.event.title) >= 2  # grid and list
    assert cancelled.event.title not in page
    for _ in range(15):
        SessionFactory(starts_at=session.starts_at)
    with django_assert_max_num_queries(6):
        client.get(reverse("events:calendar"), {"month": month})
    for month in ("no-such", "9999-12", "2026-13", "0-1", "２０２６-０５"):
        assert client.get(reverse("events:calendar"), {"month": month}).status_code == 200


def test_the_event_page_carries_schema_org_json_ld(client):
    session = SessionFactory(capacity=10, event__fee=500)
    page = client.get(reverse("events:detail", args=[session.event_id])).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    assert data[0]["@type"] == "Event"
    assert data[0]["startDate"].endswith("+09:00")
    assert data[0]["location"]["address"]["postalCode"] == "176-8501"
    assert data[0]["location"]["geo"]["latitude"] == pytest.approx(35.735623)
    assert data[0]["offers"]["price"] == 500
    assert data[0]["offers"]["priceCurrency"] == "JPY"
    assert data[0]["remainingAttendeeCapacity"] == 10


def test_a_title_cannot_break_out_of_the_json_ld(client):
    event = EventFactory(title="</script><script>alert(1)</script>")
    SessionFactory(event=event)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "<script>alert(1)" not in page


def test_unpublished_or_unknown_events_are_not_found(client):
    hidden = SessionFactory(event__published=False)
    assert client.get(reverse("events:detail", args=[hidden.event_id])).status_code == 404
    assert client.get(reverse("events:register", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("events:detail", args=[999999])).status_code == 404


# --- Registering ----------------------------------------------------------------------------------


def test_a_visitor_registers_and_the_email_link_opens_their_registration(client):
    session = SessionFactory()
    response = client.post(reverse("events:register", args=[session.pk]), FORM)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.phone == "09012345678"
    assert registration.full_name_kana == "ネリマ ハナコ"
    assert registration.language == "ja"
    message = mail.outbox[-1]
    assert message.subject == f"【申込確定】{session.event.title}"
    assert "練馬 花子 様" in message.body
    page = client.get(link_in(message))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code for check-in
    assert registration.token in page.content.decode()


def test_an_english_visitor_gets_english_email_and_english_links(client):
    session = SessionFactory()
    form = FORM | {"full_name_kana": ""}  # no katakana reading needed outside Japanese
    client.post(f"/en/events/sessions/{session.pk}/register/", form)
    message = mail.outbox[-1]
    assert message.subject == f"[Registration confirmed] {session.event.title}"
    assert "Dear 練馬 花子," in message.body
    assert "/en/events/r/" in message.body
    assert "Your registration" in client.get(link_in(message)).content.decode()


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", "メールアドレスの形式が正しくありません（例: taro@example.jp）。"),
        ("/en", "The email address is not valid (for example: taro@example.jp)."),
    ],
)
def test_an_invalid_email_is_explained_in_the_page_language(client, prefix, expected):
    session = SessionFactory()
    response = client.post(
        f"{prefix}/events/sessions/{session.pk}/register/", FORM | {"email": "hanako@"}
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert Registration.objects.count() == 0


def test_a_group_over_the_limit_and_a_missing_consent_are_refused(client):
    session = SessionFactory(event__group_limit=2)
    response = client.post(reverse("events:register", args=[session.pk]), FORM | {"seats": "３"})
    assert "1件の申込でお申し込みいただける人数は2人までです。" in response.content.decode()
    response = client.post(
        reverse("events:register", args=[session.pk]),
        {k: v for k, v in FORM.items() if k != "consent"},
    )
    assert response.status_code == 200
    assert Registration.objects.count() == 0


def test_registration_after_the_window_is_refused_with_a_message(client):
    session = SessionFactory(registration_closes_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(reverse("events:register", args=[session.pk])).content.decode()
    assert "この回は現在申込を受け付けていません。" in page
    response = client.post(reverse("events:register", args=[session.pk]), FORM)
    assert "この回の申込受付は締め切りました。" in response.content.decode()


def test_a_double_clicked_submit_lands_on_the_same_registration(client):
    session = SessionFactory()
    first = client.post(reverse("events:register", args=[session.pk]), FORM)
    second = client.post(reverse("events:register", args=[session.pk]), FORM)
    assert first["Location"] == second["Location"]
    assert Registration.objects.count() == 1


def test_someone_else_typing_a_registered_address_gets_no_link(client):
    session = SessionFactory()
    sign_up(session, person(email="hanako@example.jp"))
    response = client.post(reverse("events:register", args=[session.pk]), FORM, follow=True)
    page = response.content.decode()
    assert str(services.ALREADY_REGISTERED) in page
    assert "/events/r/" not in page
    assert Registration.objects.count() == 1


def test_a_full_session_puts_the_visitor_on_the_waitlist(client):
    session = SessionFactory(capacity=1)
    sign_up(session)
    page = client.get(reverse("events:register", args=[session.pk])).content.decode()
    assert "キャンセル待ちに申し込む" in page
    response = client.post(reverse("events:register", args=[session.pk]), FORM, follow=True)
    assert "キャンセル待ちの1番目です。" in response.content.decode()


# --- The emailed link ----------------------------------------------------------------------------


def test_a_forged_or_truncated_link_is_not_found_with_a_clear_message(client):
    registration = sign_up(SessionFactory())
    signed = links.sign_registration(registration)
    for bad in (signed[:-3] + "abc", signed.split(".")[0], "nonsense"):
        response = client.get(reverse("events:registration", args=[bad]))
        assert response.status_code == 404
        assert "このリンクは無効です。" in response.content.decode()
    response = client.get(f"/en/events/r/{signed[:-2]}xx/")
    assert "This link is not valid." in response.content.decode()


def test_an_expired_link_says_so(client):
    registration = sign_up(SessionFactory())
    long_ago = timezone.now().timestamp() - links.LINK_MAX_AGE_SECONDS - 3600
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        signed = links.sign_registration(registration)
    response = client.get(reverse("events:registration", args=[signed]))
    assert response.status_code == 404
    assert "このリンクは有効期限が切れています。" in response.content.decode()


def test_cancelling_by_link_offers_the_seat_and_the_next_person_claims_it(client):
    session = SessionFactory(capacity=1)
    holder = sign_up(session, person(1))
    waiting = sign_up(session, person(2, language="en"))
    mail.outbox.clear()
    page = reverse("events:registration", args=[links.sign_registration(holder)])
    client.post(page, {"action": "cancel"})
    holder.refresh_from_db()
    assert holder.status == Registration.Status.CANCELLED
    offer = next(m for m in mail.outbox if m.to == [waiting.email])
    assert offer.subject.startswith("[Seat available]")
    claim = client.post(link_in(offer), {"action": "claim"}, follow=True)
    assert "Your place is confirmed." in claim.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    # Cancelling twice is harmless and says so.
    again = client.post(page, {"action": "cancel"}, follow=True)
    assert str(services.ALREADY_CANCELLED) in again.content.decode()


def test_a_link_stops_working_once_its_registration_is_anonymised(client):
    session = SessionFactory(
        starts_at=timezone.now() - dt.timedelta(days=400),
        ends_at=timezone.now() - dt.timedelta(days=400) + dt.timedelta(hours=2),
    )
    registration = Registration.objects.create(
        session=session, status="confirmed", full_name="古い 申込", email="old@example.jp"
    )
    signed = links.sign_registration(registration)
    services.anonymise_registrations(retention_days=365)
    assert client.get(reverse("events:registration", args=[signed])).status_code == 404


def test_an_unknown_action_is_a_bad_request(client):
    registration = sign_up(SessionFactory())
    page = reverse("events:registration", args=[links.sign_registration(registration)])
    assert client.post(page, {"action": "delete-everything"}).status_code == 400


def test_signing_uses_its_own_salt():
    registration = sign_up(SessionFactory())
    survey_link = links.sign_registration(registration, salt=links.SURVEY_SALT)
    with pytest.raises(links.LinkInvalid):
        links.registration_from_signed(survey_link)


# --- Rate limit ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", "短い時間に多くの申込がありました。"),
        ("/en", "Too many registrations in a short time."),
    ],
)
def test_too_many_submissions_from_one_address_get_a_translated_429(
    client, settings, prefix, expected
):
    from shoko.events.ratelimit import Limit

    settings.SHOKO_EVENTS_RATE_LIMITS = {"address_session": Limit(2, 600)}
    session = SessionFactory()
    url = f"{prefix}/events/sessions/{session.pk}/register/"
    for n in range(2):
        assert client.post(url, FORM | {"email": f"p{n}@example.jp"}).status_code == 302
    response = client.post(url, FORM | {"email": "p3@example.jp"})
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert expected in response.content.decode()
    # Another address is not held back.
    other = client.post(url, FORM | {"email": "p4@example.jp"}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


def test_the_limit_per_address_covers_every_session(client, settings):
    from shoko.events.ratelimit import Limit

    settings.SHOKO_EVENTS_RATE_LIMITS = {"address": Limit(3, 600)}
    sessions = [SessionFactory() for _ in range(4)]
    codes = [
        client.post(
            reverse("events:register", args=[s.pk]), FORM | {"email": f"q{i}@example.jp"}
        ).status_code
        for i, s in enumerate(sessions)
    ]
    assert codes == [302, 302, 302, 429]


def test_behind_the_proxy_the_forwarded_address_counts(rf, settings):
    from shoko.events.ratelimit import client_address

    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7")
    assert client_address(request) == "10.0.0.1"
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert client_address(request) == "198.51.100.7"


def test_visitors_filter_events_by_area(client):
    from shoko.directory.models import Area
    from tests.events.factories import EventFactory, SessionFactory, VenueFactory

    shakujii = Area.objects.get(code="shakujii")
    near = EventFactory(title_ja="石神井のセミナー", venue=VenueFactory(area=shakujii))
    far = EventFactory(
        title_ja="大泉のセミナー", venue=VenueFactory(area=Area.objects.get(code="oizumi"))
    )
    SessionFactory(event=near)
    SessionFactory(event=far)
    html = client.get("/en/events/", {"area": "shakujii"}).content.decode()
    assert "石神井のセミナー" in html
    assert "大泉のセミナー" not in html
    assert client.get("/events/", {"area": "no-such-area"}).status_code == 200

"""Calendars (RFC 5545, read back with icalendar) and the open-data event list (the Digital
Agency's layout, UTF-8 with BOM, read back with csv)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from shoko.events.documents import OPEN_DATA_COLUMNS
from shoko.events.models import Kind, Session
from tests.events.factories import EventFactory, SessionFactory, in_days
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def test_a_session_downloads_as_a_valid_icalendar_event(client, settings):
    settings.SHOKO_SITE_URL = "https://shoko.example.jp"
    session = SessionFactory(starts_at=in_days(10, 18), label="第1回 経営")
    response = client.get(reverse("events:session-ics", args=[session.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"session-{session.pk}@shoko.example.jp"
    assert event["DTSTAMP"].dt.tzinfo is not None
    start = event["DTSTART"]
    assert start.params["TZID"] == "Asia/Tokyo"
    assert start.dt == session.starts_at.astimezone(TOKYO)
    assert event["DTEND"].dt == session.ends_at.astimezone(TOKYO)
    assert str(event["SUMMARY"]) == f"{session.event.title} 第1回 経営"
    assert "東京都練馬区豊玉北6-12-1" in str(event["LOCATION"])
    assert str(event["URL"]) == f"https://shoko.example.jp/events/{session.event_id}/"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_feed_of_a_kind_holds_its_sessions_and_shows_cancellations(client):
    seminar = SessionFactory(event__kind=Kind.SEMINAR)
    cancelled = SessionFactory(event__kind=Kind.SEMINAR, status=Session.Status.CANCELLED)
    SessionFactory(event__kind=Kind.MACHI_ZEMI)
    SessionFactory(event__kind=Kind.SEMINAR, event__published=False)
    response = client.get(reverse("events:feed", args=["seminar"]))
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"session-{seminar.pk}", f"session-{cancelled.pk}"}
    assert str(events[f"session-{cancelled.pk}"]["STATUS"]) == "CANCELLED"
    assert "セミナー" in str(calendar["X-WR-CALNAME"])
    everything = icalendar.Calendar.from_ical(
        client.get(reverse("events:feed", args=["all"])).content
    )
    assert len(everything.walk("VEVENT")) == 3
    assert client.get("/events/feeds/no-such-kind.ics").status_code == 404


def test_the_feed_costs_the_same_for_more_sessions(client, django_assert_max_num_queries):
    for _ in range(3):
        SessionFactory()
    with django_assert_max_num_queries(3):
        client.get(reverse("events:feed", args=["all"]))
    for _ in range(20):
        SessionFactory()
    with django_assert_max_num_queries(3):
        client.get(reverse("events:feed", args=["all"]))


def test_the_open_data_csv_follows_the_recommended_event_list_layout(client):
    event = EventFactory(
        title="創業セミナー",
        title_en="Startup Seminar",
        title_kana="ソウギョウセミナー",
        fee=0,
        contact_name="練馬区 経済課",
        contact_phone="0359841111",
    )
    session = SessionFactory(
        event=event,
        starts_at=in_days(10, 18),
        capacity=30,
        registration_closes_at=in_days(8, 17),
    )
    SessionFactory(event__published=False)
    response = client.get(reverse("events:open-data"))
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "131202_event.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The event list (イベント一覧) of the standard open data sets, column for column: a site
    # that merges several cities' files reads them by these exact names.
    assert (
        list(rows[0])
        == OPEN_DATA_COLUMNS
        == [
            "全国地方公共団体コード",
            "ID",
            "地方公共団体名",
            "イベント名",
            "イベント名_カナ",
            "イベント名_英字",
            "開始日",
            "終了日",
            "開始時間",
            "終了時間",
            "開始日時特記事項",
            "説明",
            "料金(基本)",
            "料金(詳細)",
            "連絡先名称",
            "連絡先電話番号",
            "連絡先内線番号",
            "主催者",
            "場所名称",
            "住所",
            "方書",
            "緯度",
            "経度",
            "アクセス方法",
            "駐車場情報",
            "定員",
            "参加申込終了日",
            "参加申込終了時間",
            "参加申込方法",
            "URL",
            "備考",
        ]
    )
    assert rows[0]["主催者"] == event.organiser_name
    assert len(rows) == 1
    row = rows[0]
    start = timezone.localtime(session.starts_at)
    assert row["全国地方公共団体コード"] == "131202"
    assert row["ID"] == f"{session.pk:010d}"
    assert row["地方公共団体名"] == "東京都練馬区"
    assert row["イベント名"] == "創業セミナー"
    assert row["イベント名_カナ"] == "ソウギョウセミナー"
    assert row["イベント名_英字"] == "Startup Seminar"
    assert row["開始日"] == start.strftime("%Y-%m-%d")
    assert row["開始時間"] == "18:00"
    assert row["終了時間"] == "20:00"
    assert row["料金(基本)"] == "0"
    assert row["連絡先電話番号"] == "03-5984-1111"
    assert row["場所名称"].startswith("練馬区立区民会館")
    assert row["緯度"] == "35.735623"
    assert row["定員"] == "30"
    assert row["参加申込終了時間"] == "17:00"
    assert row["URL"].endswith(f"/events/{event.pk}/")


def test_the_open_data_of_a_past_fiscal_year_and_a_bad_year(client):
    long_ago = timezone.make_aware(dt.datetime(2019, 6, 1, 14))
    old = SessionFactory(starts_at=long_ago, ends_at=long_ago + dt.timedelta(hours=2))
    rows = client.get(reverse("events:open-data"), {"fy": "2019"}).content.decode("utf-8-sig")
    assert f"{old.pk:010d}" in rows
    assert client.get(reverse("events:open-data"), {"fy": "99999"}).status_code == 404
    assert client.get(reverse("events:open-data"), {"fy": "x"}).status_code == 200


def test_the_open_data_costs_the_same_for_more_sessions(client, django_assert_max_num_queries):
    for _ in range(3):
        SessionFactory()
    with django_assert_max_num_queries(2):
        client.get(reverse("events:open-data"))
    for _ in range(20):
        SessionFactory()
    with django_assert_max_num_queries(2):
        client.get(reverse("events:open-data"))


def test_the_open_data_event_list_marks_cancelled_sessions(client):
    held = SessionFactory(starts_at=in_days(6))
    cancelled = SessionFactory(
        event=held.event, starts_at=in_days(13), status=Session.Status.CANCELLED
    )
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("events:open-data")).content.decode("utf-8-sig"))
        )
    )
    assert {row["ID"]: row["備考"] for row in rows} == {
        f"{held.pk:010d}": "",
        f"{cancelled.pk:010d}": "中止",
    }


def test_an_event_without_sessions_is_nowhere_public_and_staff_are_told(client):
    event = EventFactory(title_ja="日程を調整中の説明会")
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404
    client.force_login(user_with_role("economy_staff"))
    page = client.get(reverse("events:staff-event", args=[event.pk])).content.decode()
    assert "公開設定済み（回がないため公開サイトには表示されません）" in page
    SessionFactory(event=event)
    page = client.get(reverse("events:staff-event", args=[event.pk])).content.decode()
    assert "回がないため" not in page
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200

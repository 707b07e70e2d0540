"""Visitors meet events on the portal: in search, and on the home page this week."""

from __future__ import annotations

import pytest

from shoko.events.models import Kind, Programme
from shoko.portal import search
from tests.events.factories import EventFactory, SessionFactory, in_days

pytestmark = pytest.mark.django_db


def test_a_published_event_is_found_in_any_language_and_by_romaji():
    event = EventFactory(
        title_ja="はじめての創業セミナー",
        title_en="Starting a business: first steps",
        title_kana="ハジメテノソウギョウセミナー",
    )
    SessionFactory(event=event)
    assert [r.object_id for r in search.search("創業セミナー", "ja", kinds=["event"])] == [event.pk]
    assert [r.object_id for r in search.search("first steps", "en", kinds=["event"])] == [event.pk]
    assert [r.object_id for r in search.search("sougyou", "en", kinds=["event"])] == [event.pk]


def test_an_unpublished_event_leaves_the_search_at_once():
    event = EventFactory(title_ja="非公開になるセミナー")
    SessionFactory(event=event)
    assert search.search("非公開になるセミナー", "ja", kinds=["event"])
    event.published = False
    event.save()
    assert search.search("非公開になるセミナー", "ja", kinds=["event"]) == []


def test_an_event_is_found_from_its_first_session_until_its_last_is_deleted():
    event = EventFactory(title_ja="日程調整中の交流会")
    assert search.search("日程調整中の交流会", "ja", kinds=["event"]) == []
    session = SessionFactory(event=event)
    assert [r.object_id for r in search.search("日程調整中の交流会", "ja")] == [event.pk]
    session.delete()
    assert search.search("日程調整中の交流会", "ja", kinds=["event"]) == []


def test_the_home_page_shows_this_weeks_events_and_machi_zemi(client):
    seminar = EventFactory(title_ja="今週の創業セミナー")
    SessionFactory(event=seminar, starts_at=in_days(2))
    later = EventFactory(title_ja="来月の展示会")
    SessionFactory(event=later, starts_at=in_days(40))
    course = EventFactory(
        title_ja="パン屋さんのまちゼミ", kind=Kind.MACHI_ZEMI, programme=Programme.MACHI_ZEMI
    )
    SessionFactory(event=course, starts_at=in_days(10))
    html = client.get("/").content.decode()
    assert "今週のイベント・セミナー" in html
    assert "今週の創業セミナー" in html
    assert "来月の展示会" not in html
    assert "パン屋さんのまちゼミ" in html


def test_a_newly_published_event_appears_on_the_cached_home_page_at_once(client):
    client.get("/")  # the home page is now cached without the event
    event = EventFactory(title_ja="急きょ決まった相談会", published=False)
    SessionFactory(event=event, starts_at=in_days(1))
    assert "急きょ決まった相談会" not in client.get("/").content.decode()
    event.published = True
    event.save()
    assert "急きょ決まった相談会" in client.get("/").content.decode()


def test_no_events_this_week_leaves_the_block_out(client):
    SessionFactory(starts_at=in_days(20), event=EventFactory(title_ja="先の話"))
    html = client.get("/en/").content.decode()
    assert "home-this-week-heading" not in html


def test_the_home_page_shows_the_plans_progress(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_plan", "data/plans/nerima-2018-strategy-13.yaml", stdout=StringIO())
    html = client.get("/en/").content.decode()
    assert 'id="home-plan-heading"' in html
    assert "13-5" in html
    assert 'href="/en/plan/"' in html

"""One rule of what is public, wherever visitors and machines look.

Streets, shops, stories and events are built in every state that matters — published or not, a
published shop on a withdrawn street, a shop of no street, stories at every step of their
workflow, events with sessions to come, held, cancelled or none at all, one held in an earlier
fiscal year. Then the ids on the pages that answer 200, in the sitemap, in every open-data file,
in the search index, on the map and in the public API must be the same set, and the one the
rule says — before and after a street is withdrawn and published again, with pages cached.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from shoko.core.japan import FiscalYear
from shoko.directory import services as directory
from shoko.directory.models import Shop, ShoppingStreet
from shoko.events.models import Event, Session
from shoko.portal.models import SearchEntry, Story
from tests.directory.factories import ShopFactory, StreetFactory
from tests.events.factories import EventFactory, SessionFactory, in_days
from tests.factories import user_with_role
from tests.portal.factories import StoryFactory

pytestmark = pytest.mark.django_db

Ids = set[tuple[str, int]]
KINDS = ("street", "shop", "story", "event")
PAGE_PATH = re.compile(r"^/(streets|shops|stories|events)/(\d+)/$")
KIND_OF_SECTION = {"streets": "street", "shops": "shop", "stories": "story", "events": "event"}


@pytest.fixture(autouse=True)
def _no_throttle(monkeypatch):
    # The public API allows 60 anonymous requests a minute; this test makes more.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})


@pytest.fixture
def world(db) -> dict[str, Any]:
    """Records in every state; the names say whether visitors should see them."""
    # Every shop has a place, so that every public one is on the map too.
    located = {"latitude": "35.737300", "longitude": "139.654000"}
    open_street = StreetFactory(name_ja="公開の商店街")
    withdrawn_street = StreetFactory(name_ja="非公開の商店街", is_published=False)
    shops = {
        "on_open_street": ShopFactory(**located, street=open_street, published=True),
        "unpublished_on_open_street": ShopFactory(**located, street=open_street),
        "on_withdrawn_street": ShopFactory(**located, street=withdrawn_street, published=True),
        "unpublished_on_withdrawn_street": ShopFactory(**located, street=withdrawn_street),
        "of_no_street": ShopFactory(**located, street=None, published=True),
        "unpublished_of_no_street": ShopFactory(**located, street=None),
    }
    stories = {
        status: StoryFactory(status=status, published_at=None)
        for status in Story.Status.values
        if status != Story.Status.PUBLISHED
    }
    stories["published"] = StoryFactory()
    stories["about_a_hidden_shop"] = StoryFactory(
        shop=shops["on_withdrawn_street"], street=withdrawn_street
    )
    events = {
        "to_come": EventFactory(title_ja="これからのセミナー"),
        "held": EventFactory(title_ja="開催済みのセミナー"),
        "cancelled": EventFactory(title_ja="中止になったセミナー"),
        "held_last_year": EventFactory(title_ja="昨年度のセミナー"),
        "without_sessions": EventFactory(title_ja="日程未定のセミナー"),
        "unpublished": EventFactory(title_ja="準備中のセミナー", published=False),
    }
    SessionFactory(event=events["to_come"], starts_at=in_days(5))
    SessionFactory(event=events["to_come"], starts_at=in_days(12))
    SessionFactory(event=events["held"], starts_at=in_days(-2))
    SessionFactory(event=events["cancelled"], starts_at=in_days(3), status=Session.Status.CANCELLED)
    SessionFactory(event=events["held_last_year"], starts_at=in_days(-400))
    SessionFactory(event=events["unpublished"], starts_at=in_days(4))
    return {
        "open_street": open_street,
        "withdrawn_street": withdrawn_street,
        "shops": shops,
        "stories": stories,
        "events": events,
    }


def ids(kind: str, records: Iterable[Any]) -> Ids:
    return {(kind, r.pk) for r in records}


def every_record() -> Ids:
    return (
        ids("street", ShoppingStreet.objects.all())
        | ids("shop", Shop.objects.all())
        | ids("story", Story.objects.all())
        | ids("event", Event.objects.all())
    )


# --- What each channel shows --------------------------------------------------------------------


def _from_path(path: str) -> tuple[str, int] | None:
    found = PAGE_PATH.match(path)
    if found is None:
        return None
    return KIND_OF_SECTION[found.group(1)], int(found.group(2))


def _from_url(url: str) -> tuple[str, int]:
    path = re.sub(r"^https?://[^/]+", "", url)
    found = _from_path(path)
    assert found is not None, url
    return found


def pages(client: Client) -> Ids:
    """Ids whose page answers 200 (Japanese and English; the other language must agree)."""
    shown: Ids = set()
    for kind, pk in every_record():
        section = {"street": "streets", "shop": "shops", "story": "stories", "event": "events"}
        ja = client.get(f"/{section[kind]}/{pk}/").status_code
        en = client.get(f"/en/{section[kind]}/{pk}/").status_code
        assert ja == en, (kind, pk, ja, en)
        assert ja in (200, 404), (kind, pk, ja)
        if ja == 200:
            shown.add((kind, pk))
    return shown


def _xml(client: Client, url: str) -> ET.Element:
    # Our own server's sitemap, not untrusted input.
    return ET.fromstring(client.get(re.sub(r"^https?://[^/]+", "", url)).content)  # noqa: S314


def sitemap(client: Client) -> Ids:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = _xml(client, "/sitemap.xml")
    found: Ids = set()
    for loc in index.findall("s:sitemap/s:loc", namespace):
        section = _xml(client, loc.text or "")
        for url in section.findall("s:url/s:loc", namespace):
            path = re.sub(r"^https?://[^/]+(/(en|ko|zh-hans|zh-hant))?", "", url.text)
            kind_id = _from_path(path)
            if kind_id is not None:
                found.add(kind_id)
    return found


def _csv(client: Client, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _geojson(client: Client, path: str) -> list[dict[str, Any]]:
    response = client.get(path)
    return json.loads(b"".join(response.streaming_content))["features"]


def open_data(client: Client) -> dict[str, Ids]:
    """Every open-data file, each on its own (they must agree with each other too)."""
    files = {
        "shops.csv": {_from_url(row["URL"]) for row in _csv(client, "/open-data/shops.csv")},
        "streets.csv": {_from_url(row["URL"]) for row in _csv(client, "/open-data/streets.csv")},
        "shops.geojson": {
            _from_url(f["properties"]["URL"]) for f in _geojson(client, "/open-data/shops.geojson")
        },
        "streets.geojson": {
            _from_url(f["properties"]["URL"])
            for f in _geojson(client, "/open-data/streets.geojson")
        },
    }
    # The event list covers the current fiscal year on; earlier years are asked for by ?fy=.
    events: Ids = set()
    years = {FiscalYear.of(s.starts_at).year for s in Session.objects.all()}
    for fy in [*sorted(years), None]:
        query = "" if fy is None else f"?fy={fy}"
        events |= {
            _from_url(row["URL"]) for row in _csv(client, f"/events/open-data/events.csv{query}")
        }
    files["events.csv"] = events
    return files


def search_index() -> Ids:
    return set(SearchEntry.objects.values_list("kind", "object_id"))


def search_results(client: Client, world: dict[str, Any]) -> Ids:
    """What the search page finds for names every record of the world carries."""
    found: Ids = set()
    words = (
        "テスト食堂",
        "テスト商店会",
        "公開の商店街",
        "非公開の商店街",
        "商店街のはなし",
        "セミナー",
    )
    for word in words:
        html = client.get("/search/", {"q": word}).content.decode()
        found |= {_from_path(p) for p in re.findall(r'href="(/[a-z]+/\d+/)"', html)} - {None}
    return found


def map_data(client: Client) -> Ids:
    features = client.get("/map/data.geojson").json()["features"]
    return {_from_path(f["properties"]["url"]) for f in features} - {None}


def public_api(client: Client) -> Ids:
    """Lists and details of the public API: a detail answers 200 exactly for what is public."""
    found: Ids = set()
    for kind, url in (("street", "/api/v1/public/streets/"), ("shop", "/api/v1/public/shops/")):
        while url:
            body = client.get(url).json()
            found |= {(kind, row["id"]) for row in body["results"]}
            url = body["next"]
    events = client.get("/api/v1/events/").json()["results"]
    listed_events = {("event", row["id"]) for row in events}
    detail = {
        "street": "/api/v1/public/streets/{}/",
        "shop": "/api/v1/public/shops/{}/",
        "event": "/api/v1/events/{}/",
    }
    answered: Ids = set()
    for kind, pk in every_record():
        if kind in detail and client.get(detail[kind].format(pk)).status_code == 200:
            answered.add((kind, pk))
    assert found | listed_events <= answered
    # The event list is of events still to come; every public event has a detail.
    assert listed_events == {("event", e.pk) for e in Event.objects.public() if _to_come(e)}
    return answered


def _to_come(event: Event) -> bool:
    from django.utils import timezone

    return event.sessions.filter(
        status=Session.Status.SCHEDULED, ends_at__gte=timezone.now()
    ).exists()


def the_rule() -> Ids:
    return (
        ids("street", ShoppingStreet.objects.public())
        | ids("shop", Shop.objects.public())
        | ids("story", Story.objects.public())
        | ids("event", Event.objects.public())
    )


def only(found: Ids, *kinds: str) -> Ids:
    return {(kind, pk) for kind, pk in found if kind in kinds}


def assert_everywhere_the_same(client: Client, world: dict[str, Any], expected: Ids) -> None:
    assert the_rule() == expected
    assert pages(client) == expected
    assert sitemap(client) == expected
    files = open_data(client)
    assert files["shops.csv"] == files["shops.geojson"] == only(expected, "shop")
    assert files["streets.csv"] == files["streets.geojson"] == only(expected, "street")
    assert files["events.csv"] == only(expected, "event")
    assert search_index() == expected
    assert search_results(client, world) == expected
    assert map_data(client) == only(expected, "street", "shop")
    assert public_api(client) == only(expected, "street", "shop", "event")


# --- The story ------------------------------------------------------------------------------------


def test_pages_sitemap_open_data_search_map_and_api_show_one_set(client, world):
    shops, stories, events = world["shops"], world["stories"], world["events"]
    expected = {
        ("street", world["open_street"].pk),
        ("shop", shops["on_open_street"].pk),
        ("shop", shops["of_no_street"].pk),
        ("story", stories["published"].pk),
        ("story", stories["about_a_hidden_shop"].pk),
        ("event", events["to_come"].pk),
        ("event", events["held"].pk),
        ("event", events["cancelled"].pk),
        ("event", events["held_last_year"].pk),
    }
    assert_everywhere_the_same(client, world, expected)


def test_a_street_withdrawn_takes_its_shops_everywhere_and_brings_them_back(client, world):
    staff = user_with_role("commerce_staff")
    street, shop = world["open_street"], world["shops"]["on_open_street"]
    before = the_rule()
    pages(client)  # every page is now cached

    directory.update_street(actor=staff, street=street, data={"is_published": False})
    gone = before - {("street", street.pk), ("shop", shop.pk)}
    assert_everywhere_the_same(client, world, gone)

    directory.update_street(actor=staff, street=street, data={"is_published": True})
    assert_everywhere_the_same(client, world, before)


def test_a_story_about_a_hidden_shop_is_public_but_does_not_link_to_it(client, world):
    story = world["stories"]["about_a_hidden_shop"]
    html = client.get(f"/stories/{story.pk}/").content.decode()
    assert f"/shops/{story.shop_id}/" not in html
    assert f"/streets/{story.street_id}/" not in html
    assert "非公開の商店街" not in client.get("/stories/").content.decode()


def test_a_shop_published_and_deleted_street_stands_alone_everywhere(client, world):
    street = world["withdrawn_street"]
    shop = world["shops"]["on_withdrawn_street"]
    expected = the_rule() | {("shop", shop.pk)}
    street.delete()
    assert_everywhere_the_same(client, world, expected)

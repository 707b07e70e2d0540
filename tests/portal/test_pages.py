"""A visitor reads the portal in five languages: the home page at /, streets, shops with
"open now" in Japan time, stories, the map and the about page; pages are cached and an edit
drops them at once."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from shoko.directory import services as directory
from shoko.directory.models import ShoppingStreet
from shoko.portal.cache import invalidate
from shoko.portal.registry import HomeBlock, register_home_block, unregister_home_block
from tests.directory.factories import ShopFactory, StreetFactory
from tests.portal.factories import StoryFactory

pytestmark = pytest.mark.django_db
LANGUAGES = ["", "/en", "/zh-hans", "/zh-hant", "/ko"]


def page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_portal_home_replaces_the_placeholder_at_the_root(client, street, prefix):
    html = page(client, f"{prefix}/")
    assert 'id="block-featured-streets"' not in html or "石神井" in html
    assert 'role="search"' in html
    lang = prefix.strip("/") or "ja"
    assert f'<html lang="{lang}"' in html
    assert reverse("core:home") == reverse("portal:home")
    assert 'id="measures-heading"' not in html  # core's placeholder is gone


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [
        ("", "練馬区の商店街へようこそ"),
        ("/en", "Welcome to the shopping streets of Nerima"),
        ("/zh-hans", "欢迎来到练马区的商店街"),
        ("/zh-hant", "歡迎來到練馬區的商店街"),
        ("/ko", "네리마구 상점가에 오신 것을 환영합니다"),
    ],
)
def test_home_heading_in_each_language(client, prefix, heading):
    assert heading in page(client, f"{prefix}/")


def test_featured_streets_and_stories_are_home_blocks(client, street, ramen_shop):
    StoryFactory(title_ja="夏まつりの夜", street=street)
    html = page(client, "/")
    assert 'id="block-featured-streets"' in html
    assert "石神井公園西友通り商店会" in html
    assert 'id="block-latest-stories"' in html
    assert "夏まつりの夜" in html


def test_blocks_with_nothing_to_show_are_left_out(client):
    html = page(client, "/en/")
    assert 'id="block-featured-streets"' not in html
    assert 'id="block-latest-stories"' not in html


def test_another_apps_block_appears_when_registered_and_goes_when_empty(client):
    # Stands in for the events app: its block reuses the story card list for the test.
    shown = {"events": [StoryFactory(title_ja="盆踊り")]}
    register_home_block(
        HomeBlock(
            key="another-app-this-week",
            template="portal/blocks/latest_stories.html",
            context=lambda request: {"stories": shown["events"]} if shown["events"] else None,
            order=30,
            tags=("events",),
        )
    )
    try:
        html = page(client, "/")
        assert 'id="block-another-app-this-week"' in html
        assert "盆踊り" in html
        shown["events"] = []
        invalidate("events")
        assert 'id="block-another-app-this-week"' not in page(client, "/")
    finally:
        # A key of its own: unregistering the events app's block would break later tests.
        unregister_home_block("another-app-this-week")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_every_public_page_answers_in_every_language(client, ramen_shop, street, prefix):
    story = StoryFactory(street=street, shop=ramen_shop)
    for url in [
        "/streets/",
        f"/streets/{street.pk}/",
        f"/shops/{ramen_shop.pk}/",
        "/stories/",
        f"/stories/{story.pk}/",
        "/search/?q=ramen",
        "/map/",
        "/about/",
        "/open-data/",
    ]:
        html = page(client, prefix + url)
        assert 'hreflang="zh-Hant"' in html
        assert 'property="og:title"' in html


def test_unknown_language_prefix_is_not_found(client, ramen_shop):
    assert client.get(f"/fr/shops/{ramen_shop.pk}/").status_code == 404
    assert client.get("/xx/").status_code == 404
    assert client.get("/zh/streets/").status_code == 404


def test_shop_page_shows_hours_conveniences_payments_and_map(client, ramen_shop):
    html = page(client, f"/en/shops/{ramen_shop.pk}/")
    assert "Ramen Ichibanboshi" in html
    for text in [
        "Free Wi-Fi",
        "Tax-free shopping (please bring your passport)",
        "Cash",
        "QR code payment",
        "Menu languages: English, Japanese",
        "Staff speak English (greetings)",
        "11:00–15:00, 17:00–22:00",
        "Monday",
    ]:
        assert text in html.replace("、", ", "), text
    assert 'class="icon"' in html
    assert 'aria-hidden="true"' in html
    assert 'id="portal-map"' in html
    assert "tel:0339931111" in html


@pytest.mark.parametrize(
    ("moment", "open_now", "detail"),
    [
        ("2026-05-13T12:00:00+09:00", True, "until 15:00"),  # Wednesday lunch
        ("2026-05-13T16:00:00+09:00", False, "Opens 5/13 at 17:00"),
        ("2026-05-13T03:00:00+00:00", True, "until 15:00"),  # 12:00 in Japan, given in UTC
        ("2026-05-17T12:00:00+09:00", False, "Opens 5/18 at 11:00"),  # Sunday
        ("2026-05-04T12:00:00+09:00", False, None),  # Greenery Day: closed on holidays
    ],
)
def test_open_now_is_judged_in_japan_time(client, settings, ramen_shop, moment, open_now, detail):
    settings.SHOKO_PORTAL_FROZEN_NOW = moment
    html = page(client, f"/en/shops/{ramen_shop.pk}/")
    state = html.split('data-testid="open-state"')[1].split("</p>")[0]
    assert ("Open now" in state) is open_now
    assert ("Closed now" in state) is (not open_now)
    if detail:
        assert detail in state


def test_frozen_time_is_ignored_in_production(settings, ramen_shop):
    from shoko.portal import clock

    settings.SHOKO_PORTAL_FROZEN_NOW = "2001-01-01T00:00:00+09:00"
    settings.PRODUCTION = True
    assert clock.now().year >= 2026


def test_a_missing_translation_falls_back_to_japanese_with_a_visible_note(client, ramen_shop):
    html = page(client, f"/zh-hant/shops/{ramen_shop.pk}/")
    assert "ラーメン 一番星" in html
    assert "此內容尚未翻譯成您使用的語言，現顯示日語原文。" in html
    assert 'lang="ja"' in html


def test_a_machine_translation_says_so(client, ramen_shop):
    html = page(client, f"/ko/shops/{ramen_shop.pk}/")
    assert "라멘 이치반보시" in html
    assert "이 번역은 기계 번역 초안입니다." in html
    assert "기계 번역 초안" not in page(client, f"/en/shops/{ramen_shop.pk}/")


def test_unpublished_shops_and_streets_are_not_found(client, street, ramen_shop, official):
    hidden = ShopFactory(street=street)
    assert client.get(f"/shops/{hidden.pk}/").status_code == 404
    street.is_published = False
    street.save()
    assert client.get(f"/streets/{street.pk}/").status_code == 404
    assert client.get(f"/shops/{ramen_shop.pk}/").status_code == 404


def test_pages_are_cached_and_a_shop_unpublished_while_cached_is_gone_at_once(
    client, ramen_shop, official
):
    url = f"/en/shops/{ramen_shop.pk}/"
    assert client.get(url)["X-Portal-Cache"] == "miss"
    assert client.get(url)["X-Portal-Cache"] == "hit"
    directory.unpublish_shop(actor=official, shop=ramen_shop)
    assert client.get(url).status_code == 404
    assert "Ramen Ichibanboshi" not in page(client, f"/en/streets/{ramen_shop.street_id}/")


def test_an_edit_shows_on_the_cached_page_at_once(client, ramen_shop):
    url = f"/shops/{ramen_shop.pk}/"
    page(client, url)
    directory.update_shop(actor=None, shop=ramen_shop, data={"description_ja": "新しい紹介文"})
    assert "新しい紹介文" in page(client, url)


def test_cached_pages_differ_by_language_and_carry_each_visitors_csrf_token(client, ramen_shop):
    url = f"/shops/{ramen_shop.pk}/"
    ja, en = page(client, url), page(client, "/en" + url)
    assert "ラーメン 一番星" in ja
    assert "Ramen Ichibanboshi" in en
    other = type(client)()
    cached = other.get(url)
    assert cached["X-Portal-Cache"] == "hit"
    assert "portalcsrfplaceholder" not in cached.content.decode()
    assert "csrftoken" in cached.cookies


def test_signed_in_people_are_not_served_cached_pages(client, ramen_shop, official):
    url = f"/shops/{ramen_shop.pk}/"
    page(client, url)
    client.force_login(official)
    response = client.get(url)
    assert "X-Portal-Cache" not in response
    assert "職員画面" in response.content.decode()


def test_the_chosen_language_is_remembered_on_portal_pages(client, ramen_shop):
    response = client.post("/i18n/setlang/", {"language": "ko", "next": f"/shops/{ramen_shop.pk}/"})
    assert response["Location"] == f"/ko/shops/{ramen_shop.pk}/"
    again = client.get(f"/shops/{ramen_shop.pk}/")
    assert again.status_code == 302
    assert again["Location"] == f"/ko/shops/{ramen_shop.pk}/"
    assert "라멘" in page(client, "/ko/search/?q=ramen")


def test_street_page_shows_concept_stations_shops_and_stories(client, street, ramen_shop):
    StoryFactory(title_ja="石神井の朝", street=street)
    html = page(client, f"/en/streets/{street.pk}/")
    for text in [
        "Shakujii-koen Seiyu-dori Shopping Street",
        "Nature",
        "石神井公園駅",
        "Ramen Ichibanboshi",
        "石神井の朝",
        "Getting there",
    ]:
        assert text in html, text


def test_malformed_geojson_in_a_record_never_breaks_a_page(client, street, ramen_shop):
    ShoppingStreet.objects.filter(pk=street.pk).update(
        geometry={"type": "LineString", "coordinates": [["x", None]]}
    )
    assert client.get(f"/streets/{street.pk}/").status_code == 200
    data = json.loads(client.get(f"/map/data.geojson?street={street.pk}").content)
    assert [f["geometry"]["type"] for f in data["features"]] == ["Point", "Point"]
    ShoppingStreet.objects.filter(pk=street.pk).update(geometry="not json at all")
    assert client.get(f"/streets/{street.pk}/").status_code == 200
    assert client.get("/open-data/streets.geojson").status_code == 200


def test_a_valid_street_shape_is_drawn(client, street):
    shape = {"type": "LineString", "coordinates": [[139.6072, 35.7439], [139.6080, 35.7445]]}
    directory.update_street(actor=None, street=street, data={"geometry": shape})
    data = json.loads(client.get(f"/en/map/data.geojson?street={street.pk}").content)
    assert {"Point", "LineString"} <= {f["geometry"]["type"] for f in data["features"]}


@pytest.mark.parametrize("bbox", ["139.6,35.7,139.7,35.8", "x,y,z,w", "1,2,3", "nan,1,2,3", ""])
def test_map_data_by_bounding_box_ignores_bad_boxes(client, ramen_shop, bbox):
    response = client.get(f"/map/data.geojson?bbox={bbox}")
    assert response.status_code == 200
    kinds = [f["properties"]["kind"] for f in json.loads(response.content)["features"]]
    assert "shop" in kinds


def test_list_pages_do_not_grow_queries_with_rows(client, street, django_assert_max_num_queries):
    ShopFactory.create_batch(3, street=street, published=True)
    StoryFactory.create_batch(2, street=street)

    def count(url):
        from django.core.cache import cache

        cache.clear()
        with django_assert_max_num_queries(12) as ctx:
            page(client, url)
        return len(ctx.captured_queries)

    before = {
        u: count(u) for u in ["/", "/streets/", f"/streets/{street.pk}/", "/stories/", "/map/"]
    }
    more = StreetFactory.create_batch(3)
    for s in more:
        ShopFactory.create_batch(4, street=s, published=True)
    StoryFactory.create_batch(4, street=street)
    after = {u: count(u) for u in before}
    assert after == before


def test_shop_page_uses_a_fixed_number_of_queries(
    client, ramen_shop, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page(client, f"/shops/{ramen_shop.pk}/")


def test_about_page_explains_the_programme_in_english(client):
    html = page(client, "/en/about/")
    assert "What you can do here" in html
    assert "A priority measure (13-5 ☆)" in html


def test_photos_without_alt_text_are_not_shown_and_cannot_be_published(ramen_shop):
    from django.core.exceptions import ValidationError

    from shoko.directory.models import Photo
    from shoko.portal.signals import PHOTO_ALT_REQUIRED_MESSAGE, SHOP_PHOTO_ALT_MESSAGE

    with pytest.raises(ValidationError) as excinfo:
        Photo.objects.create(shop=ramen_shop, image="x.jpg", caption="")
    assert excinfo.value.messages == [str(PHOTO_ALT_REQUIRED_MESSAGE)]
    hidden = ShopFactory()
    Photo.objects.create(shop=hidden, image="y.jpg", caption="")
    hidden.published_at = timezone.now()
    with pytest.raises(ValidationError) as excinfo:
        hidden.save()
    assert excinfo.value.messages == [str(SHOP_PHOTO_ALT_MESSAGE)]

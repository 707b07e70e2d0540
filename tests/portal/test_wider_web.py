"""For the wider web: JSON-LD, Open Graph, sitemaps with language alternates, robots.txt, open
data in the Digital Agency's layout, and QR posters whose code opens the visitor's language."""

import csv
import io
import json
import re

import pytest
from django.test import RequestFactory
from pypdf import PdfReader

from shoko.portal import posters
from tests.directory.factories import ShopFactory
from tests.portal.factories import StoryFactory

pytestmark = pytest.mark.django_db


def json_ld(html):
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )


def test_shop_page_carries_local_business_json_ld(client, ramen_shop):
    data = json_ld(client.get(f"/en/shops/{ramen_shop.pk}/").content.decode())
    assert data["@type"] == "LocalBusiness"
    assert data["name"] == "Ramen Ichibanboshi"
    assert data["paymentAccepted"] == "Cash, QR code payment"
    assert data["currenciesAccepted"] == "JPY"
    monday = [
        s for s in data["openingHoursSpecification"] if s.get("dayOfWeek", "").endswith("Monday")
    ]
    assert [(s["opens"], s["closes"]) for s in monday] == [("11:00", "15:00"), ("17:00", "22:00")]
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 35.7439, "longitude": 139.6072}
    assert {"@type": "LocationFeatureSpecification", "name": "Free Wi-Fi", "value": True} in data[
        "amenityFeature"
    ]


def test_json_ld_cannot_be_broken_out_of(client, street):
    shop = ShopFactory(street=street, name_ja="</script><script>alert(1)</script>", published=True)
    html = client.get(f"/shops/{shop.pk}/").content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_street_is_a_place_and_story_an_article(client, street):
    assert json_ld(client.get(f"/streets/{street.pk}/").content.decode())["@type"] == "Place"
    story = StoryFactory(street=street)
    assert json_ld(client.get(f"/stories/{story.pk}/").content.decode())["@type"] == "Article"


def test_open_graph_tags_follow_the_language(client, ramen_shop):
    html = client.get(f"/ko/shops/{ramen_shop.pk}/").content.decode()
    assert '<meta property="og:locale" content="ko_KR">' in html
    assert '<meta property="og:locale:alternate" content="ja_JP">' in html
    assert '<meta property="og:title" content="라멘 이치반보시">' in html


def test_sitemap_lists_every_page_with_its_language_alternates(client, ramen_shop, street):
    hidden = ShopFactory(street=street)
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>(.*?)</loc>", index)
    assert "http://testserver/sitemap-shops-1.xml" in sections
    shops = client.get("/sitemap-shops-1.xml").content.decode()
    assert f"<loc>http://testserver/ko/shops/{ramen_shop.pk}/</loc>" in shops
    assert (
        f'<xhtml:link rel="alternate" hreflang="zh-Hans" '
        f'href="http://testserver/zh-hans/shops/{ramen_shop.pk}/"/>' in shops
    )
    assert f"/shops/{hidden.pk}/" not in shops
    assert shops.count("<url>") == 5
    assert client.get("/sitemap-shops-9.xml").status_code == 404
    assert client.get("/sitemap-nope-1.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap_and_keeps_back_offices_out(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /staff/" in text
    assert "Disallow: /my/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_shops_csv_follows_the_facility_list_layout_with_bom(client, settings, ramen_shop, street):
    ShopFactory(street=street)  # unpublished: not in open data
    response = client.get("/open-data/shops.csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:6] == [
        "全国地方公共団体コード",
        "ID",
        "地方公共団体名",
        "名称",
        "名称_カナ",
        "名称_英字",
    ]
    assert len(rows) == 2
    assert first["全国地方公共団体コード"] == "131202"
    assert first["名称_カナ"] == "ラーメンイチバンボシ"
    assert first["名称_英字"] == "Ramen Ichibanboshi"
    assert first["所在地_連結表記"] == "東京都練馬区石神井町3-1-1"
    assert first["緯度"] == "35.743900"
    assert first["支払い方法"] == "現金・QRコード決済"
    assert first["利用可能日時特記事項"].startswith("月-土 11:00-15:00,17:00-22:00")
    assert response["X-Licence"] == settings.SHOKO_OPEN_DATA_LICENCE
    assert "creativecommons.org/licenses/by/4.0" in response["Link"]


def test_city_code_and_licence_come_from_settings(client, settings, ramen_shop):
    settings.SHOKO_CITY_CODE = "131016"
    settings.SHOKO_OPEN_DATA_LICENCE = "CC0 1.0"
    body = b"".join(client.get("/open-data/streets.csv").streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("131016,T")
    data = json.loads(b"".join(client.get("/open-data/shops.geojson").streaming_content))
    assert data["license"] == "CC0 1.0"
    assert data["features"][0]["properties"]["全国地方公共団体コード"] == "131016"
    assert "CC0 1.0" in client.get("/en/open-data/").content.decode()


def test_geojson_is_valid_and_streets_keep_their_shape(client, street, ramen_shop):
    from shoko.directory import services

    shape = {"type": "LineString", "coordinates": [[139.6072, 35.7439], [139.608, 35.7445]]}
    services.update_street(actor=None, street=street, data={"geometry": shape})
    data = json.loads(b"".join(client.get("/open-data/streets.geojson").streaming_content))
    assert data["type"] == "FeatureCollection"
    assert data["features"][0]["geometry"] == shape
    shops = json.loads(b"".join(client.get("/open-data/shops.geojson").streaming_content))
    assert shops["features"][0]["geometry"]["coordinates"] == [139.6072, 35.7439]
    assert client.get("/open-data/secret.csv").status_code == 404


def test_open_data_queries_do_not_grow_with_shops(client, street, django_assert_max_num_queries):
    ShopFactory.create_batch(5, street=street, published=True)
    with django_assert_max_num_queries(4):
        b"".join(client.get("/open-data/shops.csv").streaming_content)


# --- QR posters -----------------------------------------------------------------------------


def test_short_codes_round_trip_and_refuse_junk():
    for kind in ("shop", "street", "story"):
        for pk in (1, 35, 36, 123456789):
            assert posters.parse_short_code(posters.short_code(kind, pk)) == (kind, pk)
    for junk in ["", "x1", "s", "s0", "s-1", "s!", "S" + "z" * 40, "sé"]:
        assert posters.parse_short_code(junk) is None


@pytest.mark.parametrize(
    ("headers", "cookie", "expected"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "ko-KR,ko;q=0.9"}, None, "/ko/shops/{pk}/"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-TW,zh;q=0.9"}, None, "/zh-hant/shops/{pk}/"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-CN"}, None, "/zh-hans/shops/{pk}/"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US,en"}, None, "/en/shops/{pk}/"),
        ({"HTTP_ACCEPT_LANGUAGE": "fr-FR"}, None, "/shops/{pk}/"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US"}, "ko", "/ko/shops/{pk}/"),
        ({}, None, "/shops/{pk}/"),
    ],
)
def test_the_short_link_opens_the_page_in_the_phones_language(
    client, ramen_shop, headers, cookie, expected
):
    if cookie:
        client.cookies["shoko_language"] = cookie
    response = client.get(f"/s/{posters.short_code('shop', ramen_shop.pk)}", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected.format(pk=ramen_shop.pk)
    assert "Accept-Language" in response["Vary"]


def test_short_links_to_hidden_or_unknown_things_are_not_found(client, street):
    hidden = ShopFactory(street=street)
    assert client.get(f"/s/{posters.short_code('shop', hidden.pk)}").status_code == 404
    assert client.get("/s/zzzz").status_code == 404
    assert client.get("/s/s99999999").status_code == 404


@pytest.mark.parametrize(("size", "width_mm"), [("a4", 210), ("a5", 148)])
def test_staff_print_a_poster_whose_qr_holds_the_short_link(
    client, official, ramen_shop, size, width_mm
):
    client.force_login(official)
    response = client.get(f"/staff/portal/posters/shop/{ramen_shop.pk}/{size}.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == width_mm
    text = page.extract_text()
    request = RequestFactory().get("/")
    payload = posters.poster_payload(request, "shop", ramen_shop.pk)
    assert payload == f"http://testserver/s/{posters.short_code('shop', ramen_shop.pk)}"
    assert payload in text
    assert "ラーメン 一番星" in text
    assert "Ramen Ichibanboshi" in text
    assert "Scan with your phone to read in your language" in text
    fonts = {f["/BaseFont"] for f in page["/Resources"]["/Font"].values()}
    assert any("IPAexGothic" in str(f) for f in fonts)


def test_posters_only_for_published_records_and_known_sizes(client, official, street):
    client.force_login(official)
    hidden = ShopFactory(street=street)
    assert client.get(f"/staff/portal/posters/shop/{hidden.pk}/a4.pdf").status_code == 404
    assert client.get(f"/staff/portal/posters/street/{street.pk}/b5.pdf").status_code == 404
    assert client.get(f"/staff/portal/posters/event/{street.pk}/a4.pdf").status_code == 404
    assert client.get(f"/staff/portal/posters/street/{street.pk}/a5.pdf").status_code == 200


def test_business_members_cannot_print_posters(client, make_user, ramen_shop):
    client.force_login(make_user("business_member"))
    assert client.get(f"/staff/portal/posters/shop/{ramen_shop.pk}/a4.pdf").status_code == 403

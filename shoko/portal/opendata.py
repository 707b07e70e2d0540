"""Open data: published shops and streets as CSV and GeoJSON under stable URLs.

The CSV follows the Digital Agency's recommended data set for facilities (推奨データセット
「施設一覧」): the local government code first (全国地方公共団体コード, Nerima 131202), an ID
unique within the city, the city's name, 名称 / 名称_カナ / 名称_英字, the address as one string
(所在地_連結表記), 緯度・経度, 電話番号, … then Shoko's own columns (street, category, payment
methods, visitor conveniences). Files are UTF-8 with BOM so that Excel opens them as they are,
and they are streamed: 100,000 shops never sit in memory at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from shoko.core.exports import UTF8_BOM
from shoko.core.text import to_katakana
from shoko.directory.fields import labels_of
from shoko.directory.geo import clean_geometry
from shoko.directory.hours import format_weekly, weekly_of
from shoko.directory.models import (
    Language,
    OpeningPeriod,
    PaymentMethod,
    Shop,
    ShoppingStreet,
    StreetConcept,
)
from shoko.directory.selectors import public_streets
from shoko.portal.seo import localised_path

SHOP_COLUMNS = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "名称",
    "名称_カナ",
    "名称_英字",
    "所在地_連結表記",
    "方書",
    "郵便番号",
    "緯度",
    "経度",
    "電話番号",
    "利用可能日時特記事項",
    "説明",
    "バリアフリー情報",
    "URL",
    "ウェブサイト",
    "商店街",
    "カテゴリ",
    "支払い方法",
    "免税対応",
    "無料Wi-Fi",
    "メニューの言語",
    "対応できる言語",
    "設備情報の確認日",
]
STREET_COLUMNS = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "名称",
    "名称_カナ",
    "名称_英字",
    "地域",
    "最寄り駅",
    "緯度",
    "経度",
    "特色",
    "会員数",
    "説明",
    "URL",
    "ウェブサイト",
    "掲載店舗数",
]
CHUNK = 2000


def safe_geometry(value: Any) -> dict[str, Any] | None:
    """A street's stored shape if it is valid GeoJSON, else None: a malformed shape from an old
    import or a hand edit never breaks a page or a file."""
    try:
        return clean_geometry(value)
    except (ValidationError, TypeError, ValueError, KeyError):
        return None


def _csv_line(values: Sequence[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


def csv_stream(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    yield (UTF8_BOM + _csv_line(header)).encode("utf-8")
    for row in rows:
        yield _csv_line(row).encode("utf-8")


def public_shops_for_export() -> Iterator[Shop]:
    qs = (
        Shop.objects.public()
        .select_related("street", "category")
        .prefetch_related(
            Prefetch("opening_periods", queryset=OpeningPeriod.objects.order_by("day", "opens"))
        )
        .order_by("pk")
    )
    return qs.iterator(chunk_size=CHUNK)


def _barrier_free(shop: Shop) -> str:
    notes = []
    if shop.step_free_entrance:
        notes.append("段差のない入口")
    if shop.accessible_toilet:
        notes.append("車いす対応トイレ")
    return "・".join(notes)


def shop_row(shop: Shop, base_url: str) -> list[Any]:
    city = settings.SHOKO_CITY_NAME
    return [
        settings.SHOKO_CITY_CODE,
        f"S{shop.pk:07d}",
        f"東京都{city}",
        shop.name_ja,
        to_katakana(shop.name_kana),
        shop.name_en or "",
        f"東京都{shop.address}"
        if shop.address and not shop.address.startswith("東京都")
        else shop.address,
        shop.building,
        shop.postal_code_display.lstrip("〒"),
        shop.latitude,
        shop.longitude,
        shop.phone,
        "; ".join(filter(None, [format_weekly(weekly_of(shop)), shop.hours_note_ja or ""])),
        shop.description_ja or "",
        _barrier_free(shop),
        base_url + localised_path(f"/shops/{shop.pk}/", settings.LANGUAGE_CODE),
        shop.website,
        shop.street.name_ja if shop.street_id else "",
        shop.category.name_ja if shop.category_id else "",
        "・".join(labels_of(shop.payment_methods, PaymentMethod.choices)),
        "有" if shop.tax_free else "無",
        "有" if shop.free_wifi else "無",
        "・".join(labels_of(shop.menu_languages, Language.choices)),
        "・".join(labels_of(shop.spoken_languages.keys(), Language.choices)),
        shop.conveniences_verified_on.isoformat() if shop.conveniences_verified_on else "",
    ]


def public_streets_for_export() -> list[ShoppingStreet]:
    return list(public_streets().order_by("pk"))


def street_row(street: ShoppingStreet, base_url: str) -> list[Any]:
    return [
        settings.SHOKO_CITY_CODE,
        f"T{street.pk:05d}",
        f"東京都{settings.SHOKO_CITY_NAME}",
        street.name_ja,
        to_katakana(street.name_kana),
        street.name_en or "",
        street.area.name_ja if street.area_id else "",
        street.nearest_stations,
        street.latitude,
        street.longitude,
        "・".join(labels_of(street.concepts, StreetConcept.choices)),
        street.member_count if street.member_count is not None else "",
        street.description_ja or "",
        base_url + f"/streets/{street.pk}/",
        street.website,
        getattr(street, "shop_count", ""),
    ]


def _feature(geometry: dict[str, Any] | None, properties: dict[str, Any]) -> str:
    return json.dumps(
        {"type": "Feature", "geometry": geometry, "properties": properties},
        ensure_ascii=False,
        default=str,
    )


def geojson_stream(features: Iterable[str], *, title: str) -> Iterator[bytes]:
    head = {
        "type": "FeatureCollection",
        "name": title,
        "license": settings.SHOKO_OPEN_DATA_LICENCE,
        "attribution": f"東京都{settings.SHOKO_CITY_NAME}",
    }
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
    yield opening.encode("utf-8")
    first = True
    for feature in features:
        yield (("" if first else ",\n") + feature).encode("utf-8")
        first = False
    yield b"]}\n"


def _point(record: Any) -> dict[str, Any] | None:
    if not record.has_location:
        return None
    return {"type": "Point", "coordinates": [float(record.longitude), float(record.latitude)]}


def shop_features(base_url: str) -> Iterator[str]:
    for shop in public_shops_for_export():
        row = dict(zip(SHOP_COLUMNS, shop_row(shop, base_url), strict=True))
        yield _feature(_point(shop), row)


def street_features(base_url: str) -> Iterator[str]:
    for street in public_streets_for_export():
        row = dict(zip(STREET_COLUMNS, street_row(street, base_url), strict=True))
        yield _feature(safe_geometry(street.geometry) or _point(street), row)

"""One column spec per kind drives import, export and the template file.

A column knows its Japanese and English header, how to read a cell into a model value (refusing
with a message), and how to write a model value back into a cell, so that an exported file
re-imports unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from shoko.core.japan import parse_wareki
from shoko.core.text import fold_for_search, normalize_code, normalize_company_name, parse_yen
from shoko.core.translation import content_languages, field_suffix
from shoko.core.validators import (
    format_postal_code,
    normalize_corporate_number,
    normalize_phone_jp,
    normalize_postal_code,
)
from shoko.directory import hours as hours_mod
from shoko.directory.geo import clean_geometry, parse_latitude, parse_longitude
from shoko.directory.models import (
    Area,
    Business,
    DietaryOption,
    Language,
    PaymentMethod,
    Shop,
    ShopCategory,
    ShoppingStreet,
    SpeakingLevel,
    StreetConcept,
    VacantShop,
)
from shoko.directory.selectors import resolve_industry

INTEGER_MESSAGE = _("「%(value)s」は整数として読めません。")
NUMBER_MESSAGE = _("「%(value)s」は数値として読めません。")
DATE_MESSAGE = _("「%(value)s」は日付として読めません（2026-04-01 や 令和8年4月1日 の形で）。")
BOOLEAN_MESSAGE = _("「%(value)s」は はい／いいえ として読めません（○ か 空欄 で）。")
CHOICE_MESSAGE = _("「%(value)s」は選択肢にありません（使える値: %(allowed)s）。")
YEN_MESSAGE = _("「%(value)s」は金額として読めません: %(detail)s")
REQUIRED_MESSAGE = _("必須の項目です。")
TOO_LONG_MESSAGE = _("%(max)s 文字以内にしてください。")
NOT_FOUND_MESSAGE = _("「%(value)s」に当たる%(what)sが見つかりません。")
AMBIGUOUS_MESSAGE = _(
    "「%(value)s」に当たる%(what)sが複数あります。別の書き方（法人番号など）で特定してください。"
)
SPOKEN_MESSAGE = _("「%(value)s」を読めません（en:conversation, ko:greeting の形で）。")
URL_MESSAGE = _("「%(value)s」は URL として読めません。")
EMAIL_MESSAGE = _("「%(value)s」はメールアドレスとして読めません。")

TRUE_WORDS = {"○", "〇", "◯", "はい", "有", "あり", "yes", "y", "true", "1", "✓"}
FALSE_WORDS = {"", "×", "いいえ", "無", "なし", "no", "n", "false", "0", "-"}
LANG_SUFFIXES = [(lang, field_suffix(lang)) for lang in content_languages()]
LANG_HEADER = {
    "ja": "",
    "en": "（英語）",
    "zh-hans": "（簡体字）",
    "zh-hant": "（繁体字）",
    "ko": "（韓国語）",
}
LANG_HEADER_EN = {
    "ja": "",
    "en": " (English)",
    "zh-hans": " (Simplified Chinese)",
    "zh-hant": " (Traditional Chinese)",
    "ko": " (Korean)",
}


def _error(message: Any, **params: Any) -> ValidationError:
    return ValidationError(message, params=params)


@dataclass(frozen=True)
class Column:
    key: str  # the data key services take (a model field, or opening_hours/opening_exceptions)
    ja: str
    en: str
    parse: Callable[[str], Any]
    read: Callable[[Any], Any]  # record → value (for export and comparison)
    cell: Callable[[Any], Any] = lambda v: "" if v is None else v  # value → cell
    required: bool = False
    export_only: bool = False
    example: Any = ""

    def header(self, language: str) -> str:
        return self.ja if language == "ja" else self.en


# --- Cell readers -----------------------------------------------------------------------------------  # noqa: E501


def text(max_length: int, *, required: bool = False) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip()
        if required and not value:
            raise _error(REQUIRED_MESSAGE)
        if len(value) > max_length:
            raise _error(TOO_LONG_MESSAGE, max=max_length)
        return value

    return parse


def integer(value: str) -> int | None:
    value = normalize_code(value).replace(",", "")
    if not value:
        return None
    if not re.fullmatch(r"[0-9]+", value):
        raise _error(INTEGER_MESSAGE, value=value)
    return int(value)


def yen(value: str) -> int | None:
    if not value.strip():
        return None
    try:
        return parse_yen(value)
    except ValueError as exc:
        raise _error(YEN_MESSAGE, value=value, detail=str(exc)) from exc


def decimal(value: str) -> Decimal | None:
    value = normalize_code(value).replace(",", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise _error(NUMBER_MESSAGE, value=value) from exc
    if not number.is_finite() or number < 0:
        raise _error(NUMBER_MESSAGE, value=value)
    return number


def date(value: str) -> dt.date | None:
    value = normalize_code(value)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.replace("/", "-").replace(".", "-")[:10])
    except ValueError:
        pass
    try:
        return parse_wareki(value)
    except ValueError as exc:
        raise _error(DATE_MESSAGE, value=value) from exc


def boolean(value: str) -> bool:
    word = normalize_code(value).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _error(BOOLEAN_MESSAGE, value=value)


def bool_cell(value: bool) -> str:
    return "○" if value else ""


def choice(choices: type[models.TextChoices], *, blank: bool = True) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = normalize_code(value)
        if not value and blank:
            return ""
        for code, label in choices.choices:
            # Labels pass through the same normalisation (ー becomes -), so compare like with like.
            if value.casefold() in (code.casefold(), normalize_code(str(label)).casefold()):
                return code
        raise _error(CHOICE_MESSAGE, value=value, allowed=", ".join(choices.values))

    return parse


def choice_set(choices: type[models.TextChoices]) -> Callable[[str], list[str]]:
    def parse(value: str) -> list[str]:
        found = set()
        for token in re.split(r"[,、，;；/\s]+", normalize_code(value)):
            if token:
                found.add(choice(choices, blank=False)(token))
        return sorted(found)

    return parse


def set_cell(values: list[str]) -> str:
    return ",".join(sorted(values or []))


def spoken(value: str) -> dict[str, str]:
    found = {}
    for token in re.split(r"[,、，;；\s]+", normalize_code(value)):
        if not token:
            continue
        lang, _sep, level = token.partition(":")
        if lang not in Language.values or (level or "conversation") not in SpeakingLevel.values:
            raise _error(SPOKEN_MESSAGE, value=value)
        found[lang] = level or SpeakingLevel.CONVERSATION
    return dict(sorted(found.items()))


def spoken_cell(value: dict[str, str]) -> str:
    return ",".join(f"{k}:{v}" for k, v in sorted((value or {}).items()))


def url(value: str) -> str:
    value = value.strip()
    if value:
        try:
            URLValidator()(value)
        except ValidationError as exc:
            raise _error(URL_MESSAGE, value=value) from exc
    return value


def email(value: str) -> str:
    value = normalize_code(value)
    if value:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise _error(EMAIL_MESSAGE, value=value) from exc
    return value


def optional(parse: Callable[[Any], Any]) -> Callable[[str], Any]:
    def wrapped(value: str) -> Any:
        return parse(value) if value.strip() else None

    return wrapped


def geometry(value: str) -> dict[str, Any] | None:
    return clean_geometry(value.strip() or None)


def geometry_cell(value: dict[str, Any] | None) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""


def decimal_cell(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def code_cell(value: str) -> str:
    return value or ""


# --- References to other records -------------------------------------------------------------------  # noqa: E501


def business_ref(value: str) -> Business | None:
    value = normalize_code(value)
    if not value:
        return None
    number = normalize_corporate_number(value)
    if re.fullmatch(r"[0-9]{13}", number):
        found = list(Business.objects.filter(corporate_number=number)[:2])
    else:
        found = list(Business.objects.filter(name_key=normalize_company_name(value))[:2])
    if not found:
        raise _error(NOT_FOUND_MESSAGE, value=value, what=_("事業者"))
    if len(found) > 1:
        raise _error(AMBIGUOUS_MESSAGE, value=value, what=_("事業者"))
    return found[0]


def required_business_ref(value: str) -> Business:
    business = business_ref(value)
    if business is None:
        raise _error(REQUIRED_MESSAGE)
    return business


def business_cell(business: Business | None) -> str:
    if business is None:
        return ""
    return business.corporate_number or business.name


def street_ref(value: str) -> ShoppingStreet | None:
    value = value.strip()
    if not value:
        return None
    found = list(
        ShoppingStreet.objects.filter(name_key="".join(fold_for_search(value).split()))[:2]
    )
    if not found:
        raise _error(NOT_FOUND_MESSAGE, value=value, what=_("商店街"))
    if len(found) > 1:
        raise _error(AMBIGUOUS_MESSAGE, value=value, what=_("商店街"))
    return found[0]


def coded_ref(model: type[models.Model], what: Any) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        value = normalize_code(value)
        if not value:
            return None
        found = (
            model.objects.filter(code=value).first() or model.objects.filter(name_ja=value).first()
        )
        if found is None:
            raise _error(NOT_FOUND_MESSAGE, value=value, what=what)
        return found

    return parse


def industry(value: str) -> Any:
    return resolve_industry(value)


# --- The specs --------------------------------------------------------------------------------------  # noqa: E501


def _id_column() -> Column:
    return Column("id", "ID", "ID", integer, lambda o: o.pk)


def _address_columns() -> list[Column]:
    return [
        Column(
            "postal_code",
            "郵便番号",
            "Postal code",
            lambda v: normalize_postal_code(v),
            lambda o: o.postal_code,
            lambda v: format_postal_code(v) if v and len(v) == 7 else (v or ""),
            example="176-8501",
        ),
        Column(
            "address",
            "所在地",
            "Address",
            text(200),
            lambda o: o.address,
            example="東京都練馬区豊玉北6-12-1",
        ),
        Column("building", "建物名・階", "Building", text(120), lambda o: o.building),
    ]


def _location_columns() -> list[Column]:
    return [
        Column(
            "latitude",
            "緯度",
            "Latitude",
            optional(parse_latitude),
            lambda o: o.latitude,
            decimal_cell,
            example="35.7356",
        ),
        Column(
            "longitude",
            "経度",
            "Longitude",
            optional(parse_longitude),
            lambda o: o.longitude,
            decimal_cell,
            example="139.6517",
        ),
    ]


def _translated(
    field: str, ja: str, en: str, max_length: int, *, required: bool = False
) -> list[Column]:
    columns = []
    for lang, suffix in LANG_SUFFIXES:
        attr = f"{field}_{suffix}"
        columns.append(
            Column(
                attr,
                f"{ja}{LANG_HEADER[lang]}",
                f"{en}{LANG_HEADER_EN[lang]}",
                text(max_length, required=required and lang == "ja"),
                (lambda a: lambda o: getattr(o, a) or "")(attr),
                required=required and lang == "ja",
            )
        )
    return columns


BUSINESS_COLUMNS = [
    _id_column(),
    Column(
        "corporate_number",
        "法人番号",
        "Corporate number",
        lambda v: normalize_corporate_number(v),
        lambda o: o.corporate_number,
        example="1234567890123",
    ),
    Column(
        "name",
        "事業者名",
        "Business name",
        text(200, required=True),
        lambda o: o.name,
        required=True,
        example="株式会社ねりま商店",
    ),
    Column(
        "name_kana",
        "フリガナ",
        "Name (kana)",
        text(200),
        lambda o: o.name_kana,
        example="ネリマショウテン",
    ),
    Column(
        "legal_form",
        "法人格",
        "Legal form",
        choice(Business.LegalForm, blank=False),
        lambda o: o.legal_form,
        code_cell,
        required=True,
        example="corporation",
    ),
    Column(
        "representative_name",
        "代表者名",
        "Representative",
        text(120),
        lambda o: o.representative_name,
    ),
    Column(
        "representative_title",
        "代表者役職",
        "Representative's title",
        text(60),
        lambda o: o.representative_title,
    ),
    *_address_columns(),
    Column(
        "phone",
        "電話番号",
        "Phone",
        lambda v: normalize_phone_jp(v),
        lambda o: o.phone,
        example="03-3993-1111",
    ),
    Column("email", "メールアドレス", "Email", email, lambda o: o.email),
    Column("website", "ウェブサイト", "Website", url, lambda o: o.website),
    Column(
        "industry",
        "業種コード（日本標準産業分類）",
        "Industry code (JSIC)",
        industry,
        lambda o: o.industry,
        lambda v: v.code if v else "",
        example="58",
    ),
    Column(
        "industry_name",
        "業種名",
        "Industry name",
        lambda v: v,
        lambda o: o.industry.name_ja if o.industry else "",
        export_only=True,
    ),
    Column("employees", "従業員数", "Employees", integer, lambda o: o.employees),
    Column("capital_yen", "資本金（円）", "Capital (yen)", yen, lambda o: o.capital_yen),
    Column(
        "founded_on",
        "創業・設立日",
        "Founded on",
        date,
        lambda o: o.founded_on,
        example="2020-04-01",
    ),
    Column("is_startup", "創業者", "Startup", boolean, lambda o: o.is_startup, bool_cell),
    Column(
        "startup_since",
        "創業日（創業支援の起算日）",
        "Startup since",
        date,
        lambda o: o.startup_since,
    ),
    Column("notes", "備考", "Notes", text(2000), lambda o: o.notes),
]

STREET_COLUMNS = [
    _id_column(),
    *_translated("name", "商店街名", "Street name", 150, required=True),
    Column(
        "name_kana", "商店街名（よみ）", "Street name (reading)", text(150), lambda o: o.name_kana
    ),
    Column(
        "association",
        "商店会（法人番号または名称）",
        "Association (corporate number or name)",
        business_ref,
        lambda o: o.association,
        business_cell,
    ),
    Column(
        "area",
        "地域コード",
        "Area code",
        coded_ref(Area, _("地域")),
        lambda o: o.area,
        lambda v: v.code if v else "",
        example="nerima",
    ),
    Column(
        "nearest_stations",
        "最寄り駅",
        "Nearest stations",
        text(200),
        lambda o: o.nearest_stations,
        example="練馬駅",
    ),
    *_location_columns(),
    Column(
        "geometry",
        "形状（GeoJSON）",
        "Shape (GeoJSON)",
        geometry,
        lambda o: o.geometry,
        geometry_cell,
    ),
    Column(
        "concepts",
        "特色",
        "Concepts",
        choice_set(StreetConcept),
        lambda o: o.concepts,
        set_cell,
        example="anime,culture",
    ),
    Column("member_count", "会員数", "Members", integer, lambda o: o.member_count),
    *_translated("description", "紹介文", "Description", 5000),
    Column("website", "ウェブサイト", "Website", url, lambda o: o.website),
    Column("is_published", "公開", "Published", boolean, lambda o: o.is_published, bool_cell),
]


def hours_read(o: Shop) -> str:
    return hours_mod.format_weekly(hours_mod.weekly_of(o))


def exceptions_read(o: Shop) -> str:
    return hours_mod.format_exceptions(hours_mod.exceptions_of(o))


def _hours_parse(value: str) -> str:
    return hours_mod.format_weekly(hours_mod.parse_weekly(value))


def _exceptions_parse(value: str) -> str:
    return hours_mod.format_exceptions(hours_mod.parse_exceptions(value))


SHOP_COLUMNS = [
    _id_column(),
    Column(
        "business",
        "事業者（法人番号または名称）",
        "Business (corporate number or name)",
        required_business_ref,
        lambda o: o.business,
        business_cell,
        required=True,
        example="株式会社ねりま商店",
    ),
    Column(
        "street",
        "商店街名",
        "Shopping street",
        street_ref,
        lambda o: o.street,
        lambda v: v.name_ja if v else "",
    ),
    Column(
        "is_association_member",
        "商店会の会員",
        "Association member",
        boolean,
        lambda o: o.is_association_member,
        bool_cell,
    ),
    *_translated("name", "店名", "Shop name", 150, required=True),
    Column("name_kana", "店名（よみ）", "Shop name (reading)", text(150), lambda o: o.name_kana),
    *_translated("description", "紹介文", "Description", 5000),
    Column(
        "category",
        "カテゴリコード",
        "Category code",
        coded_ref(ShopCategory, _("カテゴリ")),
        lambda o: o.category,
        lambda v: v.code if v else "",
        example="restaurant",
    ),
    *_address_columns(),
    *_location_columns(),
    Column("phone", "電話番号", "Phone", lambda v: normalize_phone_jp(v), lambda o: o.phone),
    Column("website", "ウェブサイト", "Website", url, lambda o: o.website),
    Column(
        "price_range",
        "価格帯",
        "Price range",
        choice(Shop.PriceRange),
        lambda o: o.price_range,
        code_cell,
    ),
    Column(
        "opening_hours",
        "営業時間",
        "Opening hours",
        _hours_parse,
        hours_read,
        example="月-金 11:00-14:00,17:00-22:00; 土 11:00-22:00; 祝 休",
    ),
    Column(
        "opening_exceptions",
        "臨時休業・営業",
        "Irregular closures and openings",
        _exceptions_parse,
        exceptions_read,
        example="2026-12-31 休",
    ),
    *_translated("hours_note", "営業時間の補足", "Hours note", 200),
    Column(
        "spoken_languages",
        "対応できる言語",
        "Languages spoken",
        spoken,
        lambda o: o.spoken_languages,
        spoken_cell,
        example="en:conversation,zh-hans:greeting",
    ),
    Column(
        "menu_languages",
        "メニューの言語",
        "Menu languages",
        choice_set(Language),
        lambda o: o.menu_languages,
        set_cell,
        example="en,ja",
    ),
    Column(
        "payment_methods",
        "支払い方法",
        "Payment methods",
        choice_set(PaymentMethod),
        lambda o: o.payment_methods,
        set_cell,
        example="cash,qr",
    ),
    Column(
        "dietary_options",
        "食の配慮",
        "Dietary options",
        choice_set(DietaryOption),
        lambda o: o.dietary_options,
        set_cell,
    ),
    Column("tax_free", "免税対応", "Tax-free", boolean, lambda o: o.tax_free, bool_cell),
    Column("free_wifi", "無料Wi-Fi", "Free Wi-Fi", boolean, lambda o: o.free_wifi, bool_cell),
    Column(
        "step_free_entrance",
        "段差のない入口",
        "Step-free entrance",
        boolean,
        lambda o: o.step_free_entrance,
        bool_cell,
    ),
    Column(
        "accessible_toilet",
        "車いす対応トイレ",
        "Accessible toilet",
        boolean,
        lambda o: o.accessible_toilet,
        bool_cell,
    ),
    Column(
        "conveniences_verified_on",
        "設備情報の確認日",
        "Conveniences verified on",
        date,
        lambda o: o.conveniences_verified_on,
    ),
]

VACANT_SHOP_COLUMNS = [
    _id_column(),
    Column(
        "street",
        "商店街名",
        "Shopping street",
        street_ref,
        lambda o: o.street,
        lambda v: v.name_ja if v else "",
    ),
    *_address_columns(),
    *_location_columns(),
    Column(
        "floor_area_m2",
        "面積（㎡）",
        "Floor area (m²)",
        decimal,
        lambda o: o.floor_area_m2,
        decimal_cell,
    ),
    Column("floor", "階", "Floor", text(20), lambda o: o.floor, example="1階"),
    Column("rent_yen", "賃料（円／月）", "Rent (yen/month)", yen, lambda o: o.rent_yen),
    Column("deposit_yen", "敷金・保証金（円）", "Deposit (yen)", yen, lambda o: o.deposit_yen),
    Column("former_use", "従前の用途", "Former use", text(100), lambda o: o.former_use),
    Column("available_from", "入居可能日", "Available from", date, lambda o: o.available_from),
    Column(
        "status",
        "状態",
        "Status",
        choice(VacantShop.Status, blank=False),
        lambda o: o.status,
        code_cell,
        required=True,
        example="available",
    ),
    Column("owner_name", "所有者・管理者", "Owner", text(120), lambda o: o.owner_name),
    Column("owner_contact", "連絡先", "Owner contact", text(200), lambda o: o.owner_contact),
    Column("notes", "備考", "Notes", text(2000), lambda o: o.notes),
]

COLUMNS: dict[str, list[Column]] = {
    "business": BUSINESS_COLUMNS,
    "street": STREET_COLUMNS,
    "shop": SHOP_COLUMNS,
    "vacant_shop": VACANT_SHOP_COLUMNS,
}
MODELS: dict[str, type[models.Model]] = {
    "business": Business,
    "street": ShoppingStreet,
    "shop": Shop,
    "vacant_shop": VacantShop,
}


def header_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def header_index(kind: str) -> dict[str, Column]:
    """Every accepted header (Japanese or English, width and case folded) → its column."""
    index = {}
    for column in COLUMNS[kind]:
        index[header_key(column.ja)] = column
        index[header_key(column.en)] = column
        index[header_key(column.key)] = column
    return index

"""The directory (名簿): businesses, shopping streets, shops, vacant shops and the city's areas.

Every later programme attaches to these records: an application is made by a Business, a grant
goes to a ShoppingStreet's association, the public portal shows published Shops. A Business is
one-to-one with a core ``Organisation`` so that memberships and permission checks work unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import audited
from shoko.core.models import TimeStampedModel
from shoko.directory.fields import ChoiceSetField
from shoko.directory.geo import validate_geometry, validate_latitude, validate_longitude

# --- Shared choices ------------------------------------------------------------------------------


class Language(models.TextChoices):
    """Languages a shop speaks or prints its menu in (the portal's five and a few more)."""

    JA = "ja", _("日本語")
    EN = "en", _("英語")
    ZH_HANS = "zh-hans", _("中国語（簡体字）")
    ZH_HANT = "zh-hant", _("中国語（繁体字）")
    KO = "ko", _("韓国語")
    FR = "fr", _("フランス語")
    ES = "es", _("スペイン語")
    VI = "vi", _("ベトナム語")
    TH = "th", _("タイ語")


class SpeakingLevel(models.TextChoices):
    GREETING = "greeting", _("あいさつ程度")
    CONVERSATION = "conversation", _("日常会話")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("現金")
    CREDIT_CARD = "credit_card", _("クレジットカード")
    EMONEY = "emoney", _("電子マネー・交通系IC")
    QR = "qr", _("QRコード決済")


class DietaryOption(models.TextChoices):
    VEGETARIAN = "vegetarian", _("ベジタリアン対応")
    VEGAN = "vegan", _("ヴィーガン対応")
    HALAL = "halal", _("ハラール対応")


class StreetConcept(models.TextChoices):
    """特色 — what a street builds its appeal on (13-4)."""

    ANIME = "anime", _("アニメ")
    NATURE = "nature", _("自然")
    CULTURE = "culture", _("文化")
    HISTORY = "history", _("歴史")
    MUSIC = "music", _("音楽")
    FOOD = "food", _("食")
    AGRICULTURE = "agriculture", _("都市農業")
    STATION_REDEVELOPMENT = "station_redevelopment", _("駅前再開発")


class TranslationState(models.TextChoices):
    """Where a translation of a record's content came from, for the portal to show."""

    HUMAN = "human", _("人が作成")
    MACHINE = "machine", _("機械翻訳（下書き）")
    REVIEWED = "reviewed", _("確認済み")


class TranslatedContent(models.Model):
    """Records whose content is translated keep, per language, the state of its translation:
    ``{"en": "machine", "ko": "reviewed"}``. Japanese, the language owners write in, is human."""

    translation_states = models.JSONField(_("翻訳の状態"), default=dict, blank=True)

    class Meta:
        abstract = True

    def translation_state(self, language: str) -> str | None:
        if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
            return TranslationState.HUMAN
        return self.translation_states.get(language)


class Located(models.Model):
    """A point on the map; both or neither of latitude and longitude (checked in services)."""

    latitude = models.DecimalField(
        _("緯度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_latitude],
    )
    longitude = models.DecimalField(
        _("経度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_longitude],
    )

    class Meta:
        abstract = True

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Addressed(models.Model):
    postal_code = models.CharField(_("郵便番号"), max_length=7, blank=True)
    address = models.CharField(
        _("所在地"), max_length=200, blank=True, help_text=_("町丁目・番地まで")
    )
    building = models.CharField(_("建物名・階"), max_length=120, blank=True)

    class Meta:
        abstract = True

    @property
    def postal_code_display(self) -> str:
        code = self.postal_code
        return f"〒{code[:3]}-{code[3:]}" if len(code) == 7 else ""


# --- Reference data ------------------------------------------------------------------------------


class Area(TranslatedContent):
    """地域 — a named part of the city that streets belong to (13-4 counts areas supported)."""

    code = models.SlugField(_("地域コード"), max_length=40, unique=True)
    name = models.CharField(_("地域名"), max_length=80)
    name_kana = models.CharField(_("地域名（よみ）"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("地域")
        verbose_name_plural = _("地域")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class IndustryDivision(models.Model):
    """日本標準産業分類 (JSIC) — a major division (大分類, A–T) or a medium one (中分類, 01–99)."""

    class Level(models.TextChoices):
        MAJOR = "major", _("大分類")
        MEDIUM = "medium", _("中分類")

    code = models.CharField(_("分類コード"), max_length=2, unique=True)
    level = models.CharField(_("階層"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("大分類"),
    )
    name = models.CharField(_("分類名"), max_length=120)

    class Meta:
        verbose_name = _("産業分類")
        verbose_name_plural = _("産業分類")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def major(self) -> IndustryDivision:
        return self.parent if self.parent_id else self  # type: ignore[return-value]


class ShopCategory(TranslatedContent):
    """業種（個店） — how visitors look for a shop: food, fashion, services …"""

    code = models.SlugField(_("カテゴリコード"), max_length=40, unique=True)
    name = models.CharField(_("カテゴリ名"), max_length=80)
    order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("店舗カテゴリ")
        verbose_name_plural = _("店舗カテゴリ")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


# --- Business --------------------------------------------------------------------------------


@audited()
class Business(Addressed, TimeStampedModel):
    """事業者 — a company, sole proprietor, association or NPO that Shoko supports.

    One-to-one with ``core.Organisation``: members act for the business through core
    memberships, and ``scope_to_user(qs, user, organisation_field="organisation")`` scopes lists.
    """

    class LegalForm(models.TextChoices):
        CORPORATION = "corporation", _("会社（株式会社・合同会社など）")
        SOLE_PROPRIETOR = "sole_proprietor", _("個人事業主")
        ASSOCIATION = "association", _("団体・組合（商店会など）")
        NPO = "npo", _("特定非営利活動法人")
        GENERAL_INCORPORATED = "general_incorporated", _("一般社団法人・一般財団法人")
        OTHER = "other", _("その他")

    organisation = models.OneToOneField(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="business",
        verbose_name=_("組織"),
    )
    legal_form = models.CharField(
        _("法人格"), max_length=30, choices=LegalForm.choices, default=LegalForm.CORPORATION
    )
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    name = models.CharField(_("事業者名"), max_length=200)
    name_kana = models.CharField(_("事業者名（フリガナ）"), max_length=200, blank=True)
    representative_name = models.CharField(_("代表者名"), max_length=120, blank=True)
    representative_title = models.CharField(_("代表者役職"), max_length=60, blank=True)
    phone = models.CharField(_("電話番号"), max_length=15, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    industry = models.ForeignKey(
        IndustryDivision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="businesses",
        verbose_name=_("業種（日本標準産業分類）"),
    )
    employees = models.PositiveIntegerField(_("従業員数"), null=True, blank=True)
    capital_yen = models.PositiveBigIntegerField(_("資本金（円）"), null=True, blank=True)
    founded_on = models.DateField(_("創業・設立日"), null=True, blank=True)
    is_startup = models.BooleanField(_("創業者"), default=False)
    startup_since = models.DateField(_("創業日（創業支援の起算日）"), null=True, blank=True)
    notes = models.TextField(_("備考（職員用）"), blank=True)
    # Keys for duplicates and search, kept by services: folded, legal forms removed.
    name_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    kana_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    address_key = models.CharField(max_length=260, editable=False, db_index=True, default="")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("事業者")
        verbose_name_plural = _("事業者")
        ordering = ["name_kana", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~Q(corporate_number=""),
                name="directory_business_corporate_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["phone"], name="directory_business_phone"),
            # The default ordering, so that list pages read the first rows straight from the index.
            models.Index(fields=["name_kana", "name", "id"], name="directory_business_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_association(self) -> bool:
        return self.legal_form == self.LegalForm.ASSOCIATION

    @property
    def is_in_city(self) -> bool:
        """Located in the city Shoko serves (区内事業者), judged from the address."""
        return settings.SHOKO_CITY_NAME in self.address

    def founded_within(self, years: int, *, on: dt.date | None = None) -> bool:
        """Founded (or started up) within ``years`` years before ``on`` (eligibility rules)."""
        start = self.startup_since or self.founded_on
        if start is None:
            return False
        on = on or timezone.localdate()
        try:
            limit = on.replace(year=on.year - years)
        except ValueError:  # 29 February
            limit = on.replace(year=on.year - years, day=28)
        return limit <= start <= on


class TimelineEvent(models.Model):
    """事業者の履歴 — one thing that happened with a business, appended by any app
    (``services.record_timeline_event``): an application, a seminar, a visit, a certificate."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("事業者")
    )
    kind = models.CharField(_("種類"), max_length=40)
    title = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("リンク"), max_length=500, blank=True)
    occurred_at = models.DateTimeField(_("日時"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作者"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("事業者の履歴")
        verbose_name_plural = _("事業者の履歴")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["business", "-occurred_at"], name="directory_timeline")]

    def __str__(self) -> str:
        return self.title


@audited()
class BusinessMerge(models.Model):
    """名寄せ — the record of one duplicate business merged into another, and what moved."""

    survivor = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="merges", verbose_name=_("統合先")
    )
    merged_name = models.CharField(_("統合された事業者名"), max_length=200)
    merged_pk = models.PositiveBigIntegerField(_("統合された事業者のID"))
    merged_corporate_number = models.CharField(_("統合された法人番号"), max_length=13, blank=True)
    moved = models.JSONField(_("付け替えた件数"), default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("実施者"),
    )
    merged_at = models.DateTimeField(_("実施日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("事業者の統合")
        verbose_name_plural = _("事業者の統合")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.survivor}"


# --- Shopping street -----------------------------------------------------------------------------


def public_street_q(prefix: str = "") -> Q:
    """A street visitors may see: one its association or staff have not withdrawn (公開).
    ``prefix`` reaches it through a relation (``"street__"``)."""
    return Q(**{f"{prefix}is_published": True})


class ShoppingStreetQuerySet(models.QuerySet["ShoppingStreet"]):
    def public(self) -> Self:
        """Streets on the portal, in the sitemap, the open data, the search and the public API."""
        return self.filter(public_street_q())


@audited()
class ShoppingStreet(TranslatedContent, Located, TimeStampedModel):
    """商店街 — a shopping street, run by its association (a Business of legal form
    association), in an area of the city."""

    name = models.CharField(_("商店街名"), max_length=150)
    name_kana = models.CharField(_("商店街名（よみ）"), max_length=150, blank=True)
    association = models.ForeignKey(
        Business,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="associated_streets",
        verbose_name=_("商店会（団体）"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="streets",
        verbose_name=_("地域"),
    )
    nearest_stations = models.CharField(
        _("最寄り駅"), max_length=200, blank=True, help_text=_("複数は「、」で区切ります")
    )
    geometry = models.JSONField(
        _("形状（GeoJSON）"),
        null=True,
        blank=True,
        validators=[validate_geometry],
        help_text=_("LineString・MultiLineString・Polygon（座標は [経度, 緯度]）"),
    )
    concepts = ChoiceSetField(_("特色"), set_choices=StreetConcept.choices)
    member_count = models.PositiveIntegerField(_("会員数"), null=True, blank=True)
    description = models.TextField(_("紹介文"), blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    social_links = models.JSONField(_("SNS"), default=dict, blank=True)
    is_published = models.BooleanField(_("公開"), default=True)
    name_key = models.CharField(max_length=150, editable=False, db_index=True, default="")
    search_text = models.TextField(editable=False, default="")

    objects = ShoppingStreetQuerySet.as_manager()

    class Meta:
        verbose_name = _("商店街")
        verbose_name_plural = _("商店街")
        ordering = ["name_kana", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def station_list(self) -> list[str]:
        return [
            s.strip() for s in self.nearest_stations.replace(",", "、").split("、") if s.strip()
        ]


# --- Shop ------------------------------------------------------------------------------------------  # noqa: E501


def public_shop_q(prefix: str = "") -> Q:
    """A shop visitors may see: published by its owner or staff (公開日時 set), and not on a
    street that is withdrawn — a withdrawn street takes its shops with it; a shop outside any
    street stands alone. ``prefix`` reaches it through a relation (``"shops__"``)."""
    return Q(**{f"{prefix}published_at__isnull": False}) & (
        Q(**{f"{prefix}street__isnull": True}) | public_street_q(f"{prefix}street__")
    )


class ShopQuerySet(models.QuerySet["Shop"]):
    def public(self) -> Self:
        """Shops on the portal, in the sitemap, the open data, the search and the public API."""
        return self.filter(public_shop_q())

    def with_public_flag(self) -> Self:
        """Annotate ``is_public``: whether visitors see the shop (a shop its owner published
        on a withdrawn street is not public), for staff and owners' lists."""
        return self.annotate(
            is_public=ExpressionWrapper(public_shop_q(), output_field=models.BooleanField())
        )


@audited(exclude_fields=["search_text", "name_key"])
class Shop(TranslatedContent, Located, Addressed, TimeStampedModel):
    """個店 — one shop of a business, maybe in a shopping street; shown on the public portal
    once its owner or staff publishes it."""

    class PriceRange(models.TextChoices):
        LOW = "low", _("〜1,000円")
        MIDDLE = "middle", _("1,000〜3,000円")
        HIGH = "high", _("3,000〜10,000円")
        LUXURY = "luxury", _("10,000円〜")

    class HolidayRule(models.TextChoices):
        REGULAR = "regular", _("曜日どおり営業")
        CLOSED = "closed", _("祝日は休業")
        SPECIAL = "special", _("祝日は別の営業時間")

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="shops", verbose_name=_("事業者")
    )
    street = models.ForeignKey(
        ShoppingStreet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shops",
        verbose_name=_("商店街"),
    )
    is_association_member = models.BooleanField(_("商店会の会員"), default=False)
    name = models.CharField(_("店名"), max_length=150)
    name_kana = models.CharField(_("店名（よみ）"), max_length=150, blank=True)
    description = models.TextField(_("紹介文"), blank=True)
    category = models.ForeignKey(
        ShopCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shops",
        verbose_name=_("カテゴリ"),
    )
    phone = models.CharField(_("電話番号"), max_length=15, blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    price_range = models.CharField(
        _("価格帯"), max_length=10, choices=PriceRange.choices, blank=True
    )
    holiday_rule = models.CharField(
        _("祝日の営業"), max_length=10, choices=HolidayRule.choices, default=HolidayRule.REGULAR
    )
    hours_note = models.CharField(_("営業時間の補足"), max_length=200, blank=True)
    # Visitor conveniences (13-5), with the day someone last checked them.
    spoken_languages = models.JSONField(
        _("対応できる言語"),
        default=dict,
        blank=True,
        help_text=_("言語コードと程度（greeting / conversation）"),
    )
    menu_languages = ChoiceSetField(_("メニューの言語"), set_choices=Language.choices)
    payment_methods = ChoiceSetField(_("支払い方法"), set_choices=PaymentMethod.choices)
    dietary_options = ChoiceSetField(_("食の配慮"), set_choices=DietaryOption.choices)
    tax_free = models.BooleanField(_("免税対応"), default=False)
    free_wifi = models.BooleanField(_("無料Wi-Fi"), default=False)
    step_free_entrance = models.BooleanField(_("段差のない入口"), default=False)
    accessible_toilet = models.BooleanField(_("車いす対応トイレ"), default=False)
    conveniences_verified_on = models.DateField(_("設備情報の確認日"), null=True, blank=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, db_index=True)
    name_key = models.CharField(max_length=150, editable=False, db_index=True, default="")
    search_text = models.TextField(editable=False, default="")

    objects = ShopQuerySet.as_manager()

    class Meta:
        verbose_name = _("個店")
        verbose_name_plural = _("個店")
        ordering = ["name_kana", "name", "pk"]
        indexes = [
            models.Index(fields=["street", "published_at"], name="directory_shop_street_pub"),
            models.Index(fields=["category", "published_at"], name="directory_shop_cat_pub"),
            # The default ordering (name is name_ja in Japanese, the staff's language).
            models.Index(fields=["name_kana", "name_ja", "id"], name="directory_shop_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class OpeningPeriod(models.Model):  # noqa: DJ008
    """営業時間 — one opening range on a day of the week, or on public holidays.

    ``closes`` at or before ``opens`` means the range runs past midnight (a bar open 18:00–02:00);
    equal times mean open all day.
    """

    class Day(models.IntegerChoices):
        MONDAY = 0, _("月")
        TUESDAY = 1, _("火")
        WEDNESDAY = 2, _("水")
        THURSDAY = 3, _("木")
        FRIDAY = 4, _("金")
        SATURDAY = 5, _("土")
        SUNDAY = 6, _("日")
        HOLIDAY = 7, _("祝")

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="opening_periods", verbose_name=_("個店")
    )
    day = models.PositiveSmallIntegerField(_("曜日"), choices=Day.choices)
    opens = models.TimeField(_("開店"))
    closes = models.TimeField(_("閉店"))

    class Meta:
        verbose_name = _("営業時間")
        verbose_name_plural = _("営業時間")
        ordering = ["day", "opens"]


class OpeningException(models.Model):  # noqa: DJ008
    """臨時休業・臨時営業 — a dated exception to the weekly hours."""

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="opening_exceptions", verbose_name=_("個店")
    )
    date = models.DateField(_("日付"))
    opens = models.TimeField(_("開店"), null=True, blank=True)
    closes = models.TimeField(_("閉店"), null=True, blank=True)
    note = models.CharField(_("メモ"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("臨時休業・営業")
        verbose_name_plural = _("臨時休業・営業")
        ordering = ["date", "opens"]
        indexes = [models.Index(fields=["shop", "date"], name="directory_exception_day")]

    @property
    def is_closed(self) -> bool:
        return self.opens is None


@audited()
class ShopChangeRequest(models.Model):
    """掲載内容の変更申請 — a business member's change to a published shop, waiting for staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("承認待ち")
        APPROVED = "approved", _("承認済み")
        REJECTED = "rejected", _("差し戻し")
        WITHDRAWN = "withdrawn", _("取り下げ")

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("個店")
    )
    changes = models.JSONField(_("変更内容"), default=dict)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("申請者"),
    )
    submitted_at = models.DateTimeField(_("申請日時"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("判断者"),
    )
    decided_at = models.DateTimeField(_("判断日時"), null=True, blank=True)
    reason = models.TextField(_("理由・コメント"), blank=True)

    class Meta:
        verbose_name = _("掲載内容の変更申請")
        verbose_name_plural = _("掲載内容の変更申請")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One open request per shop: a second submission replaces the first (services).
            models.UniqueConstraint(
                fields=["shop"],
                condition=Q(status="pending"),
                name="directory_one_pending_change_per_shop",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shop} ({self.get_status_display()})"


# --- Vacant shop -----------------------------------------------------------------------------------  # noqa: E501


@audited()
class VacantShop(Located, Addressed, TimeStampedModel):
    """空き店舗 — an empty shop unit offered for occupancy (13-1 (2))."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("募集中")
        NEGOTIATING = "negotiating", _("交渉中")
        OCCUPIED = "occupied", _("入居済み")
        WITHDRAWN = "withdrawn", _("募集終了")

    street = models.ForeignKey(
        ShoppingStreet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vacant_shops",
        verbose_name=_("商店街"),
    )
    floor_area_m2 = models.DecimalField(
        _("面積（㎡）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    floor = models.CharField(_("階"), max_length=20, blank=True)
    rent_yen = models.PositiveIntegerField(_("賃料（円／月）"), null=True, blank=True)
    deposit_yen = models.PositiveIntegerField(_("敷金・保証金（円）"), null=True, blank=True)
    former_use = models.CharField(_("従前の用途"), max_length=100, blank=True)
    available_from = models.DateField(_("入居可能日"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=12, choices=Status.choices, default=Status.AVAILABLE, db_index=True
    )
    owner_name = models.CharField(_("所有者・管理者（職員のみ）"), max_length=120, blank=True)
    owner_contact = models.CharField(_("連絡先（職員のみ）"), max_length=200, blank=True)
    notes = models.TextField(_("備考（職員用）"), blank=True)
    address_key = models.CharField(max_length=260, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("空き店舗")
        verbose_name_plural = _("空き店舗")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.address} {self.building}".strip()


class Photo(TranslatedContent):
    """写真 — a photo of a street, a shop or a vacant shop (exactly one of them)."""

    street = models.ForeignKey(
        ShoppingStreet, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    vacant_shop = models.ForeignKey(
        VacantShop, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    image = models.ImageField(_("画像"), upload_to="directory/photos/%Y/%m/")
    caption = models.CharField(_("説明（代替テキスト）"), max_length=200)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("写真")
        verbose_name_plural = _("写真")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(street__isnull=False, shop__isnull=True, vacant_shop__isnull=True)
                    | Q(street__isnull=True, shop__isnull=False, vacant_shop__isnull=True)
                    | Q(street__isnull=True, shop__isnull=True, vacant_shop__isnull=False)
                ),
                name="directory_photo_one_subject",
            )
        ]

    def __str__(self) -> str:
        return self.caption


# --- Import ------------------------------------------------------------------------------------------  # noqa: E501


class ImportJob(models.Model):
    """取込処理 — one uploaded file, checked (dry run) or imported, with its progress and its
    row-by-row report in the language of the staff member who ran it."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("事業者")
        STREET = "street", _("商店街")
        SHOP = "shop", _("個店")
        VACANT_SHOP = "vacant_shop", _("空き店舗")

    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        CHECKING = "checking", _("確認中")
        WRITING = "writing", _("書き込み中")
        DONE = "done", _("完了")
        FAILED = "failed", _("中止（取り込みなし）")

    kind = models.CharField(_("種類"), max_length=12, choices=Kind.choices)
    dry_run = models.BooleanField(_("確認のみ（ドライラン）"), default=True)
    file = models.FileField(_("ファイル"), upload_to="directory/imports/%Y/%m/")
    filename = models.CharField(_("ファイル名"), max_length=255)
    language = models.CharField(_("言語"), max_length=10, default="ja")
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("処理済み行数"), default=0)
    created_count = models.PositiveIntegerField(_("新規"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("変更なし"), default=0)
    refused_count = models.PositiveIntegerField(_("エラー"), default=0)
    report = models.JSONField(_("行ごとの結果"), default=list, blank=True)
    error = models.TextField(_("ファイル全体のエラー"), blank=True)
    source_job = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確認した処理"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("実行者"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("取込処理")
        verbose_name_plural = _("取込処理")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(self.processed_rows * 100 / self.total_rows))

    @property
    def can_import(self) -> bool:
        """A finished dry run with no refused rows may be imported for real."""
        return (
            self.dry_run
            and self.status == self.Status.DONE
            and self.refused_count == 0
            and (self.created_count + self.updated_count) > 0
        )

    def summary(self) -> dict[str, Any]:
        return {
            "created": self.created_count,
            "updated": self.updated_count,
            "unchanged": self.unchanged_count,
            "refused": self.refused_count,
        }

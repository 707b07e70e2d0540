"""Events (イベント): seminars, consultations, machi-zemi courses, fairs and street events.

The shape: a ``Series`` (シリーズ) groups ``Event``s run together and, for a certified startup
programme (特定創業支援等事業), holds the certificate rules; an ``Event`` has one or more
``Session``s (回), each with its own date, capacity and registration window; people sign up for a
session with a ``Registration`` (申込), which is confirmed, waitlisted or offered a freed seat.

Capacity lives in the database: ``Session.seats_taken`` counts the seats held by confirmed
registrations and open offers, a check constraint keeps it within ``capacity``, and the services
change it only while holding the session's row lock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import audited
from shoko.core.japan import TOKYO, FiscalYear
from shoko.core.models import Organisation, TimeStampedModel


class Kind(models.TextChoices):
    """種別 — what kind of gathering it is."""

    SEMINAR = "seminar", _("セミナー")
    CONSULTATION = "consultation", _("個別相談会")
    MACHI_ZEMI = "machi_zemi", _("まちゼミ講座")
    TRADE_FAIR = "trade_fair", _("産業見本市")
    STREET_EVENT = "street_event", _("商店街イベント")
    SCREENING = "screening", _("上映会")
    OTHER = "other", _("その他")


class Programme(models.TextChoices):
    """事業 — which of the ward's programmes the event belongs to (its "flavour")."""

    STARTUP = "startup", _("創業支援")
    SUCCESSION = "succession", _("事業承継")
    WELFARE = "welfare", _("福祉・生活関連産業")
    MACHI_ZEMI = "machi_zemi", _("まちゼミ")
    TRADE_FAIR = "trade_fair", _("産業見本市・商談会")
    STREET_EVENT = "street_event", _("商店街イベント")
    ANIME_SCREENING = "anime_screening", _("アニメ上映会")
    OTHER = "other", _("その他")


class PlanItem(models.TextChoices):
    """計画事業 — the item of the action plan (strategy 13) that the event serves."""

    STARTUP = "13-1(1)", _("13-1 (1) 創業セミナー・創業支援融資")
    VACANT_SHOPS = "13-1(2)", _("13-1 (2) 空き店舗入居促進")
    TRADE_FAIR = "13-2(1)", _("13-2 (1) 企業間交流・販路拡大")
    WELFARE = "13-2(2)", _("13-2 (2) 福祉・生活関連産業モデル事業")
    SUCCESSION = "13-2(3)", _("13-2 (3) 事業承継支援")
    ANIME = "13-2(4)", _("13-2 (4) アニメコンペティション練馬")
    SHOP_COLLABORATION = "13-3(1)", _("13-3 (1) 個店連携支援")
    SHOP_RENOVATION = "13-3(2)", _("13-3 (2) 店舗改修支援")
    MACHI_ZEMI = "13-3(3)", _("13-3 (3) まちゼミ支援")
    DISTINCTIVE_STREETS = "13-4", _("13-4 特色ある商店街への支援")
    PROMOTION = "13-5", _("13-5 商店街の魅力発信")


#: The plan item a programme usually serves (the form's default).
PLAN_ITEM_OF_PROGRAMME = {
    Programme.STARTUP: PlanItem.STARTUP,
    Programme.SUCCESSION: PlanItem.SUCCESSION,
    Programme.WELFARE: PlanItem.WELFARE,
    Programme.MACHI_ZEMI: PlanItem.MACHI_ZEMI,
    Programme.TRADE_FAIR: PlanItem.TRADE_FAIR,
    Programme.STREET_EVENT: PlanItem.DISTINCTIVE_STREETS,
    Programme.ANIME_SCREENING: PlanItem.ANIME,
}


class Division(models.TextChoices):
    """主催課 — the ward division that runs an event."""

    ECONOMY = "economy", _("経済課")
    COMMERCE = "commerce", _("商工観光課")
    OTHER = "other", _("区（その他の部署）")


class SupportArea(models.TextChoices):
    """特定創業支援等事業の4分野 — the areas a certified startup programme must cover."""

    MANAGEMENT = "management", _("経営")
    FINANCE = "finance", _("財務")
    HR = "hr", _("人材育成")
    SALES = "sales", _("販路開拓")


class OrganiserFields(models.Model):
    """主催者 — a division of the ward, or an organisation (a shopping-street association or
    a shop's business; the directory links its Business one-to-one to the Organisation)."""

    organiser_division = models.CharField(
        _("主催課"), max_length=20, choices=Division.choices, blank=True
    )
    organiser_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("主催団体・事業者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def organiser_name(self) -> str:
        if self.organiser_organisation_id:
            return self.organiser_organisation.name
        return str(self.get_organiser_division_display())

    @classmethod
    def organiser_constraint(cls, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=(Q(organiser_organisation__isnull=True) & ~Q(organiser_division=""))
            | (Q(organiser_organisation__isnull=False) & Q(organiser_division="")),
            name=name,
        )


class Venue(TimeStampedModel):
    """会場 — a place with an address and a location, in one of the city's areas (地域) so that
    visitors can find what is on near them."""

    name = models.CharField(_("会場名"), max_length=200)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300)
    latitude = models.DecimalField(_("緯度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("経度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    access = models.CharField(_("アクセス"), max_length=300, blank=True)
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("地域"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venues",
    )

    class Meta:
        verbose_name = _("会場")
        verbose_name_plural = _("会場")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


@audited()
class Series(OrganiserFields, TimeStampedModel):
    """シリーズ — events run together (e.g. 創業セミナー 春コース). For a certified startup
    programme (特定創業支援等事業) it sets the certificate rules."""

    title = models.CharField(_("シリーズ名"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, default=Kind.SEMINAR)
    programme = models.CharField(_("事業"), max_length=20, choices=Programme.choices)
    plan_item = models.CharField(_("計画事業"), max_length=10, choices=PlanItem.choices, blank=True)
    certified_programme = models.BooleanField(
        _("特定創業支援等事業"),
        default=False,
        help_text=_("経営・財務・人材育成・販路開拓の4分野を受講した方に証明書を発行します。"),
    )
    certificate_min_sessions = models.PositiveSmallIntegerField(
        _("証明書に必要な受講回数"), default=4
    )
    certificate_min_days = models.PositiveSmallIntegerField(
        _("証明書に必要な受講期間（日）"),
        default=30,
        help_text=_("最初の受講日から最後の受講日までの日数です。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("シリーズ")
        verbose_name_plural = _("シリーズ")
        ordering = ["-created_at", "-pk"]
        constraints = [OrganiserFields.organiser_constraint("events_series_one_organiser")]

    def __str__(self) -> str:
        return self.title


class EventQuerySet(models.QuerySet["Event"]):
    def public(self) -> Self:
        """Events visitors may see — on their pages, in the sitemap, the open data, the search
        and the public API: published by staff (公開) and with at least one session (回) to
        show; cancelled sessions still count, so that people who booked read the
        cancellation."""
        return self.filter(published=True).filter(
            Exists(Session.objects.filter(event=OuterRef("pk")))
        )


@audited()
class Event(OrganiserFields, TimeStampedModel):
    """イベント — a seminar, consultation day, machi-zemi course, fair, street event or
    screening, with one or more sessions."""

    series = models.ForeignKey(
        Series,
        verbose_name=_("シリーズ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    title = models.CharField(_("イベント名"), max_length=200)
    title_kana = models.CharField(_("イベント名（カナ）"), max_length=200, blank=True)
    description = models.TextField(_("説明"), blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, default=Kind.SEMINAR)
    programme = models.CharField(_("事業"), max_length=20, choices=Programme.choices)
    plan_item = models.CharField(_("計画事業"), max_length=10, choices=PlanItem.choices, blank=True)
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("会場"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("オンライン開催のときは空欄にします。"),
    )
    online_url = models.URLField(_("オンライン参加URL"), blank=True)
    fee = models.PositiveIntegerField(_("参加費（円）"), default=0)
    fee_note = models.CharField(_("参加費の補足"), max_length=200, blank=True)
    group_limit = models.PositiveSmallIntegerField(
        _("1件で申し込める人数"),
        default=1,
        help_text=_("グループでの申込を受け付けるときは2以上にします。"),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("繰り上げの回答期限（時間）"),
        default=24,
        help_text=_("キャンセル待ちの方に席をご案内してから、申込を確定するまでの時間です。"),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("リマインダー送信（開始の何時間前）"), default=48
    )
    contact_name = models.CharField(_("問い合わせ先"), max_length=200, blank=True)
    contact_phone = models.CharField(_("問い合わせ先電話番号"), max_length=20, blank=True)
    published = models.BooleanField(_("公開"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("イベント")
        verbose_name_plural = _("イベント")
        ordering = ["-created_at", "-pk"]
        constraints = [
            OrganiserFields.organiser_constraint("events_event_one_organiser"),
            models.CheckConstraint(condition=Q(group_limit__gte=1), name="events_group_limit_1"),
        ]
        indexes = [models.Index(fields=["published", "kind"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def is_online(self) -> bool:
        return self.venue_id is None

    @property
    def is_free(self) -> bool:
        return self.fee == 0


class SessionQuerySet(models.QuerySet["Session"]):
    def public(self) -> Self:
        """Sessions of public events (``Event.objects.public()``), cancelled ones included."""
        return self.filter(event__published=True)

    def scheduled(self) -> Self:
        """Sessions still going ahead (開催予定 or already held), not cancelled (中止)."""
        return self.filter(status=Session.Status.SCHEDULED)


@audited()
class Session(TimeStampedModel):
    """回 — one date and time of an event, with its capacity and registration window."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("開催予定")
        CANCELLED = "cancelled", _("中止")

    event = models.ForeignKey(
        Event, verbose_name=_("イベント"), on_delete=models.CASCADE, related_name="sessions"
    )
    label = models.CharField(
        _("回の名称"), max_length=200, blank=True, help_text=_("例: 第2回 財務")
    )
    starts_at = models.DateTimeField(_("開始日時"), db_index=True)
    ends_at = models.DateTimeField(_("終了日時"))
    capacity = models.PositiveIntegerField(_("定員"))
    seats_taken = models.PositiveIntegerField(
        _("確保済みの席"),
        default=0,
        editable=False,
        help_text=_("確定した申込と繰り上げ案内中の申込の人数。"),
    )
    registration_opens_at = models.DateTimeField(_("申込開始日時"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("申込締切日時"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("回")
        verbose_name_plural = _("回")
        ordering = ["starts_at", "pk"]
        constraints = [
            # The database itself refuses to sell more seats than there are.
            models.CheckConstraint(
                condition=Q(seats_taken__lte=models.F("capacity")),
                name="events_session_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="events_session_ends_after"
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at, TOKYO).strftime("%Y-%m-%d %H:%M")
        return f"{self.event.title} {self.label} ({when})".replace("  ", " ")

    def save(self, *args: object, **kwargs: object) -> None:
        # The seat counter changes only through the services' conditional updates: saving a
        # copy read earlier must not write back an old count.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "seats_taken"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("events:register", args=[self.pk])

    @property
    def free_seats(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.capacity

    @property
    def local_date(self) -> dt.date:
        return timezone.localtime(self.starts_at, TOKYO).date()

    @property
    def fiscal_year(self) -> FiscalYear:
        return FiscalYear.of(self.starts_at)

    @property
    def closes_at(self) -> dt.datetime:
        return self.registration_closes_at or self.starts_at

    def is_open_for_registration(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.status != self.Status.SCHEDULED or now >= self.closes_at:
            return False
        return self.registration_opens_at is None or now >= self.registration_opens_at


class SessionArea(models.Model):
    """分野 — one of the four certificate areas a session covers."""

    session = models.ForeignKey(
        Session, verbose_name=_("回"), on_delete=models.CASCADE, related_name="areas"
    )
    area = models.CharField(_("分野"), max_length=20, choices=SupportArea.choices)

    class Meta:
        verbose_name = _("分野")
        verbose_name_plural = _("分野")
        constraints = [
            models.UniqueConstraint(fields=["session", "area"], name="events_session_area_unique")
        ]

    def __str__(self) -> str:
        return str(self.get_area_display())


class Question(models.Model):
    """質問 — asked at sign-up (申込時) or in the post-event survey (アンケート), set on an
    event or on a whole series."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("申込時の質問")
        SURVEY = "survey", _("アンケートの質問")

    class Type(models.TextChoices):
        TEXT = "text", _("自由記述")
        YES_NO = "yes_no", _("はい・いいえ")
        CHOICE = "choice", _("選択肢")

    series = models.ForeignKey(
        Series,
        verbose_name=_("シリーズ"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("イベント"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
    )
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    type = models.CharField(_("回答の形式"), max_length=10, choices=Type.choices)
    label = models.CharField(_("質問"), max_length=300)
    choices = models.TextField(_("選択肢（1行に1つ）"), blank=True)
    required = models.BooleanField(_("回答必須"), default=False)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("質問")
        verbose_name_plural = _("質問")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(series__isnull=True) & Q(event__isnull=False))
                | (Q(series__isnull=False) & Q(event__isnull=True)),
                name="events_question_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


def new_token() -> str:
    return secrets.token_urlsafe(18)


#: Personal data: masked in the audit trail, erased by anonymisation.
PERSONAL_FIELDS = ("full_name", "full_name_kana", "email", "phone", "business_name", "answers")


@audited(mask_fields=PERSONAL_FIELDS)
class Registration(TimeStampedModel):
    """申込 — a person's sign-up for a session: confirmed, waitlisted (キャンセル待ち), offered a
    freed seat (繰り上げ案内中), cancelled, or with a lapsed offer."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("申込確定")
        WAITLISTED = "waitlisted", _("キャンセル待ち")
        OFFERED = "offered", _("繰り上げ案内中")
        CANCELLED = "cancelled", _("取消済み")
        OFFER_EXPIRED = "offer_expired", _("繰り上げ期限切れ")

    class Source(models.TextChoices):
        PUBLIC = "public", _("公開サイト")
        PORTAL = "portal", _("事業者ページ")
        STAFF = "staff", _("職員による登録")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("未確認")
        ATTENDED = "attended", _("出席")
        NO_SHOW = "no_show", _("欠席")

    #: Statuses that hold a place: one per person and session (see the constraint below).
    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
    #: Statuses that hold seats (counted in ``Session.seats_taken``).
    HOLDING = (Status.CONFIRMED, Status.OFFERED)

    session = models.ForeignKey(
        Session, verbose_name=_("回"), on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices)
    seats = models.PositiveSmallIntegerField(_("人数"), default=1)
    full_name = models.CharField(_("氏名"), max_length=150)
    full_name_kana = models.CharField(_("氏名（フリガナ）"), max_length=150, blank=True)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    business_name = models.CharField(_("事業者名"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("事業者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申込者アカウント"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    language = models.CharField(
        _("連絡に使う言語"), max_length=10, choices=settings.LANGUAGES, default="ja"
    )
    answers = models.JSONField(_("質問への回答"), default=dict, blank=True)
    source = models.CharField(
        _("申込経路"), max_length=10, choices=Source.choices, default=Source.PUBLIC
    )
    token = models.CharField(_("確認コード"), max_length=40, unique=True, default=new_token)
    waitlisted_at = models.DateTimeField(_("キャンセル待ち登録日時"), null=True, blank=True)
    offered_at = models.DateTimeField(_("繰り上げ案内日時"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("繰り上げ回答期限"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("確定日時"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    attendance = models.CharField(
        _("出欠"), max_length=10, choices=Attendance.choices, default="", blank=True
    )
    checked_in_at = models.DateTimeField(_("受付日時"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受付担当"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(_("リマインダー送信日時"), null=True, blank=True)
    survey_sent_at = models.DateTimeField(_("アンケート依頼日時"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("匿名化日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("申込")
        verbose_name_plural = _("申込")
        ordering = ["created_at", "pk"]
        constraints = [
            # Same person, same session: one live registration, however often they submit.
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(status__in=["confirmed", "waitlisted", "offered"]),
                name="events_registration_one_per_person",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="events_registration_seats"),
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["status", "offer_expires_at"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def holds_seats(self) -> bool:
        return self.status in self.HOLDING


@audited()
class Certificate(TimeStampedModel):
    """証明書 — proof that a person received the certified startup support (特定創業支援等
    事業による支援を受けたことの証明書), numbered per fiscal year."""

    series = models.ForeignKey(
        Series, verbose_name=_("シリーズ"), on_delete=models.PROTECT, related_name="certificates"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("番号"))
    holder_name = models.CharField(_("氏名"), max_length=150)
    holder_name_kana = models.CharField(_("氏名（フリガナ）"), max_length=150, blank=True)
    holder_email = models.EmailField(_("メールアドレス"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("事業者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_certificates",
    )
    issued_on = models.DateField(_("発行日"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("発行者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    registrations = models.ManyToManyField(
        Registration, verbose_name=_("受講した回"), related_name="certificates"
    )

    class Meta:
        verbose_name = _("証明書")
        verbose_name_plural = _("証明書")
        ordering = ["-fiscal_year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "serial"], name="events_certificate_number_unique"
            ),
            models.UniqueConstraint(
                fields=["series", "holder_email"], name="events_certificate_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"

    @property
    def number(self) -> str:
        """``2025-0001``: fiscal year and serial, as printed on the certificate."""
        return f"{self.fiscal_year}-{self.serial:04d}"


@audited()
class ConsultationSlot(TimeStampedModel):
    """相談枠 — a time a consultant offers for an individual consultation (個別相談)."""

    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("相談員"),
        on_delete=models.PROTECT,
        related_name="consultation_slots",
    )
    programme = models.CharField(_("事業"), max_length=20, choices=Programme.choices)
    plan_item = models.CharField(_("計画事業"), max_length=10, choices=PlanItem.choices, blank=True)
    starts_at = models.DateTimeField(_("開始日時"), db_index=True)
    ends_at = models.DateTimeField(_("終了日時"))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("会場"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_slots",
        help_text=_("オンライン相談のときは空欄にします。"),
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)
    published = models.BooleanField(_("公開"), default=True)
    cancelled = models.BooleanField(_("取りやめ"), default=False)

    class Meta:
        verbose_name = _("相談枠")
        verbose_name_plural = _("相談枠")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="events_slot_ends_after"
            )
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at, TOKYO).strftime("%Y-%m-%d %H:%M")
        return f"{self.get_programme_display()} {when}"


@audited(mask_fields=("notes",))
class ConsultationBooking(TimeStampedModel):
    """相談予約と記録 — a business's booking of a slot, then the consultant's record of it:
    topic, notes private to staff, and follow-up."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("予約済み")
        CANCELLED = "cancelled", _("取消済み")
        HELD = "held", _("実施済み")
        NO_SHOW = "no_show", _("欠席")

    ACTIVE = (Status.BOOKED, Status.HELD, Status.NO_SHOW)

    slot = models.ForeignKey(
        ConsultationSlot,
        verbose_name=_("相談枠"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("事業者"),
        on_delete=models.PROTECT,
        related_name="consultation_bookings",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("予約者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_bookings",
    )
    request_note = models.TextField(_("相談したいこと"), blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    topic = models.CharField(_("相談内容（件名）"), max_length=200, blank=True)
    notes = models.TextField(_("記録（職員のみ閲覧）"), blank=True)
    follow_up = models.TextField(_("フォローアップ"), blank=True)
    follow_up_due = models.DateField(_("フォローアップ期日"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("記録日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("相談予約")
        verbose_name_plural = _("相談予約")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            # One slot, one business: the database refuses a second live booking.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["booked", "held", "no_show"]),
                name="events_one_booking_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.slot}"


@audited()
class SurveyResponse(TimeStampedModel):
    """アンケート回答 — one attendee's answers after an event."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("申込"),
        on_delete=models.CASCADE,
        related_name="survey_response",
    )
    satisfaction = models.PositiveSmallIntegerField(_("満足度"))
    comment = models.TextField(_("ご意見・ご感想"), blank=True)
    answers = models.JSONField(_("質問への回答"), default=dict, blank=True)

    class Meta:
        verbose_name = _("アンケート回答")
        verbose_name_plural = _("アンケート回答")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1) & Q(satisfaction__lte=5),
                name="events_survey_satisfaction_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.satisfaction}"


class RegistrantMessage(TimeStampedModel):
    """お知らせ — a message staff sent to an event's registrants."""

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("申込確定の方")
        WAITLISTED = "waitlisted", _("キャンセル待ちの方")
        ALL = "all", _("申込中のすべての方")

    event = models.ForeignKey(
        Event, verbose_name=_("イベント"), on_delete=models.CASCADE, related_name="messages"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("回"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    audience = models.CharField(_("宛先"), max_length=20, choices=Audience.choices)
    subject = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送信者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recipient_count = models.PositiveIntegerField(_("送信数"), default=0)

    class Meta:
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

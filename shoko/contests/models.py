"""Contests (コンテスト): calls for entries, entries with large videos, judging and awards.

A competition engine the ward reuses for any call — the Anime Competition Nerima (アニメコンペ
ティション練馬) is its first configuration, a poster contest or a shop-front award the next. The
shape::

    Call (募集) ─┬─ Category (部門: rules as data — ages, local connection, duration, formats)
                 ├─ Declaration (誓約: rights, unreleased, music cleared…)
                 ├─ ChecklistItem (審査前の確認項目)
                 ├─ Entry (応募作品) ─┬─ EntryMember (制作メンバー), Still (場面写真)
                 │                     ├─ Video (動画: chunks → probe → thumbnail → rendition)
                 │                     ├─ EntryCheck, FixRequest, EntryDecision (資格審査と記録)
                 │                     └─ ConflictDeclaration (利害関係の申告)
                 ├─ Round (審査ラウンド) ─┬─ Criterion (評価項目), RoundJudge (審査員)
                 │                         └─ RoundEntry (対象作品) ─ ScoreSheet (採点表)
                 └─ Award (賞) ─ AwardWinner (受賞作品)

Who sees what is decided in ``access.py``; what changes state lives in ``services``; the
entry's moves are one table in ``workflow.py``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import audited
from shoko.core.japan import FiscalYear
from shoko.core.models import Organisation, TimeStampedModel


class Division(models.TextChoices):
    """主催課 — the ward division whose staff run a call ("staff of the call")."""

    ECONOMY = "economy", _("経済課")
    COMMERCE = "commerce", _("商工観光課")


class WorkKind(models.TextChoices):
    """作品の種類 — what an entry is made of."""

    VIDEO = "video", _("動画")
    IMAGE = "image", _("画像")


@audited()
class Call(TimeStampedModel):
    """募集 — one edition of a competition: its categories, window, rules and results."""

    slug = models.SlugField(_("URL名"), max_length=80, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    summary = models.CharField(_("概要"), max_length=300, blank=True)
    description = models.TextField(_("募集要項"), blank=True)
    organiser = models.CharField(
        _("主催"),
        max_length=200,
        blank=True,
        help_text=_("例: 練馬区・一般社団法人練馬アニメーション"),
    )
    division = models.CharField(_("担当課"), max_length=20, choices=Division.choices)
    plan_item = models.CharField(
        _("計画事業"),
        max_length=20,
        blank=True,
        help_text=_("例: 13-2(4)。行動計画の事業番号です。"),
    )
    edition = models.PositiveSmallIntegerField(_("回"), default=1)
    opens_at = models.DateTimeField(_("受付開始日時"))
    closes_at = models.DateTimeField(_("受付締切日時"))
    age_reference_date = models.DateField(
        _("年齢の基準日"), help_text=_("応募資格の年齢は、この日の満年齢で判断します。")
    )
    entries_per_person = models.PositiveSmallIntegerField(
        _("1人あたりの応募数の上限"), default=2, validators=[MinValueValidator(1)]
    )
    max_video_bytes = models.PositiveBigIntegerField(
        _("動画の上限サイズ（バイト）"),
        null=True,
        blank=True,
        help_text=_("空欄なら全体の設定（SHOKO_CONTESTS_MAX_VIDEO_BYTES）です。"),
    )
    member_studios = models.ManyToManyField(
        Organisation,
        verbose_name=_("会員スタジオ"),
        blank=True,
        related_name="contest_calls",
        help_text=_("「会員スタジオに所属」の資格に使います（例: 練馬アニメーション会員企業）。"),
    )
    published = models.BooleanField(_("公開"), default=False)
    results_published_at = models.DateTimeField(_("結果発表日時"), null=True, blank=True)
    results_licence = models.CharField(_("結果データのライセンス"), max_length=60, blank=True)
    contact = models.CharField(_("問い合わせ先"), max_length=300, blank=True)
    screening_event = models.ForeignKey(
        "events.Event",
        verbose_name=_("上映会"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("募集")
        verbose_name_plural = _("募集")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="contests_call_closes_after"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:call", args=[self.slug])

    @property
    def fiscal_year(self) -> FiscalYear:
        return FiscalYear.of(self.closes_at)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.published and self.opens_at <= now < self.closes_at

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    @property
    def video_limit(self) -> int:
        return int(self.max_video_bytes or settings.SHOKO_CONTESTS_MAX_VIDEO_BYTES)

    @property
    def licence(self) -> str:
        return self.results_licence or str(settings.SHOKO_OPEN_DATA_LICENCE)


@audited()
class Category(models.Model):
    """部門 — a category of a call with its own rules (e.g. 1分アニメ部門: 30–90 seconds,
    high-school age and up). Eligibility rules are data (``eligibility.RULES``)."""

    call = models.ForeignKey(
        Call, verbose_name=_("募集"), on_delete=models.CASCADE, related_name="categories"
    )
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("部門名"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    task_brief = models.TextField(
        _("課題"), blank=True, help_text=_("課題制作の部門で、応募者に示す課題です。")
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=10)
    work_kind = models.CharField(
        _("作品の種類"), max_length=10, choices=WorkKind.choices, default=WorkKind.VIDEO
    )
    min_seconds = models.DecimalField(
        _("最短の長さ（秒）"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    max_seconds = models.DecimalField(
        _("最長の長さ（秒）"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    formats = models.JSONField(
        _("受け付ける形式"),
        default=list,
        blank=True,
        help_text=_("動画のコンテナ形式（mp4, mov, webm, mkv, avi）。空なら制限なし。"),
    )
    rules = models.JSONField(_("応募資格"), default=list, blank=True)
    entries_per_person = models.PositiveSmallIntegerField(
        _("この部門への1人あたりの応募数"), default=1, validators=[MinValueValidator(1)]
    )
    max_group_size = models.PositiveSmallIntegerField(
        _("グループの人数の上限"), default=5, validators=[MinValueValidator(1)]
    )
    stills_required = models.PositiveSmallIntegerField(_("必要な場面写真の枚数"), default=1)
    stills_max = models.PositiveSmallIntegerField(_("場面写真の上限"), default=3)

    class Meta:
        verbose_name = _("部門")
        verbose_name_plural = _("部門")
        ordering = ["call", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="contests_category_code"),
            models.CheckConstraint(
                condition=Q(min_seconds__isnull=True)
                | Q(max_seconds__isnull=True)
                | Q(max_seconds__gte=models.F("min_seconds")),
                name="contests_category_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_video(self) -> bool:
        return self.work_kind == WorkKind.VIDEO


class Declaration(models.Model):
    """誓約事項 — what an entrant declares (own work or rights cleared; not released
    commercially; music cleared). A category's declarations are the call's plus its own."""

    call = models.ForeignKey(
        Call, verbose_name=_("募集"), on_delete=models.CASCADE, related_name="declarations"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("部門"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="declarations",
    )
    code = models.SlugField(_("コード"), max_length=40)
    text = models.CharField(_("誓約の文言"), max_length=400)
    order = models.PositiveSmallIntegerField(_("表示順"), default=10)

    class Meta:
        verbose_name = _("誓約事項")
        verbose_name_plural = _("誓約事項")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="contests_declaration_code")
        ]

    def __str__(self) -> str:
        return self.text


class ChecklistItem(models.Model):
    """資格審査の確認項目 — what staff check on every entry before it goes to the judges."""

    call = models.ForeignKey(
        Call, verbose_name=_("募集"), on_delete=models.CASCADE, related_name="checklist"
    )
    code = models.SlugField(_("コード"), max_length=40)
    label = models.CharField(_("確認項目"), max_length=300)
    order = models.PositiveSmallIntegerField(_("表示順"), default=10)

    class Meta:
        verbose_name = _("確認項目")
        verbose_name_plural = _("確認項目")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="contests_checklist_code")
        ]

    def __str__(self) -> str:
        return self.label


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("応募済み")
    FIX_REQUESTED = "fix_requested", _("修正依頼中")
    ELIGIBLE = "eligible", _("審査対象")
    DISQUALIFIED = "disqualified", _("失格")
    WITHDRAWN = "withdrawn", _("取り下げ")


class LocalConnection(models.TextChoices):
    """区とのつながり — how an entrant is connected to the city."""

    LIVE = "live", _("区内在住")
    WORK = "work", _("区内在勤")
    STUDY = "study", _("区内在学")
    STUDIO = "studio", _("会員スタジオに所属")


class CareerStage(models.TextChoices):
    """アニメーターとしての経歴 (若手アニメーターチャレンジの資格)."""

    NONE = "", _("該当なし")
    IN_BETWEEN = "in_between", _("動画（原画を目指している）")
    KEY_ANIMATION = "key_animation", _("原画")


class EntryQuerySet(models.QuerySet["Entry"]):
    def live(self) -> EntryQuerySet:
        """Entries that count: everything except drafts and withdrawn ones."""
        return self.exclude(status__in=[EntryStatus.DRAFT, EntryStatus.WITHDRAWN])

    def awaiting_review(self) -> EntryQuerySet:
        """Submitted (or corrected) and waiting for staff's eligibility review."""
        return self.filter(status=EntryStatus.SUBMITTED)

    def eligible(self) -> EntryQuerySet:
        return self.filter(status=EntryStatus.ELIGIBLE)

    def counting_towards_limit(self) -> EntryQuerySet:
        """What the per-person limit counts: entries filed and not withdrawn or disqualified."""
        return self.filter(
            status__in=[EntryStatus.SUBMITTED, EntryStatus.FIX_REQUESTED, EntryStatus.ELIGIBLE]
        )


@audited()
class Entry(TimeStampedModel):
    """応募作品 — a work entered in a category by a person (alone, for a group, or for a studio
    — a business they belong to)."""

    call = models.ForeignKey(
        Call, verbose_name=_("募集"), on_delete=models.PROTECT, related_name="entries"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("部門"), on_delete=models.PROTECT, related_name="entries"
    )
    entrant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("応募者"),
        on_delete=models.PROTECT,
        related_name="contest_entries",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("応募する事業者・スタジオ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contest_entries",
    )
    number = models.CharField(_("受付番号"), max_length=30, blank=True, db_index=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    title = models.CharField(_("作品名"), max_length=200, blank=True)
    title_en = models.CharField(_("作品名（英語）"), max_length=200, blank=True)
    synopsis = models.TextField(_("あらすじ・作品紹介"), max_length=2000, blank=True)
    synopsis_en = models.TextField(_("あらすじ（英語）"), max_length=2000, blank=True)
    pen_name = models.CharField(
        _("ペンネーム"),
        max_length=100,
        blank=True,
        help_text=_("発表や上映では、ペンネームがあればペンネームで紹介します。"),
    )
    entrant_name = models.CharField(_("氏名"), max_length=150, blank=True)
    entrant_name_kana = models.CharField(_("氏名（フリガナ）"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("生年月日"), null=True, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    connections = models.JSONField(_("区とのつながり"), default=list, blank=True)
    connection_detail = models.CharField(
        _("在勤・在学先"), max_length=200, blank=True, help_text=_("勤務先・学校の名称")
    )
    studio = models.ForeignKey(
        Organisation,
        verbose_name=_("所属スタジオ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    career_stage = models.CharField(
        _("経歴"), max_length=20, choices=CareerStage.choices, blank=True
    )
    first_key_animation_year = models.PositiveSmallIntegerField(
        _("原画を初めて担当した年"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2200)],
    )
    technique = models.CharField(_("制作技法"), max_length=200, blank=True)
    music_credits = models.TextField(
        _("使用した音楽・素材"),
        blank=True,
        help_text=_("曲名・作者・権利処理の方法（自作、フリー素材、許諾済み）を書いてください。"),
    )
    declarations = models.JSONField(_("誓約"), default=dict, blank=True)
    guardian_name = models.CharField(_("保護者の氏名"), max_length=150, blank=True)
    guardian_relationship = models.CharField(_("続柄"), max_length=50, blank=True)
    guardian_email = models.EmailField(_("保護者のメールアドレス"), blank=True)
    guardian_consented_at = models.DateTimeField(_("保護者の同意日時"), null=True, blank=True)
    language = models.CharField(
        _("連絡の言語"), max_length=10, choices=settings.LANGUAGES, default="ja"
    )
    video = models.OneToOneField(
        "Video",
        verbose_name=_("応募動画"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("応募日時"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("取り下げ日時"), null=True, blank=True)
    fix_deadline = models.DateTimeField(_("修正の期限"), null=True, blank=True)
    disqualification_reason = models.TextField(_("失格の理由"), blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("応募作品")
        verbose_name_plural = _("応募作品")
        ordering = ["call", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "number"],
                condition=~Q(number=""),
                name="contests_entry_number_unique",
            )
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.number or _('（下書き）')} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("contests:my-entry", args=[self.pk])

    @property
    def credit(self) -> str:
        """The name shown publicly: the pen name if there is one."""
        return self.pen_name or self.entrant_name or str(_("（名前未入力）"))

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        """Age on the call's reference date (満年齢)."""
        return self.age_on(self.call.age_reference_date)

    @property
    def is_minor(self) -> bool:
        age = self.age
        return age is not None and age < settings.SHOKO_CONTESTS_AGE_OF_MAJORITY

    @property
    def connection_labels(self) -> list[str]:
        labels = dict(LocalConnection.choices)
        return [str(labels.get(code, code)) for code in self.connections or []]

    @property
    def is_editable(self) -> bool:
        return self.status in (EntryStatus.DRAFT, EntryStatus.FIX_REQUESTED)


class EntryMember(models.Model):
    """制作メンバー — a member of a group entry and what they did (監督, 作画, 音楽…)."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("応募作品"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("氏名"), max_length=150)
    pen_name = models.CharField(_("ペンネーム"), max_length=100, blank=True)
    role = models.CharField(_("担当"), max_length=100)
    order = models.PositiveSmallIntegerField(_("表示順"), default=10)

    class Meta:
        verbose_name = _("制作メンバー")
        verbose_name_plural = _("制作メンバー")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.pen_name or self.name} ({self.role})"

    @property
    def credit(self) -> str:
        return self.pen_name or self.name


class Still(TimeStampedModel):
    """場面写真 — a still from the work (re-encoded on upload: no metadata kept)."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("応募作品"), on_delete=models.CASCADE, related_name="stills"
    )
    file_name = models.CharField(max_length=200, editable=False)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("説明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=10)

    class Meta:
        verbose_name = _("場面写真")
        verbose_name_plural = _("場面写真")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption or f"still {self.pk}"


class VideoStatus(models.TextChoices):
    UPLOADING = "uploading", _("アップロード中")
    ASSEMBLING = "assembling", _("受信したファイルを確認中")
    PROBING = "probing", _("動画を解析中")
    ACCEPTED = "accepted", _("受付済み")
    REFUSED = "refused", _("受け付けられません")
    FAILED = "failed", _("処理に失敗しました")


class RenditionStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("不要（そのまま再生できます）")
    PENDING = "pending", _("変換待ち")
    RUNNING = "running", _("変換中")
    DONE = "done", _("変換済み")
    FAILED = "failed", _("変換に失敗しました")


@audited(exclude_fields=["received_bytes", "rendition_progress", "probe"])
class Video(TimeStampedModel):
    """動画 — one upload of an entry's video: the resumable upload's state, then what
    ``ffprobe`` found in the file, its thumbnail and its browser-playable rendition.

    The file is inspected, never trusted: its name and the browser's content type are kept only
    for display; the container, codecs, size, frame rate and duration come from ``ffprobe``.
    """

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(
        Entry, verbose_name=_("応募作品"), on_delete=models.CASCADE, related_name="videos"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    original_name = models.CharField(_("元のファイル名"), max_length=255)
    size = models.PositiveBigIntegerField(_("サイズ（バイト）"))
    chunk_size = models.PositiveIntegerField()
    received_bytes = models.PositiveBigIntegerField(default=0)
    checksum = models.CharField(
        _("チェックサム（チャンクのSHA-256の連結のSHA-256）"), max_length=64, blank=True
    )
    sha256 = models.CharField(_("ファイルのSHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=VideoStatus.choices, default=VideoStatus.UPLOADING
    )
    message = models.TextField(_("確認結果"), blank=True)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    probe = models.JSONField(default=dict, blank=True, editable=False)
    container = models.CharField(_("コンテナ"), max_length=40, blank=True)
    video_codec = models.CharField(_("映像コーデック"), max_length=40, blank=True)
    audio_codec = models.CharField(_("音声コーデック"), max_length=40, blank=True)
    width = models.PositiveIntegerField(_("幅"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高さ"), null=True, blank=True)
    frame_rate = models.DecimalField(
        _("フレームレート"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    duration = models.DecimalField(
        _("長さ（秒）"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    thumbnail_name = models.CharField(max_length=200, blank=True, editable=False)
    rendition_name = models.CharField(max_length=200, blank=True, editable=False)
    rendition_status = models.CharField(
        _("再生用ファイル"),
        max_length=20,
        choices=RenditionStatus.choices,
        default=RenditionStatus.NOT_NEEDED,
    )
    rendition_progress = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("動画")
        verbose_name_plural = _("動画")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_bytes__lte=models.F("size")), name="contests_video_received"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="contests_video_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def chunk_count(self) -> int:
        return max(1, -(-self.size // self.chunk_size))

    def chunk_length(self, index: int) -> int:
        """Every chunk is ``chunk_size`` long except the last."""
        if index < self.chunk_count - 1:
            return self.chunk_size
        return self.size - self.chunk_size * (self.chunk_count - 1)

    @property
    def chunk_prefix(self) -> str:
        return f"contests/uploads/{self.token.hex}"

    @property
    def playable_name(self) -> str:
        """The file a browser plays: the rendition if one was needed, else the original."""
        if self.rendition_status == RenditionStatus.NOT_NEEDED:
            return self.file_name
        return self.rendition_name if self.rendition_status == RenditionStatus.DONE else ""

    @property
    def upload_percent(self) -> int:
        return int(self.received_bytes * 100 // self.size) if self.size else 0

    @property
    def duration_seconds(self) -> float | None:
        return float(self.duration) if self.duration is not None else None


class UploadChunk(models.Model):
    """One received chunk of a video upload, with the SHA-256 the client sent and we checked."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["video", "index"]
        constraints = [
            models.UniqueConstraint(fields=["video", "index"], name="contests_chunk_unique")
        ]

    def __str__(self) -> str:
        return f"{self.video_id}#{self.index}"

    @property
    def storage_name(self) -> str:
        return f"{self.video.chunk_prefix}/{self.index:06d}"


@audited()
class EntryCheck(models.Model):
    """資格審査の確認 — staff's tick (or cross) against one checklist item for one entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="checks")
    ok = models.BooleanField(_("確認済み"), default=False)
    note = models.CharField(_("メモ"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("資格審査の確認")
        verbose_name_plural = _("資格審査の確認")
        constraints = [
            models.UniqueConstraint(fields=["entry", "item"], name="contests_check_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.item_id}: {self.ok}"


@audited()
class FixRequest(TimeStampedModel):
    """修正依頼 — staff ask the entrant to correct something by a deadline."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="fix_requests")
    message = models.TextField(_("修正してほしい内容"))
    deadline = models.DateTimeField(_("期限"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("修正日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("修正依頼")
        verbose_name_plural = _("修正依頼")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.message[:50]


class EntryDecision(models.Model):
    """応募作品の記録 — each move of an entry (submitted, fix requested, eligible,
    disqualified, withdrawn…): who, when, from which state, and why."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=EntryStatus.choices)
    to_status = models.CharField(max_length=20, choices=EntryStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_status} → {self.to_status}"


# --- Judging ------------------------------------------------------------------------------------


class Assignment(models.TextChoices):
    """審査員の割り当て方."""

    ALL = "all", _("全員が全作品を審査")
    BY_CATEGORY = "by_category", _("部門ごとに担当")
    BALANCED = "balanced", _("作品ごとに K 人以上を無作為に割り当て")


class RoundStatus(models.TextChoices):
    SETUP = "setup", _("準備中")
    SCORING = "scoring", _("採点中")
    CLOSED = "closed", _("締切済み")


@audited()
class Round(TimeStampedModel):
    """審査ラウンド — a first round narrows the field, a final round decides the awards."""

    call = models.ForeignKey(
        Call, verbose_name=_("募集"), on_delete=models.CASCADE, related_name="rounds"
    )
    order = models.PositiveSmallIntegerField(_("順番"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    assignment = models.CharField(
        _("割り当て"), max_length=20, choices=Assignment.choices, default=Assignment.ALL
    )
    judges_per_entry = models.PositiveSmallIntegerField(
        _("1作品あたりの審査員数（K）"), default=3, validators=[MinValueValidator(1)]
    )
    seed = models.PositiveIntegerField(
        _("割り当ての乱数シード"),
        default=0,
        help_text=_("同じシードなら同じ割り当てになります（再現できます）。"),
    )
    scale_min = models.PositiveSmallIntegerField(_("評点の最小"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("評点の最大"), default=10)
    status = models.CharField(
        _("状態"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.SETUP
    )
    scoring_closes_at = models.DateTimeField(_("採点の締切"), null=True, blank=True)

    class Meta:
        verbose_name = _("審査ラウンド")
        verbose_name_plural = _("審査ラウンド")
        ordering = ["call", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="contests_round_order"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="contests_round_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call} — {self.name}"


class Criterion(models.Model):
    """評価項目 — one line of a round's rubric, with its weight."""

    round = models.ForeignKey(
        Round, verbose_name=_("審査ラウンド"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("評価項目"), max_length=200)
    description = models.CharField(_("説明"), max_length=400, blank=True)
    weight = models.DecimalField(
        _("重み"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=10)

    class Meta:
        verbose_name = _("評価項目")
        verbose_name_plural = _("評価項目")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="contests_criterion_code")
        ]

    def __str__(self) -> str:
        return self.name


class RoundJudge(models.Model):
    """A judge on a round's panel; with ``by_category``, the categories the judge scores."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="panel")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_rounds"
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="+")

    class Meta:
        verbose_name = _("審査員")
        verbose_name_plural = _("審査員")
        constraints = [
            models.UniqueConstraint(fields=["round", "judge"], name="contests_round_judge")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.judge}"


class RoundEntry(models.Model):
    """An entry in a round's field (the first round takes every eligible entry, a later round
    those staff advance)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="field")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="rounds")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "entry"], name="contests_round_entry")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.entry_id}"


class ScoreSheetQuerySet(models.QuerySet["ScoreSheet"]):
    def counting(self) -> ScoreSheetQuerySet:
        """Sheets whose score counts: submitted and not recused."""
        return self.filter(submitted_at__isnull=False, recused_at__isnull=True)

    def to_do(self) -> ScoreSheetQuerySet:
        return self.filter(submitted_at__isnull=True, recused_at__isnull=True)


@audited()
class ScoreSheet(TimeStampedModel):
    """採点表 — one judge's scores for one entry in one round: a value per criterion, the
    weighted score, a comment the entrant will read and a private note for the jury."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sheets")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_sheets"
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sheets")
    scores = models.JSONField(_("評点"), default=dict, blank=True)
    total = models.DecimalField(
        _("評点（加重平均）"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    comment_to_entrant = models.TextField(_("応募者へのコメント"), blank=True)
    private_note = models.TextField(_("審査員メモ（非公開）"), blank=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    recused_at = models.DateTimeField(_("回避日時"), null=True, blank=True)

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("採点表")
        verbose_name_plural = _("採点表")
        ordering = ["round", "entry__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "judge", "entry"], name="contests_sheet_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.judge_id}/{self.entry_id}"


@audited()
class ConflictDeclaration(TimeStampedModel):
    """利害関係の申告 — a judge declares a conflict of interest with an entry (a relative, a
    student, a colleague…) and is recused from it in every round of the call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="conflicts")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_conflicts"
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("理由"), max_length=300)

    class Meta:
        verbose_name = _("利害関係の申告")
        verbose_name_plural = _("利害関係の申告")
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry"], name="contests_conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.judge} ↔ {self.entry}"


# --- Awards -------------------------------------------------------------------------------------


class Award(models.Model):
    """賞 — e.g. グランプリ, 部門賞, 審査員特別賞; per category or for the whole call."""

    call = models.ForeignKey(
        Call, verbose_name=_("募集"), on_delete=models.CASCADE, related_name="awards"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("部門"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="awards",
    )
    name = models.CharField(_("賞の名称"), max_length=200)
    places = models.PositiveSmallIntegerField(
        _("受賞数"), default=1, validators=[MinValueValidator(1)]
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=10)

    class Meta:
        verbose_name = _("賞")
        verbose_name_plural = _("賞")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


@audited()
class AwardWinner(TimeStampedModel):
    """受賞 — an entry given an award, with the jury's comment (講評) shown on the results."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="winners")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="awards_won")
    jury_comment = models.TextField(_("講評"))
    screened = models.BooleanField(_("上映する"), default=True)

    class Meta:
        verbose_name = _("受賞作品")
        verbose_name_plural = _("受賞作品")
        ordering = ["award__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["award", "entry"], name="contests_winner_unique")
        ]

    def __str__(self) -> str:
        return f"{self.award}: {self.entry}"

"""Support programmes (支援事業) as data, and the one application workflow they all share.

A ``Programme`` says who may apply, what it pays for and how much, when, with which documents and
questions, and how applications are scored. An ``Application`` moves through the states of
``workflow.TRANSITIONS`` (the one table of the workflow); every move is logged as a
``TransitionLog`` row. Money is whole yen throughout; the budget of a programme for a fiscal year
is one ``ProgrammeBudget`` row, locked when an approval commits money against it.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import audited
from shoko.core.japan import FiscalYear
from shoko.core.models import TimeStampedModel
from shoko.programmes.documents import EXTENSIONS


class Division(models.TextChoices):
    """担当課 — the division that runs a programme and decides its applications."""

    ECONOMY = "economy", _("経済課")
    COMMERCE = "commerce", _("商工観光課")


class Rounding(models.TextChoices):
    """端数処理 — how a computed grant is rounded to the programme's unit."""

    FLOOR = "floor", _("切捨て")
    HALF_UP = "half_up", _("四捨五入")


class Subject(models.TextChoices):
    """What an application is about, so the form asks for the right record."""

    BUSINESS = "business", _("事業者の取組")
    SHOP = "shop", _("個店の取組")
    STREET = "street", _("商店街の取組")
    VACANT_SHOP = "vacant_shop", _("空き店舗への入居")


class Stage(models.TextChoices):
    """When a document or an expense belongs: with the application or with the report."""

    APPLICATION = "application", _("申請時")
    REPORT = "report", _("実績報告時")


class Status(models.TextChoices):
    """申請の状態 — see ``workflow.TRANSITIONS`` for how one becomes another."""

    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("申請済み")
    RETURNED = "returned", _("差戻し")
    RESUBMITTED = "resubmitted", _("再申請済み")
    UNDER_REVIEW = "under_review", _("審査中")
    APPROVED = "approved", _("交付決定")
    REJECTED = "rejected", _("不交付")
    WITHDRAWN = "withdrawn", _("取下げ")
    WORK_COMPLETED = "work_completed", _("事業完了")
    REPORT_SUBMITTED = "report_submitted", _("実績報告済み")
    CONFIRMED = "confirmed", _("額の確定")
    PAID = "paid", _("支払済み")


#: States in which a grant stands (approved and not withdrawn): budget is committed for them.
GRANTED_STATUSES = frozenset(
    {
        Status.APPROVED,
        Status.WORK_COMPLETED,
        Status.REPORT_SUBMITTED,
        Status.CONFIRMED,
        Status.PAID,
    }
)
#: States in which the applicant may still change the application and its documents.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})
#: States that are waiting for staff.
WAITING_FOR_STAFF = frozenset(
    {Status.SUBMITTED, Status.RESUBMITTED, Status.UNDER_REVIEW, Status.REPORT_SUBMITTED}
)


# --- The programme --------------------------------------------------------------------------------


# Reverse relations are not changes of the record: keep them out of its audit rows.
@audited(
    exclude_fields=[
        "expense_categories",
        "required_documents",
        "form_sections",
        "rubric",
        "windows",
        "budgets",
        "applications",
    ]
)
class Programme(TimeStampedModel):
    """支援事業 — one grant or support programme of the plan, entirely described by data."""

    code = models.SlugField(_("事業コード"), max_length=40, unique=True)
    name = models.CharField(_("事業名"), max_length=200)
    summary = models.CharField(_("概要"), max_length=300, blank=True)
    description = models.TextField(_("説明"), blank=True)
    configuration_note = models.TextField(
        _("設定についての注記"),
        blank=True,
        help_text=_("金額・率などの出典や注意（例: デモ用の設定値であること）を申請者に示します。"),
    )
    plan_item = models.CharField(
        _("計画の項目"), max_length=20, blank=True, help_text=_("例: 13-3(2)")
    )
    division = models.CharField(_("担当課"), max_length=20, choices=Division.choices)
    subject = models.CharField(
        _("申請の対象"), max_length=20, choices=Subject.choices, default=Subject.BUSINESS
    )
    eligibility_rules = models.JSONField(
        _("申請資格"),
        default=list,
        blank=True,
        help_text=_('例: [{"rule": "founded_within_years", "params": {"years": 5}}]'),
    )
    rate_numerator = models.PositiveIntegerField(_("補助率（分子）"), default=1)
    rate_denominator = models.PositiveIntegerField(_("補助率（分母）"), default=2)
    cap_yen = models.PositiveBigIntegerField(_("補助上限額（円）"), null=True, blank=True)
    minimum_expense_yen = models.PositiveBigIntegerField(_("補助対象経費の下限（円）"), default=0)
    rounding_unit = models.PositiveIntegerField(
        _("端数処理の単位（円）"), default=1000, help_text=_("1000 なら千円未満を処理します。")
    )
    rounding = models.CharField(
        _("端数処理"), max_length=10, choices=Rounding.choices, default=Rounding.FLOOR
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("実績報告の期限（事業完了後の日数）"),
        default=30,
        help_text=_("事業完了日からこの日数、または年度末のいずれか早い日が期限です。"),
    )
    notice_prefix = models.CharField(
        _("通知書の文書記号"), max_length=20, blank=True, help_text=_("例: 練産商")
    )
    is_published = models.BooleanField(_("公開"), default=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("支援事業")
        verbose_name_plural = _("支援事業")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_denominator__gt=0) & Q(rate_numerator__lte=F("rate_denominator")),
                name="programmes_rate_is_a_fraction_up_to_one",
            ),
            models.CheckConstraint(
                condition=Q(rounding_unit__gt=0), name="programmes_rounding_unit_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rate_label(self) -> str:
        if self.rate_numerator == self.rate_denominator:
            return "10/10"
        return f"{self.rate_numerator}/{self.rate_denominator}"

    @property
    def staff_role(self) -> str:
        """The role of the staff who run this programme (besides admin)."""
        return {Division.ECONOMY: "economy_staff", Division.COMMERCE: "commerce_staff"}[
            Division(self.division)
        ]

    @property
    def document_prefix(self) -> str:
        return (
            self.notice_prefix
            or {Division.ECONOMY: "練産経", Division.COMMERCE: "練産商"}[Division(self.division)]
        )


@audited()
class ExpenseCategory(models.Model):
    """補助対象経費の区分 — a kind of expense the programme pays for."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="expense_categories"
    )
    code = models.SlugField(_("区分コード"), max_length=40)
    name = models.CharField(_("経費区分"), max_length=100)
    order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("経費区分")
        verbose_name_plural = _("経費区分")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="programmes_expense_category_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FileKind(models.TextChoices):
    """Kinds of file Shoko recognises by their content (magic bytes), not by their name."""

    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    XLSX = "xlsx", "Excel (xlsx)"
    DOCX = "docx", "Word (docx)"


@audited(exclude_fields=["files"])
class RequiredDocument(models.Model):
    """提出書類 — a document the programme asks for, with the kinds and size it accepts."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="required_documents"
    )
    code = models.SlugField(_("書類コード"), max_length=40)
    name = models.CharField(_("書類名"), max_length=150)
    help_text = models.CharField(_("説明"), max_length=300, blank=True)
    stage = models.CharField(
        _("提出時期"), max_length=20, choices=Stage.choices, default=Stage.APPLICATION
    )
    file_kinds = models.JSONField(_("受け付けるファイル形式"), default=list)
    max_bytes = models.PositiveIntegerField(
        _("最大サイズ（バイト）"), null=True, blank=True, help_text=_("空欄ならサイト全体の上限")
    )
    is_required = models.BooleanField(_("必須"), default=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("提出書類")
        verbose_name_plural = _("提出書類")
        ordering = ["stage", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="programmes_document_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def size_limit(self) -> int:
        site = settings.SHOKO_UPLOAD_MAX_BYTES
        return min(self.max_bytes, site) if self.max_bytes else site

    @property
    def accept(self) -> str:
        """The HTML ``accept`` attribute: a hint to the picker; the content is checked anyway."""
        return ",".join(ext for kind in self.file_kinds for ext in EXTENSIONS.get(kind, ()))


@audited(exclude_fields=["questions"])
class FormSection(models.Model):
    """申請書の追加項目の区分 — a section of a programme's extra questions."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="form_sections")
    title = models.CharField(_("見出し"), max_length=150)
    order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("申請書の区分")
        verbose_name_plural = _("申請書の区分")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    TEXT = "text", _("1行の文章")
    TEXTAREA = "textarea", _("複数行の文章")
    INTEGER = "integer", _("整数")
    YEN = "yen", _("金額（円）")
    DATE = "date", _("日付")
    CHOICE = "choice", _("選択肢")
    YES_NO = "yes_no", _("はい／いいえ")


@audited()
class FormQuestion(models.Model):
    """追加の設問 — a typed question of the programme's form. Choices are one per line; the
    lines of every language correspond, and the answer stores the Japanese line."""

    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("設問コード"), max_length=40)
    label = models.CharField(_("設問"), max_length=300)
    help_text = models.CharField(_("説明"), max_length=300, blank=True)
    kind = models.CharField(_("種類"), max_length=10, choices=QuestionKind.choices)
    choices = models.TextField(_("選択肢（1行に1つ）"), blank=True)
    is_required = models.BooleanField(_("必須"), default=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("設問")
        verbose_name_plural = _("設問")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="programmes_question_code")
        ]

    def __str__(self) -> str:
        return self.label


@audited()
class RubricCriterion(models.Model):
    """審査基準 — one criterion of the review rubric, with its weight and maximum score."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rubric")
    code = models.SlugField(_("基準コード"), max_length=40)
    name = models.CharField(_("審査項目"), max_length=150)
    description = models.CharField(_("着眼点"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("重み"), default=1)
    max_score = models.PositiveSmallIntegerField(_("満点"), default=5)
    order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("審査基準")
        verbose_name_plural = _("審査基準")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="programmes_criterion_code"),
            models.CheckConstraint(
                condition=Q(max_score__gt=0), name="programmes_criterion_max_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class ApplicationWindow(models.Model):
    """募集期間 — when applications for a fiscal year are accepted (both days included)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="windows")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    label = models.CharField(_("名称"), max_length=60, blank=True, help_text=_("例: 第1期"))
    opens_on = models.DateField(_("受付開始日"))
    closes_on = models.DateField(_("受付終了日"))

    class Meta:
        verbose_name = _("募集期間")
        verbose_name_plural = _("募集期間")
        ordering = ["fiscal_year", "opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("closes_on")), name="programmes_window_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} FY{self.fiscal_year} {self.opens_on}–{self.closes_on}"

    @property
    def fy(self) -> FiscalYear:
        return FiscalYear(self.fiscal_year)


@audited()
class ProgrammeBudget(models.Model):
    """予算 — a programme's budget for one fiscal year and the money held against it.

    ``committed_yen`` is what standing grant decisions hold (reduced to the confirmed amount on
    額の確定, released on withdrawal); ``confirmed_yen`` and ``paid_yen`` are tracked apart.
    Approvals lock this row (``select_for_update``) so that two of them cannot both take the
    last yen; the check constraint is the database's own last word on it.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    amount_yen = models.PositiveBigIntegerField(_("予算額（円）"))
    committed_yen = models.PositiveBigIntegerField(_("交付決定済み（円）"), default=0)
    confirmed_yen = models.PositiveBigIntegerField(_("額の確定済み（円）"), default=0)
    paid_yen = models.PositiveBigIntegerField(_("支払済み（円）"), default=0)

    class Meta:
        verbose_name = _("予算")
        verbose_name_plural = _("予算")
        ordering = ["programme", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "fiscal_year"], name="programmes_one_budget_per_year"
            ),
            models.CheckConstraint(
                condition=Q(committed_yen__lte=F("amount_yen")),
                name="programmes_budget_not_overcommitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} FY{self.fiscal_year}"

    @property
    def remaining_yen(self) -> int:
        return self.amount_yen - self.committed_yen

    @property
    def fy(self) -> FiscalYear:
        return FiscalYear(self.fiscal_year)


# --- The application ------------------------------------------------------------------------------


@audited(
    exclude_fields=[
        "expenses",
        "documents",
        "document_requests",
        "transitions",
        "reviews",
        "notices",
    ]
)
class Application(TimeStampedModel):
    """申請 — a business's application to a programme for one fiscal year, from draft to payment.

    Links to the directory and to users have no reverse accessors (``related_name="+"``), so
    that other apps' records and their audit rows do not grow fields because of this one."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="applications", verbose_name=_("事業")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    business = models.ForeignKey(
        "directory.Business",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申請者"),
    )
    number = models.CharField(_("申請番号"), max_length=30, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("事業の名称"), max_length=200)
    summary = models.TextField(_("事業の内容"), blank=True)
    shop = models.ForeignKey(
        "directory.Shop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("対象の個店"),
    )
    street = models.ForeignKey(
        "directory.ShoppingStreet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("対象の商店街"),
    )
    vacant_shop = models.ForeignKey(
        "directory.VacantShop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("入居する空き店舗"),
    )
    area = models.ForeignKey(
        "directory.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("地域"),
    )
    planned_start = models.DateField(_("事業開始予定日"), null=True, blank=True)
    planned_end = models.DateField(_("事業完了予定日"), null=True, blank=True)
    # The applicant's details as filed (prefilled from the business record: once-only).
    applicant_name = models.CharField(_("申請者名"), max_length=200)
    representative_name = models.CharField(_("代表者名"), max_length=120, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=7, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=15, blank=True)
    email = models.EmailField(_("連絡先メールアドレス"), blank=True)
    answers = models.JSONField(_("追加項目への回答"), default=dict, blank=True)
    eligible_expense_yen = models.PositiveBigIntegerField(_("補助対象経費（円）"), default=0)
    requested_yen = models.PositiveBigIntegerField(_("交付申請額（円）"), default=0)
    approved_yen = models.PositiveBigIntegerField(_("交付決定額（円）"), null=True, blank=True)
    reported_expense_yen = models.PositiveBigIntegerField(
        _("実績の補助対象経費（円）"), null=True, blank=True
    )
    report_requested_yen = models.PositiveBigIntegerField(
        _("実績報告の請求額（円）"), null=True, blank=True
    )
    confirmed_yen = models.PositiveBigIntegerField(_("確定額（円）"), null=True, blank=True)
    paid_yen = models.PositiveBigIntegerField(_("支払額（円）"), null=True, blank=True)
    report_summary = models.TextField(_("実施結果"), blank=True)
    completed_on = models.DateField(_("事業完了日"), null=True, blank=True)
    report_due_on = models.DateField(_("実績報告の期限"), null=True, blank=True)
    paid_on = models.DateField(_("支払日"), null=True, blank=True)
    last_comment = models.TextField(_("区からのコメント"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("作成者"),
    )
    filed_by_proxy = models.BooleanField(_("代理申請"), default=False)
    submitted_at = models.DateTimeField(_("申請日時"), null=True, blank=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("申請")
        verbose_name_plural = _("申請")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["programme", "fiscal_year", "status"], name="programmes_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="programmes_application_number"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_yen__isnull=True) | Q(confirmed_yen__lte=F("approved_yen")),
                name="programmes_confirmed_not_above_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('（未提出）')} {self.title}"

    @property
    def fy(self) -> FiscalYear:
        return FiscalYear(self.fiscal_year)

    @property
    def organisation_id(self) -> int:
        return self.business.organisation_id

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_granted(self) -> bool:
        return self.status in GRANTED_STATUSES


class ExpenseLine(models.Model):
    """経費の内訳 — one planned (申請時) or actual (実績) expense of an application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="expenses")
    stage = models.CharField(_("時期"), max_length=20, choices=Stage.choices)
    category = models.ForeignKey(
        ExpenseCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("経費区分")
    )
    description = models.CharField(_("内容"), max_length=200)
    amount_yen = models.PositiveBigIntegerField(_("金額（円・税抜）"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("経費の内訳")
        verbose_name_plural = _("経費の内訳")
        ordering = ["stage", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.description} {self.amount_yen:,}"


def _document_path(instance: ApplicationDocument, filename: str) -> str:
    # Stored under a random name: the applicant's file name is kept only as data.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"programmes/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


@audited()
class ApplicationDocument(models.Model):
    """提出書類のファイル — one version of a document; earlier versions are kept."""

    class Scan(models.TextChoices):
        CLEAN = "clean", _("問題なし")
        NOT_SCANNED = "not_scanned", _("未検査")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        RequiredDocument,
        on_delete=models.PROTECT,
        related_name="files",
        null=True,
        blank=True,
        verbose_name=_("書類"),
    )
    stage = models.CharField(_("時期"), max_length=20, choices=Stage.choices)
    version = models.PositiveSmallIntegerField(_("版"), default=1)
    is_current = models.BooleanField(_("最新版"), default=True)
    file = models.FileField(_("ファイル"), upload_to=_document_path)
    original_name = models.CharField(_("ファイル名"), max_length=255)
    kind = models.CharField(_("形式"), max_length=10, choices=FileKind.choices)
    size = models.PositiveIntegerField(_("サイズ（バイト）"))
    sha256 = models.CharField(max_length=64)
    scan = models.CharField(
        _("ウイルス検査"), max_length=12, choices=Scan.choices, default=Scan.NOT_SCANNED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("提出日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("提出書類のファイル")
        verbose_name_plural = _("提出書類のファイル")
        ordering = ["stage", "requirement__order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement", "version"],
                name="programmes_document_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"


@audited()
class DocumentRequest(models.Model):
    """書類の追加提出依頼 — staff ask the applicant for a missing or better document."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="document_requests"
    )
    requirement = models.ForeignKey(
        RequiredDocument,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("書類"),
    )
    message = models.TextField(_("依頼内容"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    fulfilled_at = models.DateTimeField(_("提出日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("書類の追加提出依頼")
        verbose_name_plural = _("書類の追加提出依頼")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.message[:60]


class TransitionLog(models.Model):
    """状態の変更記録 — one move of the workflow: who, when, from what to what, and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    transition = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(_("変更前"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("変更後"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("操作者"),
    )
    on_behalf = models.BooleanField(_("代理"), default=False)
    comment = models.TextField(_("コメント"), blank=True)
    amount_yen = models.PositiveBigIntegerField(_("金額（円）"), null=True, blank=True)
    acted_at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("状態の変更記録")
        verbose_name_plural = _("状態の変更記録")
        ordering = ["acted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


@audited()
class Review(models.Model):
    """審査 — one reviewer's rubric scores for an application, or their recusal."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    scores = models.JSONField(_("評点"), default=dict, blank=True)
    comment = models.TextField(_("所見"), blank=True)
    conflict_declared = models.BooleanField(_("利害関係あり（辞退）"), default=False)
    conflict_note = models.CharField(_("利害関係の内容"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("審査")
        verbose_name_plural = _("審査")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="programmes_one_review_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.reviewer}"


class NoticeKind(models.TextChoices):
    GRANT_DECISION = "grant_decision", _("交付決定通知書")
    AMOUNT_CONFIRMATION = "amount_confirmation", _("額の確定通知書")


def _notice_path(instance: Notice, filename: str) -> str:
    return f"programmes/notices/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


@audited()
class Notice(models.Model):
    """通知書 — a numbered PDF the ward issues: 交付決定通知書 or 額の確定通知書."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("種類"), max_length=30, choices=NoticeKind.choices)
    number = models.CharField(_("文書番号"), max_length=40, unique=True)
    issued_on = models.DateField(_("発行日"))
    amount_yen = models.PositiveBigIntegerField(_("金額（円）"))
    file = models.FileField(_("PDF"), upload_to=_notice_path)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("通知書")
        verbose_name_plural = _("通知書")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


def translated_choice_lines(question: FormQuestion, language: str | None = None) -> list[str]:
    """The question's choices in ``language`` (falling back to Japanese line by line)."""
    language = (language or get_language() or "ja").replace("-", "_")
    base = [line.strip() for line in (question.choices_ja or "").splitlines() if line.strip()]
    local = getattr(question, f"choices_{language}", None) or ""
    lines = [line.strip() for line in local.splitlines() if line.strip()]
    return [lines[i] if i < len(lines) else base[i] for i in range(len(base))]


def choice_label(question: FormQuestion, value: Any, language: str | None = None) -> str:
    base = [line.strip() for line in (question.choices_ja or "").splitlines() if line.strip()]
    if value in base:
        return translated_choice_lines(question, language)[base.index(value)]
    return str(value)

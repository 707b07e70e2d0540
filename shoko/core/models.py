"""People and organisations: who may act in Shoko, and on whose behalf."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for records whose creation and last change time staff ask about."""

    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # Mailboxes are case-insensitive in practice; one person must not get two accounts.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=self.normalize_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """利用者 — a person who signs in with an email address: staff, consultant, judge or a
    member of a business."""

    email = models.EmailField(_("メールアドレス"), unique=True)
    full_name = models.CharField(_("氏名"), max_length=150, blank=True)
    full_name_kana = models.CharField(_("氏名（フリガナ）"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("使用言語"), max_length=10, choices=settings.LANGUAGES, default="ja"
    )
    is_active = models.BooleanField(_("有効"), default=True)
    is_staff = models.BooleanField(
        _("管理サイトへのアクセス"),
        default=False,
        help_text=_("Django 管理サイトにログインできるかどうか。"),
    )
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        constraints = [models.UniqueConstraint(Lower("email"), name="core_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = UserManager.normalize_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email.split("@")[0]


class Organisation(TimeStampedModel):
    """組織 — a body whose members act in Shoko on its behalf: a business (事業者), a
    shopping-street association (商店街) or another group. The directory app keeps the business
    details; core keeps only what permission checks need."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("事業者")
        ASSOCIATION = "association", _("団体・商店街")
        OTHER = "other", _("その他")

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, default=Kind.BUSINESS)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organisations",
        verbose_name=_("メンバー"),
    )

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = _("組織")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """所属 — a user's place in an organisation and what they may do there."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("代表者")
        MANAGER = "manager", _("担当者（編集可）")
        VIEWER = "viewer", _("閲覧のみ")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("利用者"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("組織"),
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.MANAGER)

    class Meta:
        verbose_name = _("所属")
        verbose_name_plural = _("所属")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="core_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def can_edit(self) -> bool:
        return self.role in {self.Role.REPRESENTATIVE, self.Role.MANAGER}


class NumberSequence(models.Model):
    """採番 — the last number given under a key (a fiscal year's application numbers, notice
    numbers, certificate numbers). Taken through ``shoko.core.numbering.next_number``."""

    key = models.CharField(_("キー"), max_length=60, unique=True)
    last = models.PositiveIntegerField(_("最終番号"), default=0)

    class Meta:
        verbose_name = _("採番")
        verbose_name_plural = _("採番")

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"

"""The public portal (13-5 ☆ 商店街の魅力発信): stories about streets and shops, and the search
index that finds streets, shops, events and stories in five languages.

Streets and shops themselves live in the directory; the portal only shows them.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from shoko.core.audit import audited
from shoko.core.models import TimeStampedModel
from shoko.directory.models import Shop, ShoppingStreet, TranslatedContent


class StoryQuerySet(models.QuerySet["Story"]):
    def public(self) -> Self:
        """Stories visitors may read — on their pages, in the sitemap and the search: those
        published (公開中). A story stays public when the shop or street it is about is
        withdrawn; it then no longer links to it (``with_public_subjects``)."""
        return self.filter(status=Story.Status.PUBLISHED)

    def with_public_subjects(self) -> Self:
        """Annotate ``street_is_public`` and ``shop_is_public``: whether the story may link to
        its street and shop (their pages answer only when they are public)."""
        return self.annotate(
            street_is_public=Exists(ShoppingStreet.objects.public().filter(pk=OuterRef("street"))),
            shop_is_public=Exists(Shop.objects.public().filter(pk=OuterRef("shop"))),
        )


@audited(exclude_fields=["search_reading"])
class Story(TranslatedContent, TimeStampedModel):
    """記事 — an article about a shopping street or a shop, written by ward staff or by a street
    association, published through draft → in review → published → archived."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        REVIEW = "review", _("確認待ち")
        PUBLISHED = "published", _("公開中")
        ARCHIVED = "archived", _("公開終了")

    title = models.CharField(_("見出し"), max_length=150)
    title_kana = models.CharField(
        _("見出しのよみ"),
        max_length=200,
        blank=True,
        help_text=_("ひらがな・カタカナで。ローマ字検索に使います。"),
    )
    summary = models.CharField(_("要約"), max_length=300, blank=True)
    body = models.TextField(_("本文"))
    keywords = models.CharField(
        _("検索キーワード"),
        max_length=300,
        blank=True,
        help_text=_("よみや別名など、検索で見つけてほしい言葉（スペース区切り、どの言語でも）"),
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    street = models.ForeignKey(
        "directory.ShoppingStreet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("商店街"),
    )
    shop = models.ForeignKey(
        "directory.Shop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("個店"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("執筆した団体"),
        help_text=_("商店会が書いた記事のとき。区の職員が書いた記事は空です。"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("執筆者"),
    )
    byline = models.CharField(_("署名"), max_length=120, blank=True)
    cover_image = models.ImageField(_("写真"), upload_to="portal/stories/%Y/%m/", blank=True)
    cover_alt = models.CharField(
        _("写真の代替テキスト"),
        max_length=200,
        blank=True,
        help_text=_("写真に何が写っているかを、目の見えない方にも伝わるように書きます。"),
    )
    is_featured = models.BooleanField(_("トップページに掲載"), default=False)
    submitted_at = models.DateTimeField(_("確認依頼日時"), null=True, blank=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確認者"),
    )
    review_note = models.TextField(_("確認のコメント"), blank=True)
    search_reading = models.CharField(max_length=400, editable=False, default="")

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("記事")
        verbose_name_plural = _("記事")
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="portal_story_public")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class SearchEntry(models.Model):
    """検索索引 — one findable thing (a street, shop, story, event …) with its text folded for
    search in every language. Written only by ``shoko.portal.search``; on SQLite an FTS5
    trigram table mirrors it through triggers, on PostgreSQL a pg_trgm GIN index covers it."""

    kind = models.CharField(_("種類"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("ID"))
    path = models.CharField(_("URL（言語なし）"), max_length=300)
    titles = models.JSONField(_("見出し（言語別）"), default=dict)
    summaries = models.JSONField(_("要約（言語別）"), default=dict)
    title_text = models.TextField(default="")
    body_text = models.TextField(default="")
    romaji = models.TextField(default="")
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("検索索引")
        verbose_name_plural = _("検索索引")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="portal_search_one_per_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"

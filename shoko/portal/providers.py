"""The portal's own search providers: shopping streets, shops and stories.

Shops carry their street's and category's names in every language as keywords, so that
``ramen ekoda`` finds the ramen shops of Ekoda; the street's kana reading stays with the street
(romaji ``nerima`` then finds streets first, not every shop near Nerima station).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from shoko.core.translation import translated_field_names
from shoko.directory.models import Shop, ShoppingStreet
from shoko.portal import labels
from shoko.portal.models import Story
from shoko.portal.registry import SearchProvider
from shoko.portal.search import Document, DocumentText

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def field_in(obj: Any, name: str, language: str) -> str:
    """A translated field's own value in ``language`` (no fallback), or ``""``."""
    return getattr(obj, f"{name}_{language.replace('-', '_')}", None) or ""


def _path(url_name: str, pk: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(url_name, args=[pk])


class StreetProvider(SearchProvider):
    kind = "street"
    label = _("商店街")
    order = 10
    sitemap_section = "streets"
    detail_url_name = "portal:street-detail"

    def public(self) -> QuerySet[ShoppingStreet]:
        return ShoppingStreet.objects.public().select_related("area")

    def document(self, street: ShoppingStreet, *, public: bool) -> Document:
        texts = {}
        for lang in LANGUAGES:
            with translation.override(lang):
                concepts = " ".join(str(labels.CONCEPTS.get(c, c)) for c in street.concepts)
            area = field_in(street.area, "name", lang) if street.area_id else ""
            texts[lang] = DocumentText(
                title=field_in(street, "name", lang),
                body=field_in(street, "description", lang),
                keywords=f"{area} {concepts}",
            )
        return Document(
            kind=self.kind,
            object_id=street.pk,
            path=_path(self.detail_url_name, street.pk),
            published=public,
            texts=texts,
            readings=(street.name_kana, street.area.name_kana if street.area_id else ""),
            keywords=street.nearest_stations,
        )

    def connect(self) -> None:
        self.index_on_save(ShoppingStreet)
        pre_save.connect(
            _street_changing, sender=ShoppingStreet, weak=False, dispatch_uid="portal-street-rename"
        )
        post_save.connect(
            _street_changed, sender=ShoppingStreet, weak=False, dispatch_uid="portal-street-shops"
        )
        pre_delete.connect(
            _street_deleting, sender=ShoppingStreet, weak=False, dispatch_uid="portal-street-del"
        )
        post_delete.connect(
            _street_deleted, sender=ShoppingStreet, weak=False, dispatch_uid="portal-street-gone"
        )


_STREET_NAME_FIELDS = translated_field_names("name")
_BEFORE = "_portal_before_save"
_SHOPS = "_portal_shop_ids"


def _street_changing(
    sender: Any, instance: ShoppingStreet, raw: bool = False, **kwargs: Any
) -> None:
    if raw or instance.pk is None:
        return
    # A note for post_save, which compares: shops are re-indexed only once the street is saved.
    vars(instance)[_BEFORE] = (
        ShoppingStreet.objects.filter(pk=instance.pk)
        .values("is_published", *_STREET_NAME_FIELDS)
        .first()
    )


def _street_changed(
    sender: Any, instance: ShoppingStreet, raw: bool = False, created: bool = False, **kwargs: Any
) -> None:
    """A street's shops follow it: withdrawn or published again, they leave or rejoin the
    index in the same transaction (a shop is public only on a public street); renamed, they are
    re-indexed in the background (they carry its name as a keyword)."""
    before = vars(instance).pop(_BEFORE, None)
    if raw or created or before is None:
        return
    if before["is_published"] != instance.is_published:
        reindex_shops_of(instance.pk)
    elif any(before[f] != getattr(instance, f) for f in _STREET_NAME_FIELDS):
        street_id = instance.pk
        transaction.on_commit(lambda: reindex_street_shops.enqueue(street_id), robust=True)


def _street_deleting(sender: Any, instance: ShoppingStreet, **kwargs: Any) -> None:
    # The street's shops stay, standing alone (``street`` is set to NULL, without signals).
    vars(instance)[_SHOPS] = list(instance.shops.values_list("pk", flat=True))


def _street_deleted(sender: Any, instance: ShoppingStreet, **kwargs: Any) -> None:
    """Shops of a deleted street are re-indexed as shops of no street."""
    shop_ids = vars(instance).pop(_SHOPS, None)
    if shop_ids:
        reindex_shops(shop_ids)


class ShopProvider(SearchProvider):
    kind = "shop"
    label = _("お店")
    order = 20
    sitemap_section = "shops"
    detail_url_name = "portal:shop-detail"
    chunk_size = 2000

    def public(self) -> QuerySet[Shop]:
        return Shop.objects.public().select_related("street", "category")

    def document(self, shop: Shop, *, public: bool) -> Document:
        texts = {}
        for lang in LANGUAGES:
            street = field_in(shop.street, "name", lang) if shop.street_id else ""
            category = field_in(shop.category, "name", lang) if shop.category_id else ""
            texts[lang] = DocumentText(
                title=field_in(shop, "name", lang),
                body=field_in(shop, "description", lang),
                keywords=f"{category} {street}",
            )
        return Document(
            kind=self.kind,
            object_id=shop.pk,
            path=_path(self.detail_url_name, shop.pk),
            published=public,
            texts=texts,
            readings=(shop.name_kana,),
        )

    def connect(self) -> None:
        self.index_on_save(Shop)


class StoryProvider(SearchProvider):
    kind = "story"
    label = _("記事")
    order = 15
    sitemap_section = "stories"
    detail_url_name = "portal:story-detail"

    def public(self) -> QuerySet[Story]:
        return Story.objects.public()

    def document(self, story: Story, *, public: bool) -> Document:
        texts = {
            lang: DocumentText(
                title=field_in(story, "title", lang),
                body=" ".join([field_in(story, "summary", lang), field_in(story, "body", lang)]),
            )
            for lang in LANGUAGES
        }
        return Document(
            kind=self.kind,
            object_id=story.pk,
            path=_path(self.detail_url_name, story.pk),
            published=public,
            texts=texts,
            readings=(story.title_kana,),
            keywords=story.keywords,
        )

    def connect(self) -> None:
        self.index_on_save(Story)


@task()
def reindex_street_shops(street_id: int) -> int:
    """A street was renamed: its shops carry the name in their search documents (run in the
    background, enqueued by ``_street_changed``)."""
    return reindex_shops_of(street_id)


def reindex_shops_of(street_id: int) -> int:
    """Re-index every shop of a street (public or not: those no longer public leave)."""
    shops = Shop.objects.filter(street_id=street_id).select_related("street", "category")
    return ShopProvider().reindex_many(shops)


def reindex_shops(shop_ids: list[int]) -> int:
    shops = Shop.objects.filter(pk__in=shop_ids).select_related("street", "category")
    return ShopProvider().reindex_many(shops)

"""The portal's own search providers: shopping streets, shops and stories.

Shops carry their street's and category's names in every language as keywords, so that
``ramen ekoda`` finds the ramen shops of Ekoda; the street's kana reading stays with the street
(romaji ``nerima`` then finds streets first, not every shop near Nerima station).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from shoko.core.translation import translated_field_names
from shoko.directory.models import Shop, ShoppingStreet
from shoko.portal import labels, search
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

    def documents(self) -> Iterator[Document]:
        for street in ShoppingStreet.objects.select_related("area").iterator(chunk_size=500):
            yield self.document(street)

    def document(self, street: ShoppingStreet) -> Document:
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
            path=_path("portal:street-detail", street.pk),
            published=street.is_published,
            texts=texts,
            readings=(street.name_kana, street.area.name_kana if street.area_id else ""),
            keywords=street.nearest_stations,
        )

    def connect(self) -> None:
        self.index_on_save(ShoppingStreet)
        pre_save.connect(
            _street_renamed, sender=ShoppingStreet, weak=False, dispatch_uid="portal-street-rename"
        )


def _street_renamed(
    sender: Any, instance: ShoppingStreet, raw: bool = False, **kwargs: Any
) -> None:
    """Shops carry their street's name: re-index them (in the background) when it changes."""
    if raw or instance.pk is None:
        return
    fields = translated_field_names("name")
    before = ShoppingStreet.objects.filter(pk=instance.pk).values(*fields).first()
    if before and any(before[f] != getattr(instance, f) for f in fields):
        street_id = instance.pk
        transaction.on_commit(lambda: reindex_street_shops.enqueue(street_id), robust=True)


class ShopProvider(SearchProvider):
    kind = "shop"
    label = _("お店")
    order = 20

    def queryset(self) -> Any:
        return Shop.objects.filter(published_at__isnull=False).select_related("street", "category")

    def documents(self) -> Iterator[Document]:
        for shop in self.queryset().iterator(chunk_size=2000):
            yield self.document(shop)

    def document(self, shop: Shop) -> Document:
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
            path=_path("portal:shop-detail", shop.pk),
            published=shop.published_at is not None,
            texts=texts,
            readings=(shop.name_kana,),
        )

    def connect(self) -> None:
        self.index_on_save(Shop)


class StoryProvider(SearchProvider):
    kind = "story"
    label = _("記事")
    order = 15

    def documents(self) -> Iterator[Document]:
        for story in Story.objects.filter(status=Story.Status.PUBLISHED).iterator(chunk_size=500):
            yield self.document(story)

    def document(self, story: Story) -> Document:
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
            path=_path("portal:story-detail", story.pk),
            published=story.is_published,
            texts=texts,
            readings=(story.title_kana,),
            keywords=story.keywords,
        )

    def connect(self) -> None:
        self.index_on_save(Story)


@task()
def reindex_street_shops(street_id: int) -> int:
    """A street was renamed: its shops carry the name in their search documents (run in the
    background, enqueued by ``_street_renamed``)."""
    return reindex_shops_of(street_id)


def reindex_shops_of(street_id: int) -> int:
    provider = ShopProvider()
    return search.index_many(
        provider.document(shop) for shop in provider.queryset().filter(street_id=street_id)
    )

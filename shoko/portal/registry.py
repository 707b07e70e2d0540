"""How other apps plug into the portal without the portal importing them.

**Search providers.** An app that has public things to find registers a provider in its
``AppConfig.ready()``; the provider names the app's one rule of what is public (a queryset
method, ``Event.objects.public()``), and the portal uses it for the search index and the
sitemap alike::

    from shoko.portal.registry import SearchProvider, register_search_provider

    class EventProvider(SearchProvider):
        kind = "event"
        label = _("イベント")
        order = 30
        sitemap_section = "events"         # listed in /sitemap.xml (leave "" to stay out)
        detail_url_name = "events:detail"  # the page of one record, reversed with its pk

        def public(self):                  # what visitors may see, nothing else
            return Event.objects.public()

        def document(self, event, *, public):   # one record → one Document
            return Document(kind="event", object_id=event.pk, path=event.get_path(),
                            published=public, texts={...}, readings=(event.title_kana,))

        def connect(self):                 # keep the index in step with edits
            self.index_on_save(Event)

    register_search_provider(EventProvider())

``documents()`` (rebuilds) walks ``public()``; ``reindex(obj)`` asks ``public()`` whether the
record is public, and takes it out of the index when it is not.

**Home blocks.** A block is a small template shown on the portal's home page when its app is
installed (this week's events and machi-zemi, the plan's progress)::

    register_home_block(HomeBlock(
        key="events-this-week", template="events/portal/home_block.html",
        context=lambda request: {"events": this_week()} or None, order=30, tags=("events",),
    ))

``context`` returns the template's context, or ``None`` to leave the block out (nothing this
week). The home page is cached: an app whose block changes calls
``shoko.portal.cache.invalidate(*block.tags)`` when its records change (``"events"`` above).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from shoko.portal import search
from shoko.portal.search import Document

__all__ = [
    "HomeBlock",
    "SearchProvider",
    "home_blocks",
    "provider_for",
    "register_home_block",
    "register_search_provider",
    "search_providers",
]


class SearchProvider(ABC):
    """Base class: set ``kind``, ``label`` and ``order``; implement ``public``, ``document`` and
    ``connect`` (``index_on_save`` covers the usual case)."""

    kind: str = ""
    label: Any = ""
    order: int = 100
    #: Cache tags to invalidate when one of this provider's records changes.
    tags: tuple[str, ...] = ()
    #: The sitemap section (``sitemap-<section>-<page>.xml``); "" keeps the kind out.
    sitemap_section: str = ""
    #: URL name of a record's page, reversed with its pk (sitemaps).
    detail_url_name: str = ""
    #: Records read per round trip when rebuilding the index.
    chunk_size: int = 500

    @abstractmethod
    def public(self) -> QuerySet[Any]:
        """Every record of this kind that visitors may see: the app's one rule."""

    @abstractmethod
    def document(self, obj: Any, *, public: bool) -> Document:
        """One record as a search document (``published=public``)."""

    @abstractmethod
    def connect(self) -> None:
        """Connect the signals that keep the index in step (``index_on_save`` covers most)."""

    def documents(self) -> Iterator[Document]:
        """Every public record, for rebuilds."""
        for obj in self.public().iterator(chunk_size=self.chunk_size):
            yield self.document(obj, public=True)

    def is_public(self, obj: Any) -> bool:
        return self.public().filter(pk=obj.pk).exists()

    def reindex(self, obj: Any) -> None:
        search.index(self.document(obj, public=self.is_public(obj)))

    def reindex_many(self, records: QuerySet[Any]) -> int:
        """Re-index ``records`` (public or not) in bulk: those no longer public leave the
        index. Returns how many documents are in it afterwards."""
        public_ids = set(
            self.public().filter(pk__in=records.values("pk")).values_list("pk", flat=True)
        )
        return search.index_many(
            self.document(obj, public=obj.pk in public_ids)
            for obj in records.iterator(chunk_size=self.chunk_size)
        )

    def index_on_save(self, model: type[models.Model]) -> None:
        """Re-index a record when it is saved, take it out when it is deleted. The index is in
        the same database, so it is written in the same transaction as the record."""

        def saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
            if not raw:
                self.reindex(instance)

        def deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
            search.remove(self.kind, instance.pk)

        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"portal-{self.kind}-save")
        post_delete.connect(
            deleted, sender=model, weak=False, dispatch_uid=f"portal-{self.kind}-delete"
        )


_PROVIDERS: dict[str, SearchProvider] = {}


def register_search_provider(provider: SearchProvider) -> None:
    """Register (or replace) the provider of ``provider.kind`` and connect its signals."""
    if not provider.kind:
        raise ValueError("a search provider needs a kind")
    _PROVIDERS[provider.kind] = provider
    search.register_kind(provider.kind)
    provider.connect()


def search_providers() -> list[SearchProvider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.kind))


def provider_for(kind: str) -> SearchProvider | None:
    return _PROVIDERS.get(kind)


# --- Home page blocks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeBlock:
    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100
    tags: tuple[str, ...] = ()


_BLOCKS: dict[str, HomeBlock] = {}


def register_home_block(block: HomeBlock) -> None:
    _BLOCKS[block.key] = block


def unregister_home_block(key: str) -> None:
    _BLOCKS.pop(key, None)


def home_blocks() -> list[HomeBlock]:
    return sorted(_BLOCKS.values(), key=lambda b: (b.order, b.key))

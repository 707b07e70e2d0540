"""How other apps plug into the portal without the portal importing them.

**Search providers.** An app that has public things to find registers a provider in its
``AppConfig.ready()``::

    from shoko.portal.registry import SearchProvider, register_search_provider

    class EventProvider(SearchProvider):
        kind = "event"
        label = _("イベント")
        order = 30

        def documents(self):               # every public record, for rebuild_search_index
            for event in Event.objects.published().iterator(chunk_size=1000):
                yield self.document(event)

        def document(self, event):         # one record → one Document
            return Document(kind="event", object_id=event.pk, path=event.get_path(),
                            published=event.is_public, texts={...}, readings=(event.title_kana,))

        def connect(self):                 # keep the index in step with edits
            self.index_on_save(Event)

    register_search_provider(EventProvider())

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
    """Base class: set ``kind``, ``label`` and ``order``; implement ``documents`` and
    ``document``; ``connect`` wires signals (``index_on_save`` covers the usual case)."""

    kind: str = ""
    label: Any = ""
    order: int = 100
    #: Cache tags to invalidate when one of this provider's records changes.
    tags: tuple[str, ...] = ()

    @abstractmethod
    def documents(self) -> Iterator[Document]:
        """Every record of this kind that the public may find (for rebuilds)."""

    @abstractmethod
    def document(self, obj: Any) -> Document:
        """One record as a search document."""

    @abstractmethod
    def connect(self) -> None:
        """Connect the signals that keep the index in step (``index_on_save`` covers most)."""

    def reindex(self, obj: Any) -> None:
        search.index(self.document(obj))

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

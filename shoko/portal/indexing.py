"""Rebuilding the search index from every registered provider, in batches, with progress."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from django.db import connection

from shoko.portal import search
from shoko.portal.registry import provider_for, search_providers
from shoko.portal.search import Document

BATCH = 2000


def _counted(
    documents: Iterator[Document], progress: Callable[[str], None], kind: str
) -> Iterator[Document]:
    for n, document in enumerate(documents, start=1):
        if n % (BATCH * 5) == 0:
            progress(f"  {kind}: {n}")
        yield document


def rebuild(
    *, kinds: Sequence[str] | None = None, progress: Callable[[str], None] = lambda _line: None
) -> dict[str, int]:
    """Replace the index of each provider (all, or ``kinds``); returns documents per kind."""
    providers = (
        [p for p in (provider_for(k) for k in kinds) if p is not None]
        if kinds
        else search_providers()
    )
    if kinds and len(providers) != len(kinds):
        missing = [k for k in kinds if provider_for(k) is None]
        raise KeyError(missing[0])
    counts: dict[str, int] = {}
    for provider in providers:
        progress(f"{provider.kind}: indexing")
        search.clear(provider.kind)
        counts[provider.kind] = search.index_many(
            _counted(provider.documents(), progress, provider.kind), batch_size=BATCH
        )
        progress(f"{provider.kind}: {counts[provider.kind]} documents")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO portal_search_fts(portal_search_fts) VALUES ('optimize')")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE portal_searchentry")
    return counts

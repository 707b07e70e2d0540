# SQL here is built from constant fragments only; every value is a query parameter.
# ruff: noqa: S608
"""One search box for the whole portal, behind one interface:

    index(document)            add or replace one document (an unpublished one is removed)
    index_many(documents)      the same for many, in bulk (rebuilds)
    remove(kind, object_id)    take one out
    search(query, language, kinds=None, limit=20) -> list[SearchResult]

Documents come from providers that each app registers (``shoko.portal.registry``): streets,
shops and stories here, events and others after them. The text of every language is folded the
same way (NFKC, case, katakana → hiragana, width) and kana readings are stored as Hepburn romaji,
so ``ramen``, ``ラーメン``, ``らーめん`` and ``ﾗｰﾒﾝ`` meet. Matching is by substring through
trigrams, which needs no word boundaries and so works for Japanese and Chinese:

- SQLite (default): an FTS5 table with the trigram tokenizer, ranked by bm25 (title first);
- PostgreSQL: ``pg_trgm`` with a GIN index on the folded text.

The backend follows the database vendor. Words of one or two characters (駅, 花) are below the
trigram minimum: they are matched with LIKE on the folded titles only, with a LIMIT, so that the
scan stays bounded.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import get_language

from shoko.core.text import fold_for_search
from shoko.portal.models import SearchEntry
from shoko.portal.romaji import fold_romaji_query, search_romaji

__all__ = [
    "MAX_QUERY_CHARS",
    "Document",
    "DocumentText",
    "SearchResult",
    "index",
    "index_many",
    "parse_query",
    "remove",
    "search",
]

#: Longer queries are cut: nobody types more, and it bounds the work of one search.
MAX_QUERY_CHARS = 100
MAX_TERMS = 6
MAX_LIMIT = 100
SUMMARY_CHARS = 140
TRIGRAM = 3


@dataclass(frozen=True)
class DocumentText:
    """A document's words in one language."""

    title: str
    body: str = ""
    keywords: str = ""


@dataclass(frozen=True)
class Document:
    """What a provider hands to the index: kind and id, the language-neutral path of its page
    (``/shops/12/``; other languages add their prefix), whether the public may see it, its text
    per language (Japanese first), and kana readings to spell in romaji."""

    kind: str
    object_id: int
    path: str
    published: bool
    texts: dict[str, DocumentText]
    readings: tuple[str, ...] = ()
    keywords: str = ""


@dataclass(frozen=True)
class SearchResult:
    kind: str
    object_id: int
    title: str
    summary: str
    url: str
    language: str  # the language the title is in (Japanese when not translated)
    requested: str  # the language the visitor reads
    summary_language: str = ""  # the summary's, which may be translated when the title is not

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested

    @property
    def summary_is_fallback(self) -> bool:
        return bool(self.summary) and (self.summary_language or self.language) != self.requested


@dataclass(frozen=True)
class Term:
    """One word of a query and the spellings that may match it."""

    spellings: tuple[str, ...]

    @property
    def short(self) -> bool:
        return all(len(s) < TRIGRAM for s in self.spellings)


@dataclass
class ParsedQuery:
    terms: list[Term] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.terms


# --- Text folding ---------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Control, format and unassigned characters become spaces (a pasted NUL or a bidi mark
    must not reach SQL or break a page)."""
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") else ch for ch in text
    )


def fold(text: str) -> str:
    return fold_for_search(_clean(text or ""))


def parse_query(raw: Any) -> ParsedQuery:
    """The words of what a visitor typed, folded and capped (length and number of words)."""
    if not isinstance(raw, str):
        return ParsedQuery()
    folded = fold(raw[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    words = [w for w in folded.split() if any(ch.isalnum() for ch in w)]
    for word in words[:MAX_TERMS]:
        # A word of symbols alone (an emoji, punctuation) says nothing to search for.
        spellings = [word]
        romaji = fold_romaji_query(word)
        if romaji != word and romaji:
            spellings.append(romaji)
        terms.append(Term(tuple(spellings)))
    return ParsedQuery(terms)


# --- Writing -------------------------------------------------------------------------------------


def _entry_values(document: Document) -> dict[str, Any]:
    texts = document.texts
    default = settings.LANGUAGE_CODE
    titles = {lang: t.title for lang, t in texts.items() if t.title}
    summaries = {
        lang: " ".join(t.body.split())[:SUMMARY_CHARS] for lang, t in texts.items() if t.body
    }
    readings = " ".join(document.readings)
    title_text = " ".join([*(titles.values()), readings])
    body_text = " ".join(
        [
            *(t.body for t in texts.values()),
            *(t.keywords for t in texts.values()),
            document.keywords,
        ]
    )
    kana_sources = [*document.readings, titles.get(default, ""), document.keywords]
    return {
        "path": document.path,
        "titles": titles,
        "summaries": summaries,
        "title_text": fold(title_text),
        "body_text": fold(body_text),
        "romaji": search_romaji(*kana_sources),
    }


def index(document: Document) -> None:
    """Add or replace ``document``; an unpublished document is taken out of the index."""
    if not document.published:
        remove(document.kind, document.object_id)
        return
    SearchEntry.objects.update_or_create(
        kind=document.kind, object_id=document.object_id, defaults=_entry_values(document)
    )


def index_many(documents: Iterable[Document], *, batch_size: int = 1000) -> int:
    """Index many documents in bulk (replacing what is there); returns how many were written."""
    written = 0
    batch: list[Document] = []

    def flush() -> None:
        nonlocal written
        if not batch:
            return
        with transaction.atomic():
            by_kind: dict[str, list[int]] = {}
            for doc in batch:
                by_kind.setdefault(doc.kind, []).append(doc.object_id)
            for kind, ids in by_kind.items():
                SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
            SearchEntry.objects.bulk_create(
                SearchEntry(kind=d.kind, object_id=d.object_id, **_entry_values(d))
                for d in batch
                if d.published
            )
        written += sum(1 for d in batch if d.published)
        batch.clear()

    for document in documents:
        batch.append(document)
        if len(batch) >= batch_size:
            flush()
    flush()
    return written


def remove(kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def clear(kind: str | None = None) -> None:
    qs = SearchEntry.objects.all() if kind is None else SearchEntry.objects.filter(kind=kind)
    qs.delete()


# --- Reading --------------------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


#: Kinds with very many documents (100,000 shops). They are listed after the other kinds, and
#: only the first RANK_WINDOW matches (in index order) are ranked, so that a word that matches
#: half the city (``nerima``) costs the same as a rare one.
BULK_KINDS = ("shop",)
RANK_WINDOW = 300
_COLUMNS = "e.kind, e.object_id, e.path, e.titles, e.summaries"


#: The kinds of documents the index holds, declared by the registry as providers register (the
#: search engine knows kinds, not the apps that provide them).
_KINDS: set[str] = set()


def register_kind(kind: str) -> None:
    _KINDS.add(kind)


def _tiers(kinds: Sequence[str] | None) -> list[tuple[int, list[str], bool]]:
    """(tier, kinds, bulk?) to query, in order: the light kinds first, then the bulk ones."""
    if kinds is None:
        kinds = sorted(_KINDS)
    tiers: list[tuple[int, list[str], bool]] = []
    light = [k for k in kinds if k not in BULK_KINDS]
    bulk = [k for k in kinds if k in BULK_KINDS]
    if light:
        tiers.append((0, light, False))
    if bulk:
        tiers.append((1, bulk, True))
    return tiers


def _short_conditions(query: ParsedQuery, params: list[Any]) -> str:
    # Titles only, read from the (kind, title_text) index (migration 0004); both sides are
    # folded, so a plain substring test does what LIKE did, faster.
    sql = ""
    for term in query.terms:
        if term.short:
            sql += (
                " AND (" + " OR ".join("instr(e.title_text, %s) > 0" for _s in term.spellings) + ")"
            )
            params.extend(term.spellings)
    return sql


def _sqlite_tier(
    query: ParsedQuery,
    tier: int,
    kinds: list[str] | None,
    bulk: bool,
    limit: int,
    params: list[Any],
) -> str:
    long_terms = [t for t in query.terms if not t.short]
    kind_filter = " OR ".join(f"kind : {_fts_phrase(k)}" for k in kinds)
    if long_terms:
        words = " AND ".join(
            "(" + " OR ".join(_fts_phrase(s) for s in t.spellings if len(s) >= TRIGRAM) + ")"
            for t in long_terms
        )
        match = f"({words}) AND ({kind_filter})"
        # Constant SQL joined; every value travels as a parameter.
        sql = (
            f"SELECT {_COLUMNS}, {tier} AS tier, "
            "bm25(portal_search_fts, 10.0, 1.0, 5.0, 0.0) AS score FROM portal_search_fts f "
            "JOIN portal_searchentry e ON e.id = f.rowid WHERE portal_search_fts MATCH %s"
        )
        params.append(match)
        if bulk:
            sql += (
                " AND f.rowid <= (SELECT max(rowid) FROM (SELECT rowid FROM portal_search_fts"
                " WHERE portal_search_fts MATCH %s LIMIT %s))"
            )
            params.extend([match, RANK_WINDOW])
        sql += _short_conditions(query, params) + " ORDER BY score, e.id LIMIT %s"
    else:
        sql = f"SELECT {_COLUMNS}, {tier} AS tier, 0 AS score FROM portal_searchentry e WHERE "
        sql += "e.kind IN (" + ", ".join("%s" for _k in kinds) + ")"
        params.extend(kinds)
        # No ORDER BY on the bulk tier: the scan stops as soon as the limit is reached.
        sql += _short_conditions(query, params) + ("" if bulk else " ORDER BY e.id") + " LIMIT %s"
    params.append(limit)
    return f"SELECT * FROM ({sql})"


def _sqlite_sql(
    query: ParsedQuery, kinds: Sequence[str] | None, limit: int
) -> tuple[str, list[Any]]:
    params: list[Any] = []
    parts = [
        _sqlite_tier(query, tier, tier_kinds, bulk, limit, params)
        for tier, tier_kinds, bulk in _tiers(kinds)
    ]
    sql = " UNION ALL ".join(parts) + " ORDER BY tier, score LIMIT %s"
    params.append(limit)
    return sql, params


_PG_TEXT = "(e.title_text || ' ' || e.body_text || ' ' || e.romaji)"


def _postgresql_tier(
    query: ParsedQuery,
    tier: int,
    kinds: list[str] | None,
    bulk: bool,
    limit: int,
    params: list[Any],
) -> str:
    where: list[str] = []
    for term in query.terms:
        if term.short:
            # Titles only. The pieces find rare words through their GIN index (migration 0004);
            # the LIKE, cheaper per row, decides when the planner scans instead (common words).
            likes = " OR ".join("e.title_text LIKE %s" for _s in term.spellings)
            where.append(f"portal_short_grams(e.title_text) && %s::text[] AND ({likes})")
            params.append(list(term.spellings))
            params.extend(_like(s) for s in term.spellings)
        else:
            where.append("(" + " OR ".join(f"{_PG_TEXT} LIKE %s" for _s in term.spellings) + ")")
            params.extend(_like(s) for s in term.spellings)
    where.append("e.kind = ANY(%s)")
    params.append(list(kinds))
    # Constant SQL joined; every value travels as a parameter.
    sql = f"SELECT {_COLUMNS}, {tier} AS tier FROM portal_searchentry e WHERE " + " AND ".join(
        where
    )
    if not bulk:
        hits = []
        for term in query.terms:
            for spelling in term.spellings:
                hits.append("(e.title_text LIKE %s OR e.romaji LIKE %s)")
                params.extend([_like(spelling), _like(spelling)])
        sql += " ORDER BY (" + " OR ".join(hits) + ") DESC, e.id"
    # The bulk tier is not ordered: the index scan stops as soon as the limit is reached.
    sql += " LIMIT %s"
    params.append(limit)
    return f"({sql})"


def _postgresql_sql(
    query: ParsedQuery, kinds: Sequence[str] | None, limit: int
) -> tuple[str, list[Any]]:
    params: list[Any] = []
    parts = [
        _postgresql_tier(query, tier, tier_kinds, bulk, limit, params)
        for tier, tier_kinds, bulk in _tiers(kinds)
    ]
    sql = "SELECT * FROM (" + " UNION ALL ".join(parts) + ") AS found ORDER BY tier LIMIT %s"
    params.append(limit)
    return sql, params


def _current_or_default(language: str | None) -> str:
    return language or get_language() or settings.LANGUAGE_CODE


def _localise(path: str, language: str) -> str:
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


def _json(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return value
    return json.loads(value or "{}")


def search(
    query: Any, language: str | None = None, kinds: Sequence[str] | None = None, limit: int = 20
) -> list[SearchResult]:
    """Published documents matching every word of ``query``, best first, titled in
    ``language`` (Japanese where not translated). Never raises for what a visitor types."""
    parsed = parse_query(query)
    if parsed.empty:
        return []
    language = _current_or_default(language)
    limit = max(1, min(int(limit), MAX_LIMIT))
    builder = _postgresql_sql if connection.vendor == "postgresql" else _sqlite_sql
    sql, params = builder(parsed, list(kinds) if kinds else None, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    results = []
    default = settings.LANGUAGE_CODE
    for kind, object_id, path, titles, summaries, *_rank in rows:
        titles, summaries = _json(titles), _json(summaries)
        shown = language if titles.get(language) else default
        summary_shown = language if summaries.get(language) else default
        results.append(
            SearchResult(
                kind=kind,
                object_id=object_id,
                title=titles.get(shown) or next(iter(titles.values()), ""),
                summary=summaries.get(summary_shown, ""),
                url=_localise(path, language),
                language=shown,
                requested=language,
                summary_language=summary_shown,
            )
        )
    return results

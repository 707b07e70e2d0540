"""Public pages cached whole, per language and URL, and dropped the moment their content changes.

A cached page remembers the *tags* of what it shows (``shop:12``, ``street:3``, ``lists``) with
the version each tag had when it was rendered. Changing a record bumps its tags' versions
(``invalidate("shop:12")``), so the next request sees a mismatch and renders afresh: a shop
unpublished while its page is cached is gone at once, with no key to hunt down.

Only anonymous GET requests are cached (no session cookie: a signed-in person's header differs),
and only 200 responses. The CSRF token in the page (the language switch posts a form) is stored
as a placeholder and filled per request, so a cached page never carries another visitor's token.
Pages live in the ``default`` cache: with several app servers it must be shared (see README).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from shoko.portal import frontcache

__all__ = [
    "CSRF_PLACEHOLDER",
    "add_tags",
    "cached_page",
    "cached_response",
    "expire_in",
    "invalidate",
    "is_cacheable",
    "lookup",
]

#: Stands for the CSRF token in cached pages (alphanumeric, as long as a real token).
CSRF_PLACEHOLDER = "portalcsrfplaceholder" + "0" * 43
DEFAULT_TIMEOUT = 600
LISTS = "lists"  # home, street list, map, sitemap, open data, search results
_TAG_PREFIX = "portal:tag:"
_PAGE_PREFIX = "portal:page:"
_GENERATION = "portal:generation"
_TAGS_ATTR = "_portal_cache_tags"
_TIMEOUT_ATTR = "_portal_cache_timeout"


def _tag_key(tag: str) -> str:
    return _TAG_PREFIX + tag


def _bump(tags: Iterable[str]) -> None:
    version = time.time_ns()
    cache.set_many({_tag_key(t): version for t in tags}, timeout=None)
    # After the tags: a process that sees the new generation re-checks its remembered pages.
    cache.set(_GENERATION, version, timeout=None)


def invalidate(*tags: str) -> None:
    """Pages showing any of ``tags`` are stale from now on (and again after the transaction
    commits, in case a request re-cached the old content in between); after the commit, the
    front cache's copies of them are refreshed (``frontcache.purge``)."""
    if not tags:
        return
    _bump(tags)

    def committed() -> None:
        _bump(tags)
        frontcache.purge(tags)

    transaction.on_commit(committed, robust=True)


def add_tags(request: HttpRequest, *tags: str) -> None:
    """Say what a page shows, while rendering it (the cache stores the page under them)."""
    existing = getattr(request, _TAGS_ATTR, None)
    if existing is None:
        setattr(request, _TAGS_ATTR, set(tags))
    else:
        existing.update(tags)


def expire_in(request: HttpRequest, seconds: float) -> None:
    """Keep this page at most ``seconds`` (an "open now" that changes at closing time)."""
    current = getattr(request, _TIMEOUT_ATTR, DEFAULT_TIMEOUT)
    setattr(request, _TIMEOUT_ATTR, max(1, min(current, int(seconds))))


def is_cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.headers.get("HX-Request")
    )


def _key(host: str, language: str, path: str, query: str) -> str:
    raw = f"{host}|{language}|{path}?{query}"
    return _PAGE_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _page_key(request: HttpRequest) -> str:
    # From the WSGI environ, as the fast path (portal.fastpath) sees the same request.
    meta = request.META
    return _key(
        request.get_host(),
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        meta.get("SCRIPT_NAME", "") + meta.get("PATH_INFO", request.path_info),
        meta.get("QUERY_STRING", ""),
    )


def _versions(tags: Iterable[str]) -> dict[str, Any]:
    tags = sorted(tags)
    found = cache.get_many([_tag_key(t) for t in tags])
    missing = {_tag_key(t): time.time_ns() for t in tags if _tag_key(t) not in found}
    for key, value in missing.items():
        # add, not set: two requests starting a tag at once must agree on its version.
        if not cache.add(key, value, timeout=None):
            missing[key] = cache.get(key)
    found.update(missing)
    return {t: found[_tag_key(t)] for t in tags}


def _with_token(request: HttpRequest, content: bytes) -> bytes:
    if CSRF_PLACEHOLDER.encode() not in content:
        return content
    return content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())


def _response(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(_with_token(request, entry["content"]), status=200)
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Portal-Cache"] = "hit"
    if CSRF_PLACEHOLDER.encode() not in entry["content"]:
        _mark_for_front_cache(response, entry.get("expires"))
    return response


def _mark_for_front_cache(response: HttpResponse, expires: float | None) -> None:
    """Let nginx's micro-cache keep this anonymous public page (``frontcache``), unless it
    sets a cookie (then it is this visitor's alone, and nginx would refuse it anyway)."""
    header = frontcache.expires_header(expires)
    if header is not None and not response.cookies:
        response[header[0]] = header[1]


_KEPT_HEADERS = ("Content-Type", "Content-Language")


def _current(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """The entry, if every tag its page shows is still at the version it was rendered with."""
    if entry is None or _versions(entry["tags"]) != entry["tags"]:
        return None
    return entry


#: Pages this process has checked, by key: (generation then, entry). Bounded, cleared when full.
_checked: dict[str, tuple[Any, dict[str, Any]]] = {}
_CHECKED_MAX = 512


def _generation() -> Any:
    generation = cache.get(_GENERATION)
    if generation is None:  # cleared or evicted: start a new one, so every page is re-checked
        generation = time.time_ns()
        if not cache.add(_GENERATION, generation, timeout=None):
            generation = cache.get(_GENERATION)
    return generation


def lookup(host: str, language: str, path: str, query: str) -> dict[str, Any] | None:
    """The cached page (``content``, ``headers``) for a validated host, language and raw
    address, if still current; for the WSGI fast path.

    Checking a page's tags costs a cache read per tag. Nothing can have gone stale while the
    generation (bumped by every ``invalidate``) is unchanged, so a page this process checked
    at the current generation is served from memory after one read, until it expires.
    """
    key = _key(host, language, path, query)
    generation = _generation()  # read before the tags: see _bump
    checked = _checked.get(key)
    if checked is not None and checked[0] == generation and checked[1]["expires"] > time.time():
        return checked[1]
    entry = _current(cache.get(key))
    if entry is None or "expires" not in entry:
        _checked.pop(key, None)
        return entry
    if len(_checked) >= _CHECKED_MAX:
        _checked.clear()
    _checked[key] = (generation, entry)
    return entry


def cached_response(request: HttpRequest) -> HttpResponse | None:
    """The page cached for this request, if every tag it shows is still at its version."""
    entry = _current(cache.get(_page_key(request)))
    return None if entry is None else _response(request, entry)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a public view's page under the tags it declares with ``add_tags``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_cacheable(request):
            response = view(request, *args, **kwargs)
            if not response.streaming:
                response.content = _with_token(request, response.content)
            return response
        hit = cached_response(request)
        if hit is not None:
            return hit
        key = _page_key(request)
        setattr(request, _TAGS_ATTR, set())
        response = view(request, *args, **kwargs)
        tags: set[str] = getattr(request, _TAGS_ATTR, set())
        if response.status_code == 200 and not response.streaming and tags:
            timeout = getattr(request, _TIMEOUT_ATTR, DEFAULT_TIMEOUT)
            cache.set(
                key,
                {
                    "tags": _versions(tags),
                    "content": response.content,
                    "headers": [(h, response[h]) for h in _KEPT_HEADERS if h in response],
                    "expires": time.time() + timeout,
                },
                timeout=timeout,
            )
            response["X-Portal-Cache"] = "miss"
            if CSRF_PLACEHOLDER.encode() not in response.content:
                _mark_for_front_cache(response, time.time() + timeout)
        response.content = _with_token(request, response.content)
        return response

    return wrapped

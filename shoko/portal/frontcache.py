"""The front cache: nginx's micro-cache in front of the app servers (deploy/nginx/shoko.conf).

nginx stores only what the app marks with ``X-Accel-Expires``: public pages answered from the
page cache to an anonymous visitor (``cache.cached_page`` and the WSGI fast path), never a page
for someone signed in. Such a page carries no per-visitor token, so one stored copy serves all.

How an edit reaches nginx, which has no purge module in Debian's nginx-light:

* the copy expires at the end of the current second (``SHOKO_FRONT_CACHE_SECONDS=1``), so nginx
  asks the app at most once a second per page; copies idle for two seconds are dropped, so a
  page no purge names (search results, other query strings) is at most about two seconds behind;
* ``invalidate()`` also *refreshes*, after the commit, the pages the edit's tags name (the shop's
  and street's pages, the lists, in every language) through nginx's purge listener
  (``SHOKO_FRONT_CACHE_PURGE_URL``): a GET there bypasses the stored copy, and the fresh answer
  replaces it, so those pages change at once and no visitor gets the old copy while nginx
  revalidates. Refreshes run in a background thread, deduplicated and bounded, so an edit never
  waits for them and a bulk change cannot flood the app servers (the expiry covers the rest).
"""

from __future__ import annotations

import http.client
import logging
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

__all__ = ["expires_header", "pages_for", "purge", "wait_for_purges"]
logger = logging.getLogger(__name__)

#: Refreshes waiting at once, at most; past this an edit relies on the expiry alone.
MAX_PENDING = 100
#: Pages of the lists (home, street and story lists, map, open data): any edit of a record they
#: list names the ``lists`` tag.
LIST_PAGES = (
    "portal:home",
    "portal:street-list",
    "portal:story-list",
    "portal:map",
    "portal:open-data",
)
DETAIL_PAGES = {
    "shop": "portal:shop-detail",
    "street": "portal:street-detail",
    "story": "portal:story-detail",
}


def expires_header(page_expires: float | None = None) -> tuple[str, str] | None:
    """``X-Accel-Expires`` for a public page, or None when the front cache is off or the page
    is about to expire anyway. An absolute time (``@…``): nginx counts whole seconds, and a
    copy must not outlive the current second by more than the setting allows."""
    seconds = settings.SHOKO_FRONT_CACHE_SECONDS
    if seconds <= 0:
        return None
    now = int(time.time())
    until = now + seconds - 1
    if page_expires is not None:
        until = min(until, int(page_expires) - 1)
    if until < now:
        return None
    return ("X-Accel-Expires", f"@{until}")


def pages_for(tags: Iterable[str]) -> list[str]:
    """The addresses (every language) of the pages that show what ``tags`` name: the record's
    own pages first (the edit is about them), then the lists."""
    details: list[tuple[str, tuple[int, ...]]] = []
    lists: list[tuple[str, tuple[int, ...]]] = []
    for tag in tags:
        kind, _, number = tag.partition(":")
        if kind in DETAIL_PAGES and number.isdigit():
            details.append((DETAIL_PAGES[kind], (int(number),)))
        elif kind == "site":
            lists += [(name, ()) for name in (*LIST_PAGES, "portal:about")]
        else:  # "lists", and home-page blocks of other apps ("events")
            lists += [(name, ()) for name in LIST_PAGES]
    paths: list[str] = []
    for name, args in dict.fromkeys([*details, *lists]):
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                try:
                    paths.append(reverse(name, args=args))
                except NoReverseMatch:
                    continue
    return list(dict.fromkeys(paths))


class _Purger:
    """One background thread per process that refreshes pages through the purge listener."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: set[str] = set()
        self.executor: ThreadPoolExecutor | None = None
        self.pid = 0
        self.futures: list[Future[None]] = []

    def submit(self, base_url: str, host: str, paths: list[str]) -> None:
        with self.lock:
            if self.executor is None or self.pid != os.getpid():  # forked app-server worker
                self.executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="front-purge")
                self.pid = os.getpid()
                self.pending = set()
                self.futures = []
            room = MAX_PENDING - len(self.pending)
            fresh = [p for p in paths if p not in self.pending][: max(room, 0)]
            if len(fresh) < len(paths):
                logger.info("front cache: %d refreshes left to expiry", len(paths) - len(fresh))
            self.pending.update(fresh)
            self.futures = [f for f in self.futures if not f.done()]
            for path in fresh:
                self.futures.append(self.executor.submit(self._refresh, base_url, host, path))

    def _refresh(self, base_url: str, host: str, path: str) -> None:
        with self.lock:
            self.pending.discard(path)
        parts = urlsplit(base_url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": host, "Accept-Encoding": "identity"})
            connection.getresponse().read()
        except OSError as exc:
            logger.warning("front cache: refreshing %s failed (%s)", path, exc)
        finally:
            connection.close()

    def wait(self, timeout: float) -> None:
        with self.lock:
            futures = list(self.futures)
        for future in futures:
            future.result(timeout=timeout)


_purger = _Purger()


def _public_host() -> str | None:
    if settings.SHOKO_SITE_URL:
        return urlsplit(settings.SHOKO_SITE_URL).netloc or None
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    return hosts[0] if hosts else None


def purge(tags: Iterable[str]) -> None:
    """Refresh the front cache's copies of the pages ``tags`` name (after the commit: call it
    from ``transaction.on_commit``). Does nothing without SHOKO_FRONT_CACHE_PURGE_URL."""
    base_url = settings.SHOKO_FRONT_CACHE_PURGE_URL
    if not base_url or settings.SHOKO_FRONT_CACHE_SECONDS <= 0:
        return
    host = _public_host()
    if host is None:
        logger.warning("front cache: no SHOKO_SITE_URL, so no host to purge for")
        return
    _purger.submit(base_url, host, pages_for(tags))


def wait_for_purges(timeout: float = 30) -> None:
    """Block until this process's refreshes are done (tests, and commands that exit at once)."""
    _purger.wait(timeout)

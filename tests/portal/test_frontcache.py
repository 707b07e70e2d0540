"""How edits reach nginx's front cache: the expiry the app gives a page, and the refreshes sent
to nginx's purge listener after the commit (a local HTTP server stands in for the listener
here; tests/production drives the real nginx)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from shoko.portal import frontcache
from shoko.portal.cache import invalidate


@pytest.fixture
def listener(settings):
    """A purge listener that records what it is asked."""
    seen: list[tuple[str, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, self.headers.get("Host")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SHOKO_FRONT_CACHE_PURGE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SHOKO_SITE_URL = "https://shoko.example.jp"
    settings.SHOKO_FRONT_CACHE_SECONDS = 1
    yield seen
    server.shutdown()


def test_a_page_may_be_kept_until_the_end_of_the_current_second(settings):
    settings.SHOKO_FRONT_CACHE_SECONDS = 1
    name, value = frontcache.expires_header()
    assert name == "X-Accel-Expires"
    assert int(value.lstrip("@")) == int(time.time())
    settings.SHOKO_FRONT_CACHE_SECONDS = 30
    assert int(frontcache.expires_header()[1].lstrip("@")) == int(time.time()) + 29
    # Never beyond the page's own lifetime (a shop page ends at its next opening or closing).
    soon = time.time() + 5
    assert int(frontcache.expires_header(soon)[1].lstrip("@")) == int(soon) - 1
    assert frontcache.expires_header(time.time() + 0.2) is None
    settings.SHOKO_FRONT_CACHE_SECONDS = 0
    assert frontcache.expires_header() is None


def test_an_edit_names_its_own_pages_first_then_the_lists_in_every_language():
    pages = frontcache.pages_for(["shop:12", "lists", "street:3"])
    assert pages[:5] == ["/shops/12/", "/en/shops/12/", "/zh-hans/shops/12/",
                         "/zh-hant/shops/12/", "/ko/shops/12/"]  # fmt: skip
    assert pages[5:10] == [f"{p}/streets/3/" for p in ("", "/en", "/zh-hans", "/zh-hant", "/ko")]
    assert {"/", "/en/", "/streets/", "/ko/stories/", "/map/", "/open-data/"} <= set(pages)
    assert "/about/" not in pages
    assert "/about/" in frontcache.pages_for(["site"])
    assert frontcache.pages_for(["events"])[0] == "/"  # another app's home-page block
    assert len(pages) == len(set(pages))


@pytest.mark.django_db(transaction=True)
def test_refreshes_go_to_the_purge_listener_after_the_commit(listener):
    with transaction.atomic():
        invalidate("shop:12")
        time.sleep(0.2)
        assert listener == []  # nothing while the edit is not committed
    frontcache.wait_for_purges()
    assert ("/shops/12/", "shoko.example.jp") in listener
    assert ("/en/shops/12/", "shoko.example.jp") in listener
    assert len(listener) == 5


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_refreshes_nothing(listener):
    def failing_edit():
        with transaction.atomic():
            invalidate("shop:12")
            raise RuntimeError("the save failed")

    with pytest.raises(RuntimeError):
        failing_edit()
    frontcache.wait_for_purges()
    assert listener == []


@pytest.mark.django_db(transaction=True)
def test_a_bulk_change_is_bounded(listener):
    for pk in range(1, 200):
        invalidate(f"shop:{pk}")
    frontcache.wait_for_purges()
    # 199 shops x 5 languages asked; at most MAX_PENDING wait at once, the rest expire within
    # the second instead of queueing behind a bulk change.
    assert frontcache.MAX_PENDING <= len(listener) < 199 * 5


def test_without_a_purge_listener_nothing_is_sent(settings):
    settings.SHOKO_FRONT_CACHE_PURGE_URL = ""
    frontcache.purge(["shop:1"])  # no error, no thread

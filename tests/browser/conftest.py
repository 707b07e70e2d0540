"""Browser tests drive Debian's Chromium (never a downloaded browser) through Playwright.

Playwright's sync API runs an event loop in the test thread, so Django's async-safety guard is
relaxed for these tests only: the ORM calls here are ordinary synchronous set-up code.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SHOKO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium_browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package")
    from playwright.sync_api import sync_playwright

    # Set here, not at import, so that only browser test runs relax the guard.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serving the application as production does: cached public
    pages answered by the WSGI fast path (shoko.wsgi wraps Django's handler the same way)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from pytest_django.live_server_helper import LiveServer

    from shoko.portal.fastpath import CachedPages

    addr = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = lambda app: CachedPages(StaticFilesHandler(app))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def page_at(chromium_browser, live_server):
    """``page_at(width)`` → a fresh page of that viewport width, closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900, locale: str = "ja-JP"):
        context = chromium_browser.new_context(
            viewport={"width": width, "height": height}, locale=locale
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

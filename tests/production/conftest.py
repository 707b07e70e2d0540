"""Tests against the running production stack (deploy/stack.py starts it; `make test-production`).

The stack's addresses arrive in SHOKO_STACK_* variables. The browser is Debian's Chromium; the
stack's certificate is self-signed, made at run time, so the browser is told to accept it.
"""

from __future__ import annotations

import json
import os
import ssl
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SHOKO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DEMO_PASSWORD = "shoko-demo-2026"


@dataclass(frozen=True)
class Stack:
    url: str  # https://localhost:PORT, nginx in front
    http_url: str
    apps: list[str]  # the app servers, straight
    directory: Path

    def request(
        self,
        path: str,
        *,
        base: str | None = None,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One request, to nginx or (``base``) an app server asked as nginx asks it."""
        base = base or self.url
        sent = dict(headers or {})
        if base != self.url:
            sent.setdefault("Host", self.url.split("://", 1)[1].split(":")[0])
            sent.setdefault("X-Forwarded-Proto", "https")
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        req = urllib.request.Request(base + path, data=body, headers=sent, method=method)  # noqa: S310
        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), _NoRedirect()
        )
        try:
            with opener.open(req, timeout=30) as response:
                return response.status, _lower(response.headers.items()), response.read()
        except urllib.error.HTTPError as error:
            return error.code, _lower(error.headers.items()), error.read()

    def json(self, path: str, **kwargs: Any) -> Any:
        status, _headers, body = self.request(path, **kwargs)
        assert status == 200, (path, status, body[:500])
        return json.loads(body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _lower(items: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in items}


@pytest.fixture(scope="session")
def stack() -> Stack:
    url = os.environ.get("SHOKO_STACK_URL")
    if not url:
        pytest.fail("No production stack: run `make test-production` (deploy/stack.py starts it)")
    return Stack(
        url=url,
        http_url=os.environ["SHOKO_STACK_HTTP_URL"],
        apps=os.environ["SHOKO_STACK_APPS"].split(","),
        directory=Path(os.environ["SHOKO_STACK_DIR"]),
    )


@pytest.fixture(scope="session")
def chromium(stack: Stack) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_at(chromium: Any) -> Iterator[Any]:
    """``page_at(width, locale)`` → a fresh browser page (its own cookies), closed after."""
    contexts = []

    def make(width: int = 1280, locale: str = "ja-JP") -> Any:
        context = chromium.new_context(
            viewport={"width": width, "height": 900}, locale=locale, ignore_https_errors=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot() -> Any:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = ARTIFACTS / f"production-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

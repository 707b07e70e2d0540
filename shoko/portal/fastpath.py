"""Cached public pages answered at the WSGI door, before Django builds a request.

An anonymous visitor's cached page needs none of Django's request machinery: no session, user,
messages, audit or login throttling, not even a request object. This wrapper around the WSGI
application looks the page up by host, language and address, checks its tags are still current,
fills in the visitor's CSRF token and answers with the same headers the full stack would give
(``tests/portal/test_fastpath.py`` compares the two). Everything else — a session or messages
cookie, a remembered language to redirect to, an htmx request, a plain-HTTP request that
production redirects to HTTPS, a malformed CSRF cookie, a missing or stale page — goes to Django
unchanged, where ``cached_page`` renders and stores the page.

Why here and not in a middleware: Django's handler and middleware chain cost more per request
than the page lookup itself, and cached pages are most of the public traffic (bench_portal.py).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.translation import get_language_from_path

from shoko.portal.cache import CSRF_PLACEHOLDER, lookup

__all__ = ["CachedPages"]
logger = logging.getLogger(__name__)

_CSRF_CHARS = frozenset(CSRF_ALLOWED_CHARS)
_CHAR_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}
_BASE = len(CSRF_ALLOWED_CHARS)
# Random bytes become characters by table: bytes below 248 (= 4 x 62) map uniformly onto the
# alphabet; larger ones are dropped and drawn again.
_UNBIASED_LIMIT = 256 - 256 % _BASE
_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[b % _BASE]) for b in range(256))
_DROPPED = bytes(range(_UNBIASED_LIMIT, 256))
_PLACEHOLDER = CSRF_PLACEHOLDER.encode()
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _security_headers() -> list[tuple[str, str]]:
    """What SecurityMiddleware and XFrameOptionsMiddleware add to every page (HSTS aside)."""
    headers = []
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        if not isinstance(policy, str):
            policy = ",".join(policy)
        headers.append(("Referrer-Policy", policy))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
    return headers


def _hsts_header() -> tuple[str, str] | None:
    if not settings.SECURE_HSTS_SECONDS:
        return None
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return ("Strict-Transport-Security", value)


class CachedPages:
    """WSGI middleware: ``application = CachedPages(get_wsgi_application())``."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.security_headers = _security_headers()
        self.hsts = _hsts_header()
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER
        self.ssl_redirect = settings.SECURE_SSL_REDIRECT
        self.private_cookies = (settings.SESSION_COOKIE_NAME, "messages")
        self.language_cookie = settings.LANGUAGE_COOKIE_NAME
        self.default_language = settings.LANGUAGE_CODE
        self.csrf_cookie = settings.CSRF_COOKIE_NAME
        self.csrf_cookie_template: tuple[int, str] = (0, "")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        try:
            answer = self.answer(environ)
        except Exception:
            # A shortcut must never turn a page into an error: Django answers instead.
            logger.exception("cached page fast path failed; Django answers")
            answer = None
        if answer is None:
            return self.app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def answer(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """The cached page as (status, headers, body), or None for Django to answer."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or "HTTP_HX_REQUEST" in environ:
            return None
        secure = self._is_secure(environ)
        if self.ssl_redirect and not secure:
            return None
        cookies = parse_cookie(environ["HTTP_COOKIE"]) if "HTTP_COOKIE" in environ else {}
        if any(name in cookies for name in self.private_cookies):
            return None
        host = self._host(environ)
        if host is None:
            return None
        path_info = environ.get("PATH_INFO", "/")
        path_language = get_language_from_path(path_info)
        remembered = cookies.get(self.language_cookie)
        if path_language is None and remembered and remembered != self.default_language:
            return None  # PreferredLanguageMiddleware redirects this visitor
        language = path_language or self.default_language
        entry = lookup(
            host,
            language,
            environ.get("SCRIPT_NAME", "") + path_info,
            environ.get("QUERY_STRING", ""),
        )
        if entry is None:
            return None
        headers = [*entry["headers"], *self.security_headers]
        if not any(name == "Content-Language" for name, _v in entry["headers"]):
            headers.append(("Content-Language", language))  # as LocaleMiddleware sets it
        if secure and self.hsts:
            headers.append(self.hsts)
        content = entry["content"]
        vary = [] if path_language else ["Accept-Language", "Cookie"]
        if _PLACEHOLDER in content:
            secret = cookies.get(self.csrf_cookie)
            if secret is None:
                secret = random_chars(CSRF_SECRET_LENGTH)
            elif len(secret) != CSRF_SECRET_LENGTH or not _CSRF_CHARS.issuperset(secret):
                return None  # Django replaces a malformed or pre-4.0 cookie
            content = content.replace(_PLACEHOLDER, mask_secret(secret).encode())
            # As get_token() does: the cookie is (re)sent, renewing its expiry, and the page
            # varies with it, so no shared cache hands one visitor's token to another.
            headers.append(("Set-Cookie", self._csrf_set_cookie(secret)))
            if "Cookie" not in vary:
                vary.append("Cookie")
        if vary:
            headers.append(("Vary", ", ".join(vary)))
        headers.append(("Content-Length", str(len(content))))
        headers.append(("X-Portal-Cache", "fast"))
        return "200 OK", headers, content

    def _csrf_set_cookie(self, secret: str) -> str:
        """The Set-Cookie value CsrfViewMiddleware would send for ``secret``. Its expiry date
        changes once a second, so it is built by Django once a second and filled in between."""
        now = int(time.time())
        second, template = self.csrf_cookie_template
        if second != now:
            template = _csrf_cookie(CSRF_PLACEHOLDER[:CSRF_SECRET_LENGTH])
            self.csrf_cookie_template = (now, template)
        return template.replace(CSRF_PLACEHOLDER[:CSRF_SECRET_LENGTH], secret, 1)

    def _is_secure(self, environ: dict[str, Any]) -> bool:
        if self.proxy_ssl_header:
            header, secure_value = self.proxy_ssl_header
            value = environ.get(header)
            if value is not None:
                return value.split(",", 1)[0].strip() == secure_value
        return environ.get("wsgi.url_scheme") == "https"

    def _host(self, environ: dict[str, Any]) -> str | None:
        """The host as ``HttpRequest.get_host()`` gives it, or None where Django would refuse it."""
        if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
            host = environ["HTTP_X_FORWARDED_HOST"]
        elif "HTTP_HOST" in environ:
            host = environ["HTTP_HOST"]
        else:
            return None  # rare (HTTP/1.0 without Host): leave it to Django
        domain, _port = split_domain_port(host)
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:
            allowed = [".localhost", "127.0.0.1", "[::1]"]
        return host if domain and validate_host(domain, allowed) else None


def random_chars(length: int) -> str:
    """``length`` characters drawn uniformly from CSRF_ALLOWED_CHARS by the OS's CSPRNG, like
    Django's ``get_random_string`` but from one ``urandom`` call rather than one per character
    (that loop was a third of a cached page's cost)."""
    chars = b""
    while len(chars) < length:
        chars += os.urandom(length * 2).translate(_TO_CHAR, _DROPPED)
    return chars[:length].decode("ascii")


def mask_secret(secret: str) -> str:
    """The CSRF token for ``secret`` under a fresh random mask: Django's own format (mask +
    cipher, each character shifted by the mask's), which CsrfViewMiddleware unmasks."""
    mask = random_chars(CSRF_SECRET_LENGTH)
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_CHAR_INDEX[x] + _CHAR_INDEX[y]) % _BASE]
        for x, y in zip(secret, mask, strict=True)
    )
    return mask + cipher


def _csrf_cookie(secret: str) -> str:
    """The Set-Cookie value CsrfViewMiddleware would send for ``secret`` now."""
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    return response.cookies[settings.CSRF_COOKIE_NAME].OutputString()

"""Cached public pages answered at the WSGI door, before Django builds a request.

An anonymous visitor's cached page needs none of Django's request machinery: no session, user,
messages, audit or login throttling, not even a request object. This wrapper around the WSGI
application looks the page up by host, language and address, checks its tags are still current
and answers with the same headers the full stack would give (``tests/portal/test_fastpath.py``
compares the two), including the ``X-Accel-Expires`` that lets nginx's front cache keep it
(``portal.frontcache``). Public pages carry no per-visitor token, so the page is sent as stored.
Everything else — a session or messages cookie, a remembered language to redirect to, an htmx
request, a plain-HTTP request that production redirects to HTTPS, a page holding a CSRF
placeholder, a missing or stale page — goes to Django unchanged, where ``cached_page`` renders
and stores the page.

Why here and not in a middleware: Django's handler and middleware chain cost more per request
than the page lookup itself, and cached pages are most of the public traffic (bench_portal.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.translation import get_language_from_path

from shoko.portal import frontcache
from shoko.portal.cache import CSRF_PLACEHOLDER, lookup

__all__ = ["CachedPages"]
logger = logging.getLogger(__name__)

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

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
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
        if _PLACEHOLDER in content:
            return None  # a page with a form token: Django fills it in
        # As the full stack: the page differs for someone signed in, and on an unprefixed address
        # with the language the visitor chose.
        vary = ["Cookie"] if path_language else ["Accept-Language", "Cookie"]
        if vary:
            headers.append(("Vary", ", ".join(vary)))
        headers.append(("Content-Length", str(len(content))))
        headers.append(("X-Portal-Cache", "fast"))
        expires = frontcache.expires_header(entry.get("expires"))
        if expires is not None:
            headers.append(expires)
        return "200 OK", headers, content

    def _is_secure(self, environ: dict[str, Any]) -> bool:
        if self.proxy_ssl_header:
            header, secure_value = self.proxy_ssl_header
            value = environ.get(header)
            if value is not None:
                return bool(str(value).split(",", 1)[0].strip() == secure_value)
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

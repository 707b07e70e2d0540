"""A visitor's second look at a public page is answered at the WSGI door (portal.fastpath):
the same page and headers as the full stack gives, and never a stale or private page. The full
stack is Django's own handler, as the test client runs it."""

import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.test.client import ClientHandler

from shoko.directory import services as directory
from shoko.portal.fastpath import CachedPages
from shoko.settings import cache_config

pytestmark = pytest.mark.django_db
HOST = "testserver"


def full_stack(environ, start_response):
    """Django's whole middleware stack as a WSGI app, as the test client runs it (the test's
    database transaction stays open, which Django's bare WSGIHandler would close)."""
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    headers = [(k, v) for k, v in response.items()]
    headers += [("Set-Cookie", c.OutputString()) for c in response.cookies.values()]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    return [response.content]


def visit(path, *, cookies="", method="GET", app=None, **extra):
    """One request through the WSGI application: (status, headers, body)."""
    extra.setdefault("HTTP_HOST", HOST)
    environ = RequestFactory().generic(method, path, **extra).environ
    if cookies:
        environ["HTTP_COOKIE"] = cookies
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, headers

    body = b"".join((app or CachedPages(full_stack))(environ, start_response))
    return seen["status"], seen["headers"], body


def header(headers, name):
    values = [v for k, v in headers if k.lower() == name.lower()]
    return values[0] if values else None


def test_the_second_visit_is_answered_by_the_fast_path_with_the_same_page(ramen_shop):
    url = f"/en/shops/{ramen_shop.pk}/"
    status, headers, first = visit(url)
    assert status == "200 OK"
    assert header(headers, "X-Portal-Cache") == "miss"
    status, headers, second = visit(url)
    assert status == "200 OK"
    assert header(headers, "X-Portal-Cache") == "fast"
    assert "Ramen Ichibanboshi" in second.decode()
    strip = re.compile(rb'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"')
    assert strip.sub(b"", first) == strip.sub(b"", second)
    assert int(header(headers, "Content-Length")) == len(second)


@pytest.mark.parametrize("prefix", ["", "/ko"])
def test_the_fast_path_gives_the_headers_the_full_stack_gives(ramen_shop, prefix):
    url = f"{prefix}/shops/{ramen_shop.pk}/"
    _s, full, _b = visit(url)  # miss: rendered by the full stack
    _s, fast, _b = visit(url)
    ignored = {"x-portal-cache", "content-length", "vary", "x-accel-expires"}
    assert {(k.lower(), v) for k, v in full if k.lower() not in ignored} == {
        (k.lower(), v) for k, v in fast if k.lower() not in ignored
    }

    def vary(headers):
        return {v.strip() for v in (header(headers, "Vary") or "").split(",") if v.strip()}

    assert vary(full) == vary(fast)
    assert header(fast, "Content-Language") == (prefix.strip("/") or "ja")
    assert header(fast, "X-Frame-Options") == "DENY"
    assert header(fast, "X-Content-Type-Options") == "nosniff"
    # One copy for every visitor: no cookie, no token; nginx may keep it (portal.frontcache).
    assert header(full, "Set-Cookie") is None
    assert header(fast, "Set-Cookie") is None
    assert header(full, "X-Accel-Expires").startswith("@")
    assert header(fast, "X-Accel-Expires").startswith("@")


def test_public_pages_carry_no_form_token(ramen_shop):
    url = f"/en/shops/{ramen_shop.pk}/"
    _s, _h, first = visit(url)
    _s, _h, second = visit(url, cookies="csrftoken=" + "a" * 32)
    assert b"csrfmiddlewaretoken" not in first
    assert b'"X-CSRFToken": ""' in first
    assert first == second


def test_the_language_switch_works_from_a_cached_page_without_a_token(ramen_shop):
    url = f"/ko/shops/{ramen_shop.pk}/"
    visit(url)
    _s, headers, body = visit(url)
    assert header(headers, "X-Portal-Cache") == "fast"
    assert b'action="/i18n/setlang/"' in body
    visitor = Client(enforce_csrf_checks=True)
    switched = visitor.post(
        "/i18n/setlang/",
        {"language": "en", "next": url},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert switched.status_code == 302
    assert switched["Location"] == f"/en/shops/{ramen_shop.pk}/"
    assert switched.cookies["shoko_language"].value == "en"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.testserver"},
        {"Origin": "https://evil.example"},
    ],
)
def test_a_language_switch_posted_from_another_site_is_refused(ramen_shop, headers):
    visitor = Client(enforce_csrf_checks=True)
    refused = visitor.post("/i18n/setlang/", {"language": "en", "next": "/"}, headers=headers)
    assert refused.status_code == 403
    assert "shoko_language" not in refused.cookies


def test_a_broken_cache_never_breaks_a_page(ramen_shop, monkeypatch):
    url = f"/en/shops/{ramen_shop.pk}/"
    visit(url)

    def broken(*args, **kwargs):
        raise OSError("disk cache unreadable")

    monkeypatch.setattr("shoko.portal.fastpath.lookup", broken)
    status, headers, body = visit(url)
    assert status == "200 OK"
    assert header(headers, "X-Portal-Cache") != "fast"
    assert "Ramen Ichibanboshi" in body.decode()


@pytest.mark.parametrize(
    ("cookies", "extra"),
    [
        ("sessionid=abc", {}),  # signed in: the header differs
        ("messages=abc", {}),  # a message waits to be shown
        ("", {"HTTP_HX_REQUEST": "true"}),
        ("shoko_language=en", {}),  # remembered language: redirected
    ],
)
def test_anything_unusual_goes_down_the_full_stack(ramen_shop, cookies, extra):
    url = f"/shops/{ramen_shop.pk}/"
    visit(url)
    _s, headers, _b = visit(url, cookies=cookies, **extra)
    assert header(headers, "X-Portal-Cache") != "fast"


def test_a_remembered_language_still_redirects(ramen_shop):
    url = f"/shops/{ramen_shop.pk}/"
    visit(url)  # cached in Japanese
    status, headers, _b = visit(url, cookies="shoko_language=en")
    assert status.startswith("302")
    assert header(headers, "Location") == f"/en/shops/{ramen_shop.pk}/"


def test_posts_and_heads(ramen_shop):
    url = f"/en/shops/{ramen_shop.pk}/"
    visit(url)
    _s, headers, body = visit(url, method="HEAD")
    assert header(headers, "X-Portal-Cache") == "fast"
    assert body == b""
    assert int(header(headers, "Content-Length")) > 1000
    status, headers, _b = visit(url, method="POST")
    assert header(headers, "X-Portal-Cache") != "fast"
    assert not status.startswith("200")


def test_a_host_django_refuses_is_never_answered_from_the_cache(settings, ramen_shop):
    url = f"/en/shops/{ramen_shop.pk}/"
    visit(url)
    settings.ALLOWED_HOSTS = ["shoko.example.jp"]  # the page was cached under a host now refused
    status, headers, _b = visit(url)
    assert status.startswith("400")
    assert header(headers, "X-Portal-Cache") is None
    assert visit(url, HTTP_HOST="evil.example")[0].startswith("400")


def test_a_shop_unpublished_while_cached_is_gone_at_once(ramen_shop, official):
    url = f"/en/shops/{ramen_shop.pk}/"
    visit(url)
    assert header(visit(url)[1], "X-Portal-Cache") == "fast"
    directory.unpublish_shop(actor=official, shop=ramen_shop)
    status, _headers, _b = visit(url)
    assert status.startswith("404")


def test_query_strings_are_separate_pages(ramen_shop):
    visit("/en/search/?q=ramen")
    _s, headers, body = visit("/en/search/?q=ramen")
    assert header(headers, "X-Portal-Cache") == "fast"
    _s, headers, other = visit("/en/search/?q=shakujii")
    assert header(headers, "X-Portal-Cache") == "miss"
    assert body != other


def test_production_sends_plain_http_to_django_and_adds_hsts_over_https(settings, ramen_shop):
    url = f"/en/shops/{ramen_shop.pk}/"
    visit(url)
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    app = CachedPages(full_stack)
    status, headers, _b = visit(url, app=app)
    assert status.startswith("301")
    _s, headers, _b = visit(url, app=app, HTTP_X_FORWARDED_PROTO="https")
    assert header(headers, "X-Portal-Cache") == "fast"
    assert header(headers, "Strict-Transport-Security").startswith("max-age=3600")


def test_the_disk_cache_shares_an_invalidation_between_processes(settings, tmp_path, ramen_shop):
    """With several app-server workers and the background worker, an edit made in one process
    must drop the page every other process would serve (SHOKO_CACHE=disk, the default)."""
    settings.CACHES = {"default": cache_config("disk", tmp_path / "cache")}
    url = f"/en/shops/{ramen_shop.pk}/"
    visit(url)
    assert header(visit(url)[1], "X-Portal-Cache") == "fast"
    other_process = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'shoko.settings'; "
        "django.setup(); from shoko.portal.cache import invalidate; "
        f"invalidate('shop:{ramen_shop.pk}')"
    )
    env = {
        "SHOKO_CACHE": "disk",
        "SHOKO_VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", other_process], env=env, check=True, timeout=60
    )
    assert header(visit(url)[1], "X-Portal-Cache") == "miss"


def test_the_wsgi_application_is_wrapped():
    from shoko import wsgi

    assert isinstance(wsgi.application, CachedPages)
    assert django_settings.WSGI_APPLICATION == "shoko.wsgi.application"


def test_a_page_past_its_lifetime_is_rendered_again(ramen_shop, monkeypatch):
    """The shop page's lifetime ends at its next opening or closing time ("open now")."""
    import time

    url = f"/en/shops/{ramen_shop.pk}/"
    visit(url)
    assert header(visit(url)[1], "X-Portal-Cache") == "fast"  # remembered by this process
    later = time.time() + 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert header(visit(url)[1], "X-Portal-Cache") == "miss"


def test_a_new_release_drops_the_pages_its_predecessor_rendered(ramen_shop):
    """The disk cache outlives the app servers: `migrate`, run by every deploy, drops pages
    rendered with the old templates."""
    from django.core.management import call_command

    url = f"/en/shops/{ramen_shop.pk}/"
    visit(url)
    assert header(visit(url)[1], "X-Portal-Cache") == "fast"
    call_command("migrate", verbosity=0)
    assert header(visit(url)[1], "X-Portal-Cache") == "miss"

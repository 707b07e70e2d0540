"""A language chosen once is remembered: a visitor who picked English and comes back to an
unprefixed (Japanese) address is taken to the English page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path


class PreferredLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self._redirect_for(request)
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        if get_language_from_path(request.path_info) is None:
            # The same address answers in different languages depending on the cookie.
            patch_vary_headers(response, ["Cookie"])
        return response

    def _redirect_for(self, request: HttpRequest) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
            return None
        preferred = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if preferred not in self.languages or preferred == settings.LANGUAGE_CODE:
            return None
        if get_language_from_path(request.path_info) is not None:
            return None
        here = request.get_full_path()
        there = translate_url(here, preferred)
        if there == here:
            return None  # not a translatable page (API, health check, admin)
        return HttpResponseRedirect(there)

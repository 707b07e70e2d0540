"""Typed requests: the signed-in request and the public one, modelled once.

django-stubs types ``request.user`` as ``User | AnonymousUser``. Views behind
``role_required``/``RoleRequiredMixin``/``MemberRequiredMixin`` (or DRF's authenticated
permissions) only ever see a signed-in user, so they annotate their request as
``AuthenticatedRequest`` instead of casting ``request.user`` at every use. Public views take
``PublicRequest`` and ask ``request.user.is_authenticated`` before using it as a ``User``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails

    from shoko.core.models import User


class PublicRequest(HttpRequest):
    """A request anyone may make: the user may be anonymous."""

    if TYPE_CHECKING:
        user: User | AnonymousUser
        htmx: HtmxDetails


class AuthenticatedRequest(HttpRequest):
    """A request behind a sign-in check: ``request.user`` is a ``User``."""

    if TYPE_CHECKING:
        user: User
        htmx: HtmxDetails

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from shoko.core import navigation, permissions


def shoko(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    roles = permissions.roles_of(user)
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else None
    return {
        "public_nav_items": navigation.items_for("public", roles, current),
        "my_nav_items": navigation.items_for("my", roles, current),
        "staff_nav_items": navigation.items_for("staff", roles, current),
        "SITE_NAME": settings.SHOKO_SITE_NAME,
        # In the page's language (SHOKO_CITY_NAMES), Japanese where none is set.
        "CITY_NAME": settings.SHOKO_CITY_NAMES.get(get_language(), settings.SHOKO_CITY_NAME),
        "is_staff_user": permissions.is_staff_user(user),
        "is_official": permissions.is_official(user),
    }

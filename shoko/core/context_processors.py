from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from shoko.core import permissions


def shoko(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SHOKO_SITE_NAME,
        "CITY_NAME": settings.SHOKO_CITY_NAME,
        "is_staff_user": permissions.is_staff_user(user),
        "is_official": permissions.is_official(user),
    }

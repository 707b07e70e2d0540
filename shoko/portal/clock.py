"""The portal's "now": Japan time, which tests may freeze.

``SHOKO_PORTAL_FROZEN_NOW`` (an ISO 8601 datetime with offset) is a test hook: the browser tests
set it so that "open now" is judged at a known moment. Production settings never set it, and it
is ignored when ``PRODUCTION`` is on.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def now() -> dt.datetime:
    frozen = getattr(settings, "SHOKO_PORTAL_FROZEN_NOW", None)
    if frozen and not settings.PRODUCTION:
        value = dt.datetime.fromisoformat(frozen) if isinstance(frozen, str) else frozen
        if timezone.is_aware(value):
            return value
    return timezone.now()

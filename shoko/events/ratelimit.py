"""Rate limit for public registration: per client address, and per address and session.

Counts live in Django's cache (fixed windows), so that app servers share them when the cache
is shared (production: a shared cache backend). The limits come from
``settings.SHOKO_EVENTS_RATE_LIMITS`` when set.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int


DEFAULT_LIMITS = {
    # A family or an office behind one address may register a few people in a row…
    "address": Limit(requests=30, seconds=600),
    # …but nobody needs to submit the same session's form more than a handful of times.
    "address_session": Limit(requests=6, seconds=600),
}


def limits() -> dict[str, Limit]:
    configured = getattr(settings, "SHOKO_EVENTS_RATE_LIMITS", None) or {}
    # From the environment a limit comes as [requests, seconds].
    return {
        name: _as_limit(configured[name]) if name in configured else limit
        for name, limit in DEFAULT_LIMITS.items()
    }


def _as_limit(value: Limit | tuple[int, int] | list[int]) -> Limit:
    return value if isinstance(value, Limit) else Limit(*value)


def client_address(request: HttpRequest) -> str:
    """The visitor's address: behind the one trusted reverse proxy (``SHOKO_BEHIND_PROXY``),
    the last address the proxy appended to X-Forwarded-For; else the socket's peer."""
    if getattr(settings, "AXES_IPWARE_PROXY_COUNT", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _hit(key: str, limit: Limit) -> bool:
    """Count one request; True while within the limit."""
    cache.add(key, 0, timeout=limit.seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.seconds)
        count = 1
    return count <= limit.requests


def allow_registration(request: HttpRequest, session_id: int) -> tuple[bool, int]:
    """Count a registration attempt; (allowed, seconds to wait when not)."""
    address = client_address(request)
    configured = limits()
    checks = [
        (f"events:rl:a:{address}", configured["address"]),
        (f"events:rl:s:{address}:{session_id}", configured["address_session"]),
    ]
    for key, limit in checks:
        if not _hit(key, limit):
            return False, limit.seconds
    return True, 0

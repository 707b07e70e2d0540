"""Health and metrics: what load balancers and Prometheus ask the app servers."""

from __future__ import annotations

import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shoko.operations import metrics as shoko_metrics
from shoko.operations.worker import worker_state


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: 200 while the database and the shared cache
    answer, 503 otherwise. The background worker's heartbeat is reported, not judged: pages are
    served without it, and an operator's alert should say which part stopped."""
    checks: dict[str, str] = {}
    status = 200
    body: dict[str, object] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
        status = 503
    try:
        probe = secrets.token_hex(8)
        cache.set("healthz:probe", probe, timeout=30)
        checks["cache"] = "ok" if cache.get("healthz:probe") == probe else "error: not stored"
    except Exception as exc:
        checks["cache"] = f"error: {exc.__class__.__name__}"
    if checks["cache"] != "ok":
        status = 503
    if checks["database"] == "ok":
        state = worker_state()
        body["worker"] = {
            "status": state.status,
            "workers": state.workers,
            "last_seen": state.last_seen.isoformat() if state.last_seen else None,
            "seconds_since": None if state.seconds_since is None else round(state.seconds_since),
        }
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "checks": checks,
            **body,
            "database_vendor": connection.vendor,
            "time": timezone.now().isoformat(),
        },
        status=status,
    )


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's text format, for a scraper that sends ``Authorization: Bearer
    <SHOKO_METRICS_TOKEN>``; without the token set, there is no such page (404). nginx answers
    /metrics with 404 from outside: Prometheus scrapes the app servers on the internal network."""
    token = settings.SHOKO_METRICS_TOKEN
    if not token:
        raise Http404
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="shoko-metrics"'
        return response
    content, content_type = shoko_metrics.exposition()
    return HttpResponse(content, content_type=content_type)

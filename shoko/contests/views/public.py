"""The public face, in every portal language: the calls, a call's page with its categories and
rules, the results with players, stills and the jury's comments, and the results as open data."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shoko.contests import eligibility, selectors
from shoko.contests.models import Call
from shoko.core.exports import content_disposition, csv_bytes
from shoko.core.http import PublicRequest

OPEN_DATA_COLUMNS = [
    "募集",
    "年度",
    "部門",
    "賞",
    "受付番号",
    "作品名",
    "作品名（英語）",
    "作者",
    "制作メンバー",
    "長さ（秒）",
    "講評",
    "上映",
    "ライセンス",
]


@require_GET
def calls(request: PublicRequest) -> HttpResponse:
    now = timezone.now()
    found = list(selectors.public_calls())
    return render(
        request,
        "contests/public/calls.html",
        {
            "open_calls": [c for c in found if c.is_open(now)],
            "upcoming": [c for c in found if c.opens_at > now],
            "past": [c for c in found if c.closes_at <= now],
        },
    )


@require_GET
def call(request: PublicRequest, slug: str) -> HttpResponse:
    found = selectors.public_call(slug)
    categories = [
        (category, eligibility.describe(category.rules or []))
        for category in found.categories.all()
    ]
    return render(
        request,
        "contests/public/call.html",
        {
            "call": found,
            "categories": categories,
            "declarations": list(found.declarations.all()),
            "is_open": found.is_open(),
            "age_of_majority": settings.SHOKO_CONTESTS_AGE_OF_MAJORITY,
        },
    )


def _published(slug: str) -> Call:
    found = selectors.public_call(slug)
    if not found.results_published:
        raise Http404
    return found


@require_GET
def results(request: PublicRequest, slug: str) -> HttpResponse:
    found = _published(slug)
    return render(
        request,
        "contests/public/results.html",
        {"call": found, "awards": selectors.results(found), "screening": found.screening_event},
    )


def _safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
def results_csv(request: PublicRequest, slug: str) -> HttpResponse:
    found = _published(slug)
    rows = [
        [
            row["call"],
            row["fiscal_year"],
            row["category"],
            row["award"],
            row["entry_number"],
            row["title"],
            row["title_en"],
            row["credit"],
            " / ".join(f"{m['name']}（{m['role']}）" for m in row["members"]),
            row["duration_seconds"],
            row["jury_comment"],
            "1" if row["screened"] else "0",
            found.licence,
        ]
        for row in selectors.results_rows(found)
    ]
    response = HttpResponse(
        csv_bytes(OPEN_DATA_COLUMNS, [[_safe(v) for v in r] for r in rows]),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition(f"{found.slug}-results.csv")
    return response


@require_GET
def results_json(request: PublicRequest, slug: str) -> HttpResponse:
    found = _published(slug)
    body = {
        "call": found.title,
        "slug": found.slug,
        "fiscal_year": int(found.fiscal_year),
        "published_at": found.results_published_at.isoformat()
        if found.results_published_at
        else None,
        "licence": found.licence,
        "publisher": request.build_absolute_uri("/"),
        "results": selectors.results_rows(found),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition(f"{found.slug}-results.json", inline=True)
    return response

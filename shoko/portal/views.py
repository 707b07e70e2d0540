"""Public pages of the portal, in five languages, cached whole (``shoko.portal.cache``).

Views stay thin: selectors read, templates show. Every public page declares the cache tags of
what it shows, so that an edit drops exactly the pages it touches.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from shoko.directory.models import Shop, ShoppingStreet
from shoko.portal import clock, labels, opendata, posters, selectors, seo
from shoko.portal.cache import CSRF_PLACEHOLDER, LISTS, add_tags, cached_page, expire_in
from shoko.portal.forms import SearchForm
from shoko.portal.models import Story
from shoko.portal.registry import home_blocks, search_providers
from shoko.portal.search import search as run_search
from shoko.portal.signals import SITE

SHOPS_PER_PAGE = 30
STORIES_PER_PAGE = 12
SEARCH_LIMIT = 40


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a public page with the CSRF placeholder (filled per request by the cache)."""
    add_tags(request, SITE)
    return render(
        request,
        template,
        {
            "csrf_token": CSRF_PLACEHOLDER,
            "tile_url": settings.SHOKO_MAP_TILE_URL,
            "tile_attribution": settings.SHOKO_MAP_TILE_ATTRIBUTION,
            **context,
        },
    )


def _kinds() -> list[tuple[str, Any]]:
    return [(p.kind, p.label) for p in search_providers()]


@require_GET
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    blocks = []
    for block in home_blocks():
        context = block.context(request)
        if context is None:
            continue
        add_tags(request, *block.tags)
        blocks.append(
            {"key": block.key, "html": render_to_string(block.template, context, request=request)}
        )
    add_tags(request, LISTS)
    return _render(
        request,
        "portal/home.html",
        {"blocks": blocks, "counts": selectors.public_counts(), "search_form": SearchForm()},
    )


@require_GET
@cached_page
def street_list(request: HttpRequest) -> HttpResponse:
    add_tags(request, LISTS)
    streets = list(selectors.streets())
    return _render(request, "portal/street_list.html", {"streets": streets})


@require_GET
@cached_page
def street_detail(request: HttpRequest, pk: int) -> HttpResponse:
    street = selectors.street(pk)
    add_tags(request, f"street:{pk}", LISTS)
    page = Paginator(selectors.shops_of(street), SHOPS_PER_PAGE).get_page(request.GET.get("page"))
    return _render(
        request,
        "portal/street_detail.html",
        {
            "street": street,
            "page_obj": page,
            "concepts": labels.labels(street.concepts, labels.CONCEPTS),
            "stories": selectors.stories_about(street=street),
            "geometry": opendata.safe_geometry(street.geometry),
            "json_ld": seo.street_json_ld(request, street),
            "map_data_url": reverse("portal:map-data") + f"?street={street.pk}",
            "short_url": posters.poster_payload(request, "street", street.pk),
        },
    )


@require_GET
@cached_page
def shop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shop = selectors.shop(pk)
    add_tags(request, f"shop:{pk}")
    if shop.street_id:
        add_tags(request, f"street:{shop.street_id}")
    now = clock.now()
    state = selectors.open_state(shop, now)
    if state.next_change is not None:
        expire_in(request, (state.next_change - now).total_seconds())
    photos = shop.public_photos
    conveniences = [
        {"icon": icon, "label": label}
        for field, icon, label in labels.CONVENIENCES
        if getattr(shop, field)
    ]
    return _render(
        request,
        "portal/shop_detail.html",
        {
            "shop": shop,
            "state": state,
            "now": now,
            "weekly": selectors.weekly_table(shop),
            "exceptions": selectors.upcoming_exceptions(shop, on=now.date()),
            "photos": photos,
            "conveniences": conveniences,
            "payments": [(c, labels.PAYMENTS.get(c, c)) for c in shop.payment_methods],
            "menu_languages": labels.labels(shop.menu_languages, labels.LANGUAGES),
            "dietary": labels.labels(shop.dietary_options, labels.DIETARY),
            "spoken": [
                (labels.LANGUAGES.get(code, code), labels.SPEAKING_LEVELS.get(lvl, lvl))
                for code, lvl in shop.spoken_languages.items()
            ],
            "stories": selectors.stories_about(shop=shop),
            "json_ld": seo.shop_json_ld(request, shop, photos),
            "map_data_url": reverse("portal:map-data") + f"?shop={shop.pk}",
        },
    )


@require_GET
@cached_page
def story_list(request: HttpRequest) -> HttpResponse:
    add_tags(request, LISTS)
    qs = selectors.published_stories().order_by("-published_at", "-pk")
    page = Paginator(qs, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    return _render(request, "portal/story_list.html", {"page_obj": page})


@require_GET
@cached_page
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.story(pk)
    # The story links to its street and shop only while they are public.
    add_tags(request, f"story:{pk}")
    if story.street_id:
        add_tags(request, f"street:{story.street_id}")
    if story.shop_id:
        add_tags(request, f"shop:{story.shop_id}")
    return _render(
        request,
        "portal/story_detail.html",
        {"story": story, "json_ld": seo.story_json_ld(request, story)},
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    # Only short queries are cached: a 2,000-character query is answered, never stored.
    if len(request.GET.get("q", "")) <= 40:
        return _search_cached(request)
    return _search(request)


def _search(request: HttpRequest) -> HttpResponse:
    add_tags(request, LISTS)
    form = SearchForm(request.GET or None, kinds=_kinds())
    results: list[Any] = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        results = run_search(
            query,
            translation.get_language(),
            kinds=form.cleaned_data["kind"] or None,
            limit=SEARCH_LIMIT,
        )
    labels = dict(_kinds())
    return _render(
        request,
        "portal/search.html",
        {
            "form": form,
            "query": query,
            "results": [{"result": r, "label": labels.get(r.kind, r.kind)} for r in results],
            "searched": bool(query.strip()),
        },
    )


_search_cached = cached_page(_search)


@require_GET
@cached_page
def map_page(request: HttpRequest) -> HttpResponse:
    add_tags(request, LISTS)
    return _render(
        request,
        "portal/map.html",
        {"streets": list(selectors.streets()), "map_data_url": reverse("portal:map-data")},
    )


@require_GET
@cached_page
def map_data(request: HttpRequest) -> HttpResponse:
    """GeoJSON for the maps: streets (point and shape) and published shops, by bounding box
    (``bbox=west,south,east,north``), street or shop; at most MAP_FEATURE_LIMIT shops."""
    add_tags(request, LISTS)
    language = translation.get_language()
    features: list[dict[str, Any]] = []
    street_id = _int(request.GET.get("street"))
    shop_id = _int(request.GET.get("shop"))
    if shop_id is None:
        street_qs = selectors.streets()
        if street_id is not None:
            street_qs = street_qs.filter(pk=street_id)
        for street in street_qs:
            props = {
                "kind": "street",
                "name": _own(street, "name", language),
                "url": reverse("portal:street-detail", args=[street.pk]),
            }
            if street.has_location:
                features.append(_point_feature(street.longitude, street.latitude, props))
            shape = opendata.safe_geometry(street.geometry)
            if shape:
                features.append({"type": "Feature", "geometry": shape, "properties": props})
    if shop_id is not None:
        shop_rows = selectors.map_shops(shop_id=shop_id)
    else:
        shop_rows = selectors.map_shops(
            bbox=selectors.parse_bbox(request.GET.get("bbox")), street_id=street_id
        )
    for row in shop_rows:
        name = row.get(f"name_{language.replace('-', '_')}") or row["name_ja"]
        features.append(
            _point_feature(
                row["longitude"],
                row["latitude"],
                {
                    "kind": "shop",
                    "name": name,
                    "url": reverse("portal:shop-detail", args=[row["pk"]]),
                },
            )
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**62 else None


def _own(record: Any, field: str, language: str) -> str:
    return getattr(record, f"{field}_{language.replace('-', '_')}", "") or getattr(
        record, f"{field}_ja", ""
    )


def _point_feature(lon: Any, lat: Any, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
        "properties": props,
    }


@require_GET
@cached_page
def about(request: HttpRequest) -> HttpResponse:
    return _render(request, "portal/about.html", {"counts": selectors.public_counts()})


@require_GET
@cached_page
def open_data(request: HttpRequest) -> HttpResponse:
    add_tags(request, LISTS)
    files = [
        ("shops.csv", "text/csv"),
        ("shops.geojson", "application/geo+json"),
        ("streets.csv", "text/csv"),
        ("streets.geojson", "application/geo+json"),
    ]
    return _render(
        request,
        "portal/open_data.html",
        {
            "files": [
                {
                    "name": name,
                    "type": kind,
                    "url": request.build_absolute_uri(f"/open-data/{name}"),
                }
                for name, kind in files
            ],
            "licence": settings.SHOKO_OPEN_DATA_LICENCE,
            "city_code": settings.SHOKO_CITY_CODE,
            "shop_columns": opendata.SHOP_COLUMNS,
            "street_columns": opendata.STREET_COLUMNS,
        },
    )


# --- Language-neutral addresses (outside i18n_patterns) -------------------------------------------


LICENCE_URLS = {"CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/"}


def _open_data_headers(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    licence = settings.SHOKO_OPEN_DATA_LICENCE
    if licence in LICENCE_URLS:
        response["Link"] = f'<{LICENCE_URLS[licence]}>; rel="license"'
    response["X-Licence"] = licence
    response["Access-Control-Allow-Origin"] = "*"


@require_GET
@cache_control(public=True, max_age=600)
def open_data_file(request: HttpRequest, name: str) -> StreamingHttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    if name == "shops.csv":
        rows = (opendata.shop_row(s, base) for s in opendata.public_shops_for_export())
        body = opendata.csv_stream(opendata.SHOP_COLUMNS, rows)
        content_type = "text/csv; charset=utf-8"
    elif name == "streets.csv":
        rows = (opendata.street_row(s, base) for s in opendata.public_streets_for_export())
        body = opendata.csv_stream(opendata.STREET_COLUMNS, rows)
        content_type = "text/csv; charset=utf-8"
    elif name == "shops.geojson":
        body = opendata.geojson_stream(opendata.shop_features(base), title="shops")
        content_type = "application/geo+json"
    elif name == "streets.geojson":
        body = opendata.geojson_stream(opendata.street_features(base), title="streets")
        content_type = "application/geo+json"
    else:
        raise Http404
    response = StreamingHttpResponse(body, content_type=content_type)
    _open_data_headers(response, name)
    return response


def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """``/s/<code>`` from a QR poster: on to the page in the visitor's language (the language
    they chose before, else their phone's Accept-Language, else Japanese)."""
    parsed = posters.parse_short_code(code)
    if parsed is None:
        raise Http404
    kind, object_id = parsed
    public = {
        "shop": Shop.objects.public(),
        "street": ShoppingStreet.objects.public(),
        "story": Story.objects.public(),
    }[kind]
    if not public.filter(pk=object_id).exists():
        raise Http404
    language = translation.get_language_from_request(request, check_path=False)
    response = HttpResponseRedirect(posters.page_path(kind, object_id, language))
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /staff/",
        "Disallow: /my/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('portal-sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=3600)
def sitemap_index(request: HttpRequest) -> HttpResponse:
    sections = [
        request.build_absolute_uri(reverse("portal-sitemap-section", args=[s, p]))
        for s, p in seo.sitemap_sections()
    ]
    return render(
        request, "portal/sitemap_index.xml", {"sections": sections}, content_type="application/xml"
    )


@require_GET
@cache_control(public=True, max_age=3600)
def sitemap_section(request: HttpRequest, section: str, page: int) -> HttpResponse:
    paths = seo.sitemap_paths(section, page)
    if paths is None:
        raise Http404
    entries = []
    for path in paths:
        alts = seo.alternates(request, path)
        entries.extend({"loc": alt["url"], "alternates": alts} for alt in alts)
    return render(
        request, "portal/sitemap.xml", {"entries": entries}, content_type="application/xml"
    )

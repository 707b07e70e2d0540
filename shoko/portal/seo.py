"""For the wider web: schema.org JSON-LD, sitemaps with language alternates, robots.txt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from shoko.directory.hours import opening_hours_specification
from shoko.directory.models import Shop, ShoppingStreet
from shoko.portal import labels
from shoko.portal.models import Story
from shoko.portal.registry import SearchProvider, search_providers
from shoko.portal.templatetags.portal import HREFLANG, shown_field

LANGUAGES = [code for code, _n in settings.LANGUAGES]
SITEMAP_PAGE_SIZE = 5000  # objects per sitemap file; × 5 languages stays under 50,000 URLs


def localised_path(path: str, language: str) -> str:
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def _address(record: Any) -> dict[str, Any]:
    return {
        "@type": "PostalAddress",
        "postalCode": record.postal_code_display.lstrip("〒") if record.postal_code else None,
        "streetAddress": f"{record.address} {record.building}".strip() or None,
        "addressLocality": settings.SHOKO_CITY_NAME,
        "addressRegion": "東京都",
        "addressCountry": "JP",
    }


def _geo(record: Any) -> dict[str, Any] | None:
    if not record.has_location:
        return None
    return {
        "@type": "GeoCoordinates",
        "latitude": float(record.latitude),
        "longitude": float(record.longitude),
    }


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


AMENITIES = (
    ("free_wifi", "Free Wi-Fi"),
    ("tax_free", "Tax-free shopping"),
    ("step_free_entrance", "Step-free entrance"),
    ("accessible_toilet", "Wheelchair-accessible toilet"),
)


def shop_json_ld(request: HttpRequest, shop: Shop, photos: list[Any]) -> dict[str, Any]:
    """schema.org LocalBusiness with opening hours and accepted payments."""
    with translation.override("en"):
        payments = ", ".join(str(p) for p in labels.labels(shop.payment_methods, labels.PAYMENTS))
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "@id": request.build_absolute_uri(localised_path(_shop_path(shop), settings.LANGUAGE_CODE)),
        "name": shown_field(shop, "name").text,
        "alternateName": shop.name_ja if translation.get_language() != "ja" else None,
        "description": shown_field(shop, "description").text,
        "url": request.build_absolute_uri(),
        "telephone": shop.phone or None,
        "address": _clean(_address(shop)),
        "geo": _geo(shop),
        "openingHoursSpecification": opening_hours_specification(shop),
        "paymentAccepted": payments or None,
        "currenciesAccepted": "JPY",
        "priceRange": shop.get_price_range_display() if shop.price_range else None,
        "knowsLanguage": sorted({"ja", *shop.spoken_languages.keys()}),
        "amenityFeature": [
            {"@type": "LocationFeatureSpecification", "name": name, "value": True}
            for field, name in AMENITIES
            if getattr(shop, field)
        ],
        "image": [request.build_absolute_uri(p.image.url) for p in photos] or None,
        "containedInPlace": (
            {"@type": "Place", "name": shown_field(shop.street, "name").text}
            if shop.street_id
            else None
        ),
    }
    return _clean(data)


def street_json_ld(request: HttpRequest, street: ShoppingStreet) -> dict[str, Any]:
    """schema.org Place for a shopping street."""
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "Place",
            "name": shown_field(street, "name").text,
            "alternateName": street.name_ja if translation.get_language() != "ja" else None,
            "description": shown_field(street, "description").text,
            "url": request.build_absolute_uri(),
            "geo": _geo(street),
            "address": {
                "@type": "PostalAddress",
                "addressLocality": settings.SHOKO_CITY_NAME,
                "addressRegion": "東京都",
                "addressCountry": "JP",
            },
            "sameAs": [street.website] if street.website else None,
        }
    )


def story_json_ld(request: HttpRequest, story: Story) -> dict[str, Any]:
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": shown_field(story, "title").text,
            "datePublished": story.published_at.isoformat() if story.published_at else None,
            "dateModified": story.updated_at.isoformat(),
            "author": {"@type": "Organization", "name": story.byline or settings.SHOKO_CITY_NAME},
            "url": request.build_absolute_uri(),
            "image": request.build_absolute_uri(story.cover_image.url)
            if story.cover_image
            else None,
        }
    )


# --- Sitemaps -----------------------------------------------------------------------------------


def _shop_path(shop: Shop) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("portal:shop-detail", args=[shop.pk])


def _paths(url_name: str, ids: Iterator[int]) -> Iterator[str]:
    with translation.override(settings.LANGUAGE_CODE):
        pattern = reverse(url_name, args=[0])
    head, _sep, tail = pattern.rpartition("/0/")
    for pk in ids:
        yield f"{head}/{pk}/{tail}"


def static_paths() -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        return [
            reverse(name)
            for name in (
                "portal:home",
                "portal:street-list",
                "portal:story-list",
                "portal:map",
                "portal:about",
                "portal:open-data",
            )
        ]


def _sitemap_providers() -> dict[str, SearchProvider]:
    """Sitemap sections: each search provider that has one lists its ``public()`` records, so
    the sitemap and the search index follow the same rule."""
    return {p.sitemap_section: p for p in search_providers() if p.sitemap_section}


def sitemap_sections() -> list[tuple[str, int]]:
    """(section, page) pairs for the sitemap index."""
    found: list[tuple[str, int]] = [("pages", 1)]
    for section, provider in _sitemap_providers().items():
        count = provider.public().count()
        pages = max(1, -(-count // SITEMAP_PAGE_SIZE))
        found.extend((section, page) for page in range(1, pages + 1))
    return found


def sitemap_paths(section: str, page: int) -> list[str] | None:
    if section == "pages":
        return static_paths() if page == 1 else None
    provider = _sitemap_providers().get(section)
    if provider is None or page < 1:
        return None
    start = (page - 1) * SITEMAP_PAGE_SIZE
    ids = list(
        provider.public()
        .order_by("pk")
        .values_list("pk", flat=True)[start : start + SITEMAP_PAGE_SIZE]
    )
    if not ids and page > 1:
        return None
    return list(_paths(provider.detail_url_name, iter(ids)))


def alternates(request: HttpRequest, path: str) -> list[dict[str, str]]:
    return [
        {
            "hreflang": HREFLANG.get(lang, lang),
            "url": request.build_absolute_uri(localised_path(path, lang)),
        }
        for lang in LANGUAGES
    ]

"""Reads of the public portal: what visitors may see, and what staff need to know about
translations. Everything public goes through here, so "published" is decided in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from shoko.core.japan import TOKYO
from shoko.core.translation import translated_field_names
from shoko.directory.hours import exceptions_of, is_open_at, ranges_on, weekly_of
from shoko.directory.models import Photo, Shop, ShoppingStreet
from shoko.directory.selectors import public_shops, public_streets
from shoko.portal.models import Story

LANGUAGES = [code for code, _n in settings.LANGUAGES]
TRANSLATED_LANGUAGES = [code for code, _n in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
MAP_FEATURE_LIMIT = 2000


def _photos() -> Prefetch:
    # Only photos that say what they show reach the public (alt text is required to publish).
    return Prefetch(
        "photos",
        queryset=Photo.objects.exclude(caption="").order_by("order", "pk"),
        to_attr="public_photos",
    )


# --- Streets --------------------------------------------------------------------------------------


def streets() -> QuerySet[ShoppingStreet]:
    return public_streets().order_by("area__order", "name_kana", "pk")


def featured_streets(limit: int = 6) -> list[ShoppingStreet]:
    """Streets to show first: those with a description and the most published shops."""
    return list(
        public_streets()
        .exclude(description_ja="")
        .order_by("-shop_count", "name_kana", "pk")[:limit]
    )


def street(pk: int) -> ShoppingStreet:
    found = (
        ShoppingStreet.objects.public()
        .filter(pk=pk)
        .select_related("area")
        .prefetch_related(_photos())
        .first()
    )
    if found is None:
        raise Http404
    return found


def shops_of(street: ShoppingStreet) -> QuerySet[Shop]:
    return (
        Shop.objects.public()
        .filter(street=street)
        .select_related("category")
        .order_by("name_kana", "name", "pk")
    )


# --- Shops ----------------------------------------------------------------------------------------


def shop(pk: int) -> Shop:
    found = public_shops().filter(pk=pk).prefetch_related(_photos()).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class OpenState:
    """Open or closed at a moment (Japan time), and when that next changes."""

    is_open: bool
    has_hours: bool
    next_change: dt.datetime | None


def open_state(shop: Shop, at: dt.datetime) -> OpenState:
    weekly, exceptions = weekly_of(shop), exceptions_of(shop)
    if not weekly.days and not exceptions:
        return OpenState(is_open=False, has_hours=False, next_change=None)
    now_open = is_open_at(shop, at)
    local = at.astimezone(TOKYO)
    candidates: set[dt.datetime] = set()
    for offset in range(-1, 8):
        day = local.date() + dt.timedelta(days=offset)
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=TOKYO)
        candidates.add(midnight)
        for r in ranges_on(weekly, exceptions, day):
            candidates.add(dt.datetime.combine(day, r.opens, tzinfo=TOKYO))
            close_day = day + dt.timedelta(days=1) if r.crosses_midnight else day
            candidates.add(dt.datetime.combine(close_day, r.closes, tzinfo=TOKYO))
    for moment in sorted(c for c in candidates if c > local):
        if is_open_at(shop, moment) != now_open:
            return OpenState(is_open=now_open, has_hours=True, next_change=moment)
    return OpenState(is_open=now_open, has_hours=True, next_change=None)


def weekly_table(shop: Shop) -> list[tuple[int, list[str]]]:
    """Days 0–7 (月…日, 祝) with their ranges as ``HH:MM–HH:MM`` (empty: closed)."""
    weekly = weekly_of(shop)
    rows = []
    for day in range(7):
        rows.append((day, [f"{r.opens:%H:%M}–{r.closes:%H:%M}" for r in weekly.days.get(day, ())]))
    if weekly.holiday_rule == "special":
        rows.append((7, [f"{r.opens:%H:%M}–{r.closes:%H:%M}" for r in weekly.days.get(7, ())]))
    elif weekly.holiday_rule == "closed":
        rows.append((7, []))
    return rows


def upcoming_exceptions(shop: Shop, *, on: dt.date, days: int = 60) -> list[Any]:
    return [e for e in exceptions_of(shop) if on <= e.date <= on + dt.timedelta(days=days)]


# --- Stories --------------------------------------------------------------------------------------


def published_stories() -> QuerySet[Story]:
    """Public stories, each knowing whether it may link to its street and shop."""
    return Story.objects.public().with_public_subjects().select_related("street", "shop")


def latest_stories(limit: int = 6) -> list[Story]:
    return list(published_stories().order_by("-is_featured", "-published_at", "-pk")[:limit])


def stories_about(*, street: ShoppingStreet | None = None, shop: Shop | None = None) -> list[Story]:
    qs = published_stories()
    if street is not None:
        qs = qs.filter(Q(street=street) | Q(shop__street=street))
    if shop is not None:
        qs = qs.filter(shop=shop)
    return list(qs[:10])


def story(pk: int) -> Story:
    found = published_stories().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- Map ------------------------------------------------------------------------------------------


def parse_bbox(text: str | None) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    """``west,south,east,north`` in degrees, or None when absent or unreadable."""
    if not text:
        return None
    parts = text.split(",")
    if len(parts) != 4:
        return None
    try:
        west, south, east, north = (Decimal(p.strip()) for p in parts)
    except (InvalidOperation, ValueError):
        return None
    if not all(n.is_finite() for n in (west, south, east, north)):
        return None
    if west > east or south > north:
        return None
    return west, south, east, north


def map_shops(
    *,
    bbox: Sequence[Decimal] | None = None,
    street_id: int | None = None,
    shop_id: int | None = None,
    limit: int = MAP_FEATURE_LIMIT,
) -> list[dict[str, Any]]:
    qs = Shop.objects.public().filter(latitude__isnull=False, longitude__isnull=False)
    if shop_id is not None:
        qs = qs.filter(pk=shop_id)
    if street_id is not None:
        qs = qs.filter(street_id=street_id)
    if bbox is not None:
        west, south, east, north = bbox
        qs = qs.filter(
            longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
        )
    return list(
        qs.order_by("pk").values("pk", "latitude", "longitude", *translated_field_names("name"))[
            :limit
        ]
    )


# --- Translations, for staff ----------------------------------------------------------------------


@dataclass(frozen=True)
class TranslatedKind:
    key: str
    model: Any
    title_field: str
    text_field: str

    def public(self) -> QuerySet[Any]:
        """The records visitors read: those whose translations matter."""
        return self.model.objects.public()


TRANSLATED_KINDS = [
    TranslatedKind("street", ShoppingStreet, "name", "description"),
    TranslatedKind("shop", Shop, "name", "description"),
    TranslatedKind("story", Story, "title", "body"),
]


def _missing(kind: TranslatedKind, language: str) -> Q:
    suffix = language.replace("-", "_")
    missing = Q()
    for name in (kind.title_field, kind.text_field):
        own = Q(**{f"{name}_{suffix}": ""}) | Q(**{f"{name}_{suffix}__isnull": True})
        missing |= own & ~Q(**{f"{name}_ja": ""})
    return missing


def _state(language: str, state: str) -> Q:
    return Q(**{f"translation_states__{language}": state})


def translation_overview() -> list[dict[str, Any]]:
    """Per kind of content and language: published records, how many lack a translation, and
    how many translations are machine drafts, by people, or reviewed."""
    rows = []
    for kind in TRANSLATED_KINDS:
        aggregates: dict[str, Any] = {"total": Count("pk")}
        for lang in TRANSLATED_LANGUAGES:
            key = lang.replace("-", "_")
            aggregates[f"{key}_missing"] = Count("pk", filter=_missing(kind, lang))
            for state in ("machine", "human", "reviewed"):
                aggregates[f"{key}_{state}"] = Count("pk", filter=_state(lang, state))
        counts = kind.public().aggregate(**aggregates)
        rows.append(
            {
                "kind": kind.key,
                "total": counts["total"],
                "languages": [
                    {
                        "code": lang,
                        "missing": counts[f"{lang.replace('-', '_')}_missing"],
                        "machine": counts[f"{lang.replace('-', '_')}_machine"],
                        "human": counts[f"{lang.replace('-', '_')}_human"],
                        "reviewed": counts[f"{lang.replace('-', '_')}_reviewed"],
                    }
                    for lang in TRANSLATED_LANGUAGES
                ],
            }
        )
    return rows


def translation_kind(key: str) -> TranslatedKind:
    for kind in TRANSLATED_KINDS:
        if kind.key == key:
            return kind
    raise Http404


def untranslated(kind: TranslatedKind, language: str, *, state: str | None = None) -> QuerySet:
    """Published records of ``kind`` missing a ``language`` translation (or, with ``state``,
    whose translation is in that state)."""
    if language not in TRANSLATED_LANGUAGES:
        raise Http404
    qs = kind.public()
    qs = qs.filter(_state(language, state)) if state else qs.filter(_missing(kind, language))
    return qs.order_by("pk")


def public_counts() -> dict[str, int]:
    return {
        "streets": ShoppingStreet.objects.public().count(),
        "shops": Shop.objects.public().count(),
        "stories": Story.objects.public().count(),
    }


__all__ = [
    "OpenState",
    "featured_streets",
    "latest_stories",
    "map_shops",
    "open_state",
    "public_counts",
    "shop",
    "shops_of",
    "stories_about",
    "story",
    "street",
    "streets",
    "translation_overview",
    "untranslated",
]

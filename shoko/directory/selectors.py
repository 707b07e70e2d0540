"""Reads of the directory: filtered lists, search, duplicates, opening hours, eligibility facts.

Lists return querysets that views paginate; each selects or prefetches what its page shows, so
that the number of queries does not grow with the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.core import permissions
from shoko.core.text import fold_for_search, normalize_code
from shoko.directory.fields import has_choice
from shoko.directory.hours import is_open_at, opening_hours_specification
from shoko.directory.imports.progress import written_so_far
from shoko.directory.models import (
    Area,
    Business,
    ImportJob,
    IndustryDivision,
    OpeningException,
    OpeningPeriod,
    Shop,
    ShopChangeRequest,
    ShoppingStreet,
    ShopQuerySet,
    TimelineEvent,
    VacantShop,
    public_shop_q,
)

if TYPE_CHECKING:
    from shoko.core.permissions import AnyUser

__all__ = [
    "DuplicateGroup",
    "businesses",
    "businesses_for_user",
    "is_open_at",
    "is_street_association_member",
    "likely_duplicates",
    "open_now",
    "opening_hours_specification",
    "pending_shop_changes",
    "public_shops",
    "public_streets",
    "resolve_industry",
    "shops",
    "shops_for_user",
    "streets",
    "timeline_of",
    "vacant_shops",
    "with_live_progress",
]

UNKNOWN_JSIC_MESSAGE = _(
    "日本標準産業分類のコード「%(code)s」はありません（大分類は A〜T、中分類は 01〜99）。"
)


def resolve_industry(code: str | None) -> IndustryDivision | None:
    """A JSIC division by code (大分類 ``I``, 中分類 ``58``, full-width accepted), or refuse."""
    code = normalize_code(code or "").upper()
    if not code:
        return None
    if code.isdigit():
        code = code.zfill(2)
    division = IndustryDivision.objects.filter(code=code).first()
    if division is None:
        raise ValidationError(UNKNOWN_JSIC_MESSAGE, code="unknown_jsic", params={"code": code})
    return division


def _search(qs: QuerySet, q: str | None) -> QuerySet:
    """Every word must appear in the record's folded search text (kana and width folded)."""
    for word in fold_for_search(q or "").split():
        qs = qs.filter(search_text__contains=word)
    return qs


def businesses(
    *,
    q: str | None = None,
    legal_form: str | None = None,
    industry: str | None = None,
    is_startup: bool | None = None,
    in_city: bool | None = None,
) -> QuerySet[Business]:
    qs = Business.objects.select_related("industry", "industry__parent")
    qs = _search(qs, q)
    if legal_form:
        qs = qs.filter(legal_form=legal_form)
    if industry:
        qs = qs.filter(Q(industry__code=industry) | Q(industry__parent__code=industry))
    if is_startup is not None:
        qs = qs.filter(is_startup=is_startup)
    if in_city is not None:
        city = Q(address__contains=settings.SHOKO_CITY_NAME)
        qs = qs.filter(city if in_city else ~city)
    return qs


def businesses_for_user(user: AnyUser) -> QuerySet[Business]:
    """The businesses a user may act for (all for officials, their own for members)."""
    return permissions.scope_to_user(Business.objects.all(), user).order_by("name")


def streets(
    *, q: str | None = None, area: str | None = None, concept: str | None = None
) -> QuerySet[ShoppingStreet]:
    qs = ShoppingStreet.objects.select_related("area", "association").annotate(
        shop_count=Count("shops", distinct=True)
    )
    qs = _search(qs, q)
    if area:
        qs = qs.filter(area__code=area)
    if concept:
        qs = qs.filter(has_choice("concepts", concept))
    return qs


def shops(
    *,
    q: str | None = None,
    street: int | str | None = None,
    area: str | None = None,
    category: str | None = None,
    published: bool | None = None,
    payment: str | None = None,
    menu_language: str | None = None,
    speaks: str | None = None,
    tax_free: bool | None = None,
    free_wifi: bool | None = None,
    step_free: bool | None = None,
    business: Business | None = None,
) -> ShopQuerySet:
    """Shops matching the filters, for staff (``published``: the owner's flag); chain
    ``.public()`` for what visitors may see."""
    qs = Shop.objects.select_related("street", "category", "business")
    qs = _search(qs, q)
    if street:
        qs = qs.filter(street_id=street)
    if area:
        qs = qs.filter(street__area__code=area)
    if category:
        qs = qs.filter(category__code=category)
    if published is not None:
        qs = qs.filter(published_at__isnull=not published)
    if payment:
        qs = qs.filter(has_choice("payment_methods", payment))
    if menu_language:
        qs = qs.filter(has_choice("menu_languages", menu_language))
    if speaks:
        qs = qs.filter(spoken_languages__has_key=speaks)
    for name, value in (
        ("tax_free", tax_free),
        ("free_wifi", free_wifi),
        ("step_free_entrance", step_free),
    ):
        if value is not None:
            qs = qs.filter(**{name: value})
    if business is not None:
        qs = qs.filter(business=business)
    return qs


def shops_for_user(user: AnyUser) -> QuerySet[Shop]:
    return permissions.scope_to_user(
        Shop.objects.select_related("street", "business", "category"),
        user,
        organisation_field="business__organisation",
    )


def with_hours(qs: QuerySet[Shop]) -> QuerySet[Shop]:
    """Prefetch what ``is_open_at`` and ``opening_hours_specification`` read."""
    return qs.prefetch_related(
        Prefetch("opening_periods", queryset=OpeningPeriod.objects.order_by("day", "opens")),
        Prefetch("opening_exceptions", queryset=OpeningException.objects.order_by("date")),
    )


def public_streets() -> QuerySet[ShoppingStreet]:
    """Public streets (``ShoppingStreet.objects.public()``), each with ``shop_count``, the
    number of its public shops."""
    return (
        ShoppingStreet.objects.public()
        .select_related("area")
        .annotate(shop_count=Count("shops", filter=public_shop_q("shops__"), distinct=True))
    )


def public_shops() -> QuerySet[Shop]:
    """Public shops (``Shop.objects.public()``) with their hours, for the portal and the
    public API."""
    return with_hours(Shop.objects.public().select_related("street", "category"))


def open_now(qs: QuerySet[Shop], *, at: dt.datetime | None = None) -> list[Shop]:
    """The shops of ``qs`` open at ``at`` (now by default), in Japan time."""
    at = at or timezone.now()
    return [shop for shop in with_hours(qs) if is_open_at(shop, at)]


def vacant_shops(
    *, q: str | None = None, status: str | None = None, street: int | None = None
) -> QuerySet[VacantShop]:
    qs = VacantShop.objects.select_related("street")
    for word in (q or "").split():
        qs = qs.filter(
            Q(address__icontains=word) | Q(building__icontains=word) | Q(former_use__icontains=word)
        )
    if status:
        qs = qs.filter(status=status)
    if street:
        qs = qs.filter(street_id=street)
    return qs


def timeline_of(business: Business, *, limit: int = 50) -> list[TimelineEvent]:
    return list(business.timeline.select_related("actor")[:limit])


def pending_shop_changes() -> QuerySet[ShopChangeRequest]:
    return ShopChangeRequest.objects.filter(status=ShopChangeRequest.Status.PENDING).select_related(
        "shop", "shop__business", "submitted_by"
    )


def areas() -> QuerySet[Area]:
    return Area.objects.all()


# --- Eligibility facts the programmes app asks about ---------------------------------------------


def is_street_association_member(business: Business, street: ShoppingStreet | None = None) -> bool:
    """Is ``business`` a member of a street's association (of ``street``, or of any street)?"""
    qs = business.shops.filter(is_association_member=True, street__isnull=False)
    if street is not None:
        qs = qs.filter(street=street)
    return qs.exists()


def shops_in_city_streets(business: Business) -> QuerySet[Shop]:
    """The business's shops that are in one of the city's shopping streets."""
    return business.shops.filter(street__isnull=False)


# --- Duplicates ---------------------------------------------------------------------------------------  # noqa: E501

REASON_LABELS = {
    "corporate_number": _("法人番号が同じ"),
    "name": _("名称が同じ（法人格・表記ゆれを除く）"),
    "kana": _("フリガナが同じ"),
    "phone": _("電話番号が同じ"),
    "address": _("所在地が同じ"),
}


@dataclass
class DuplicateGroup:
    """Two businesses that look like one, and why."""

    first: Business
    second: Business
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[Any]:
        return [REASON_LABELS[r] for r in self.reasons]

    @property
    def score(self) -> int:
        return len(self.reasons)


def likely_duplicates(*, limit: int = 100) -> list[DuplicateGroup]:
    """Pairs of businesses sharing a normalised name, reading, phone or address (most reasons
    first)."""
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    for reason, attr in (
        ("name", "name_key"),
        ("kana", "kana_key"),
        ("phone", "phone"),
        ("address", "address_key"),
    ):
        shared = (
            Business.objects.exclude(**{attr: ""})
            .values(attr)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list(attr, flat=True)[: limit * 5]
        )
        groups: dict[str, list[int]] = defaultdict(list)
        for pk, value in Business.objects.filter(**{f"{attr}__in": list(shared)}).values_list(
            "pk", attr
        ):
            groups[value].append(pk)
        for pks in groups.values():
            for a, b in combinations(sorted(pks)[:20], 2):
                reasons[(a, b)].append(reason)
    ranked = sorted(reasons.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    records = Business.objects.in_bulk({pk for pair, _r in ranked for pk in pair})
    return [
        DuplicateGroup(records[a], records[b], found)
        for (a, b), found in ranked
        if a in records and b in records
    ]


def with_live_progress(job: ImportJob) -> ImportJob:
    """The job, with the rows written so far while it writes (reported through the cache,
    since the write's transaction hides the job's own row until it ends)."""
    if job.status == ImportJob.Status.WRITING:
        written = written_so_far(job.pk)
        if written is not None:
            job.processed_rows, job.total_rows = written
    return job

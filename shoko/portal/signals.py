"""Keeping cached pages honest, and refusing to publish a photo without alt text.

The search index follows edits through each provider's own signals (``registry``); the receivers
here bump the cache tags of the pages that show a record (``cache.invalidate``). Opening hours
need no receiver of their own: the directory's services always save the shop when they change.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _

from shoko.directory.models import (
    Area,
    Photo,
    Shop,
    ShopCategory,
    ShoppingStreet,
)
from shoko.portal.cache import LISTS, invalidate
from shoko.portal.models import Story

PHOTO_ALT_REQUIRED_MESSAGE = _(
    "公開中の商店街・個店の写真には、代替テキスト（写真の説明）が必要です。"
)
SHOP_PHOTO_ALT_MESSAGE = _(
    "代替テキスト（写真の説明）のない写真があるため、この個店は公開できません。"
)
SITE = "site"  # every portal page: areas and categories appear everywhere


def _shop_changed(sender: Any, instance: Shop, **kwargs: Any) -> None:
    tags = [f"shop:{instance.pk}", LISTS]
    if instance.street_id:
        tags.append(f"street:{instance.street_id}")
    invalidate(*tags)


def _street_changed(sender: Any, instance: ShoppingStreet, **kwargs: Any) -> None:
    invalidate(f"street:{instance.pk}", LISTS)


def _story_changed(sender: Any, instance: Story, **kwargs: Any) -> None:
    tags = [f"story:{instance.pk}", LISTS]
    if instance.street_id:
        tags.append(f"street:{instance.street_id}")
    if instance.shop_id:
        tags.append(f"shop:{instance.shop_id}")
    invalidate(*tags)


def _photo_changed(sender: Any, instance: Photo, **kwargs: Any) -> None:
    if instance.shop_id:
        invalidate(f"shop:{instance.shop_id}")
    if instance.street_id:
        invalidate(f"street:{instance.street_id}")


def _reference_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    invalidate(SITE, LISTS)


def _photo_needs_alt(sender: Any, instance: Photo, raw: bool = False, **kwargs: Any) -> None:
    """A photo shown to the public must say what it shows (WCAG 1.1.1)."""
    if raw or (instance.caption or "").strip():
        return
    # A shop its owner has published counts even on a withdrawn street: publishing the street
    # again would show the photo with no further check.
    public = (
        instance.shop_id
        and Shop.objects.filter(pk=instance.shop_id, published_at__isnull=False).exists()
    ) or (
        instance.street_id
        and ShoppingStreet.objects.public().filter(pk=instance.street_id).exists()
    )
    if public:
        raise ValidationError(PHOTO_ALT_REQUIRED_MESSAGE, code="photo_alt")


def _shop_publish_needs_alt(sender: Any, instance: Shop, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None or instance.published_at is None:
        return
    if instance.photos.filter(caption="").exists():
        raise ValidationError(SHOP_PHOTO_ALT_MESSAGE, code="photo_alt")


def _release_migrated(sender: Any, **kwargs: Any) -> None:
    """A new release runs ``migrate``: pages its predecessor rendered (old templates, old
    wording) are dropped, since the disk cache outlives the processes that filled it."""
    invalidate(SITE)


def connect() -> None:
    post_migrate.connect(
        _release_migrated,
        sender=apps.get_app_config("portal"),
        weak=False,
        dispatch_uid="portal-cache-release",
    )
    for model, receiver in (
        (Shop, _shop_changed),
        (ShoppingStreet, _street_changed),
        (Story, _story_changed),
        (Photo, _photo_changed),
        (Area, _reference_changed),
        (ShopCategory, _reference_changed),
    ):
        uid = f"portal-cache-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
    pre_save.connect(_photo_needs_alt, sender=Photo, weak=False, dispatch_uid="portal-photo-alt")
    pre_save.connect(
        _shop_publish_needs_alt, sender=Shop, weak=False, dispatch_uid="portal-shop-photo-alt"
    )

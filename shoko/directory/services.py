"""Every change to the directory goes through here: typed, keyword-only, one transaction per
action, the acting user passed in. Views, the API, imports and commands call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shoko.core import permissions
from shoko.core.audit import acting_as
from shoko.core.models import Membership, Organisation, User
from shoko.core.roles import Role
from shoko.core.text import fold_for_search, normalize_company_name
from shoko.core.translation import translated_field_names
from shoko.core.uploads import validate_image
from shoko.directory import hours as hours_mod
from shoko.directory.models import (
    Business,
    BusinessMerge,
    OpeningException,
    OpeningPeriod,
    Photo,
    Shop,
    ShopChangeRequest,
    ShoppingStreet,
    TimelineEvent,
    VacantShop,
)
from shoko.directory.records import (
    HOURS_KEYS,
    address_key,
    apply_changes,
    validate_record,
)

if TYPE_CHECKING:
    pass

CORPORATE_NUMBER_TAKEN_MESSAGE = _("法人番号 %(number)s の事業者はすでに登録されています。")
CHANGE_NOT_PENDING_MESSAGE = _("この変更申請はすでに処理されています。")
NOT_ALLOWED_MESSAGE = _("この操作を行う権限がありません。")
MERGE_SAME_MESSAGE = _("同じ事業者どうしは統合できません。")
MERGE_CONFLICT_MESSAGE = _(
    "統合できません: %(model)s が両方の事業者に1件ずつあり、1件にまとめられません。"
)
ALREADY_PUBLISHED_MESSAGE = _("この個店はすでに公開されています。")
EMAIL_REQUIRED_MESSAGE = _("メールアドレスを入力してください。")
LAST_REPRESENTATIVE_MESSAGE = _("代表者が1人もいなくなるため、この変更はできません。")

#: Changes that business members make to a published shop wait for staff approval.
APPROVE_SHOP_CHANGES = getattr(settings, "SHOKO_DIRECTORY_APPROVE_SHOP_CHANGES", True)

#: Shop fields a business member may change from the portal (the rest are staff-only).
MEMBER_SHOP_FIELDS = (
    *translated_field_names("name", "description", "hours_note"),
    "name_kana",
    "category",
    "phone",
    "website",
    "price_range",
    "holiday_rule",
    "postal_code",
    "address",
    "building",
    "latitude",
    "longitude",
    "spoken_languages",
    "menu_languages",
    "payment_methods",
    "dietary_options",
    "tax_free",
    "free_wifi",
    "step_free_entrance",
    "accessible_toilet",
    "conveniences_verified_on",
    "opening_hours",
    "opening_exceptions",
)


# --- Small helpers ---------------------------------------------------------------------------------  # noqa: E501


def _translated(obj: models.Model, field: str) -> str:
    return " ".join(str(getattr(obj, name, "") or "") for name in translated_field_names(field))


# --- Businesses --------------------------------------------------------------------------------------  # noqa: E501


def refresh_business_keys(business: Business) -> None:
    business.name_key = normalize_company_name(business.name)
    business.kana_key = "".join(fold_for_search(business.name_kana).split())
    business.address_key = (
        address_key(business.postal_code, business.address, business.building)
        if business.address
        else ""
    )
    business.search_text = fold_for_search(
        " ".join(
            [
                business.name,
                business.name_kana,
                business.name_key,
                business.address,
                business.phone,
                business.corporate_number,
                business.representative_name,
            ]
        )
    )


def _organisation_kind(business: Business) -> str:
    return (
        Organisation.Kind.ASSOCIATION
        if business.legal_form == Business.LegalForm.ASSOCIATION
        else Organisation.Kind.BUSINESS
    )


def _save_business(business: Business) -> Business:
    validate_record(business, exclude=["organisation"])
    if (
        business.corporate_number
        and Business.objects.filter(corporate_number=business.corporate_number)
        .exclude(pk=business.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "corporate_number": ValidationError(
                    CORPORATE_NUMBER_TAKEN_MESSAGE,
                    code="corporate_number_taken",
                    params={"number": business.corporate_number},
                )
            }
        )
    refresh_business_keys(business)
    organisation = business.organisation if business.organisation_id else Organisation()
    if organisation.name != business.name or organisation.kind != _organisation_kind(business):
        organisation.name = business.name
        organisation.kind = _organisation_kind(business)
        organisation.save()
    business.organisation = organisation
    business.save()
    return business


@transaction.atomic
def create_business(*, actor: User | None, data: Mapping[str, Any]) -> Business:
    """Register a business (and its core organisation, so that members can be added)."""
    business = Business()
    apply_changes(business, data)
    with acting_as(actor):
        return _save_business(business)


@transaction.atomic
def update_business(*, actor: User | None, business: Business, data: Mapping[str, Any]) -> Business:
    apply_changes(business, data)
    with acting_as(actor):
        return _save_business(business)


def business_for_organisation(organisation: Organisation) -> Business:
    """The directory record of a core organisation, created on first use (name and kind kept)."""
    try:
        return organisation.business
    except Business.DoesNotExist:
        legal_form = (
            Business.LegalForm.ASSOCIATION
            if organisation.kind == Organisation.Kind.ASSOCIATION
            else Business.LegalForm.CORPORATION
        )
        business = Business(
            organisation=organisation, name=organisation.name, legal_form=legal_form
        )
        refresh_business_keys(business)
        business.save()
        return business


# --- Members ---------------------------------------------------------------------------------------  # noqa: E501


@transaction.atomic
def add_member(
    *, actor: User, business: Business, email: str, full_name: str = "", role: str
) -> Membership:
    """Give a person a role in the business; a new email gets an account (no password yet —
    they set one through "forgot password")."""
    email = User.objects.normalize_email(email)
    if not email:
        raise ValidationError({"email": EMAIL_REQUIRED_MESSAGE})
    with acting_as(actor):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=full_name)
        group, _created = Group.objects.get_or_create(name=Role.BUSINESS_MEMBER.value)
        user.groups.add(group)
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=business.organisation, defaults={"role": role}
        )
        if not created and membership.role != role:
            membership.role = role
            membership.save()
    record_timeline_event(
        business=business,
        kind="member",
        title=str(_("メンバー追加: %(email)s") % {"email": email}),
        actor=actor,
    )
    return membership


def _representatives_left(membership: Membership, new_role: str | None) -> bool:
    if membership.role != Membership.Role.REPRESENTATIVE or new_role == membership.role:
        return True
    return (
        Membership.objects.filter(
            organisation_id=membership.organisation_id, role=Membership.Role.REPRESENTATIVE
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_member_role(*, actor: User, membership: Membership, role: str) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not permissions.is_official(actor) and not _representatives_left(membership, role):
        raise ValidationError(LAST_REPRESENTATIVE_MESSAGE)
    with acting_as(actor):
        membership.role = role
        membership.save()
    return membership


@transaction.atomic
def remove_member(*, actor: User, membership: Membership) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not permissions.is_official(actor) and not _representatives_left(membership, None):
        raise ValidationError(LAST_REPRESENTATIVE_MESSAGE)
    with acting_as(actor):
        membership.delete()


# --- Timeline --------------------------------------------------------------------------------------  # noqa: E501


def record_timeline_event(
    *,
    business: Business | Organisation,
    kind: str,
    title: str,
    url: str = "",
    occurred_at: dt.datetime | None = None,
    actor: User | None = None,
) -> TimelineEvent:
    """Append to a business's timeline; any app may call this (an Organisation is accepted)."""
    if isinstance(business, Organisation):
        business = business_for_organisation(business)
    return TimelineEvent.objects.create(
        business=business,
        kind=kind,
        title=title[:300],
        url=url,
        occurred_at=occurred_at or timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
    )


# --- Streets --------------------------------------------------------------------------------------


def _save_street(street: ShoppingStreet) -> ShoppingStreet:
    validate_record(street)
    street.name_key = "".join(fold_for_search(street.name_ja or "").split())
    street.search_text = fold_for_search(
        " ".join([_translated(street, "name"), street.name_kana, street.nearest_stations])
    )
    street.save()
    return street


@transaction.atomic
def create_street(*, actor: User | None, data: Mapping[str, Any]) -> ShoppingStreet:
    street = ShoppingStreet()
    apply_changes(street, data)
    with acting_as(actor):
        return _save_street(street)


@transaction.atomic
def update_street(
    *, actor: User | None, street: ShoppingStreet, data: Mapping[str, Any]
) -> ShoppingStreet:
    apply_changes(street, data)
    with acting_as(actor):
        return _save_street(street)


# --- Shops -----------------------------------------------------------------------------------------  # noqa: E501


def _save_shop(shop: Shop) -> Shop:
    validate_record(shop)
    shop.name_key = "".join(fold_for_search(shop.name_ja or "").split())
    shop.search_text = fold_for_search(
        " ".join([_translated(shop, "name"), shop.name_kana, shop.address, shop.phone])
    )
    shop.save()
    return shop


def set_opening_hours(
    shop: Shop,
    *,
    weekly: hours_mod.WeeklyHours | None = None,
    exceptions: tuple[hours_mod.ExceptionDay, ...] | None = None,
) -> None:
    """Replace the shop's weekly hours and/or its dated exceptions (call inside a service)."""
    if weekly is not None:
        shop.opening_periods.all().delete()
        OpeningPeriod.objects.bulk_create(
            OpeningPeriod(shop=shop, day=day, opens=r.opens, closes=r.closes)
            for day, ranges in weekly.days.items()
            for r in ranges
        )
        if shop.holiday_rule != weekly.holiday_rule:
            shop.holiday_rule = weekly.holiday_rule
            shop.save(update_fields=["holiday_rule"])
    if exceptions is not None:
        shop.opening_exceptions.all().delete()
        OpeningException.objects.bulk_create(
            OpeningException(shop=shop, date=e.date, opens=r.opens, closes=r.closes)
            for e in exceptions
            for r in e.ranges
        )
        OpeningException.objects.bulk_create(
            OpeningException(shop=shop, date=e.date) for e in exceptions if e.is_closed
        )
    for cache_name in ("opening_periods", "opening_exceptions"):
        getattr(shop, "_prefetched_objects_cache", {}).pop(cache_name, None)


def _hours_from(data: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if "opening_hours" in data:
        value = data["opening_hours"]
        found["weekly"] = hours_mod.parse_weekly(value) if isinstance(value, str) else value
    if "opening_exceptions" in data:
        value = data["opening_exceptions"]
        found["exceptions"] = hours_mod.parse_exceptions(value) if isinstance(value, str) else value
    return found


@transaction.atomic
def create_shop(*, actor: User | None, data: Mapping[str, Any]) -> Shop:
    hours = _hours_from(data)
    shop = Shop()
    apply_changes(shop, data)
    if "weekly" in hours:
        shop.holiday_rule = hours["weekly"].holiday_rule
    with acting_as(actor):
        _save_shop(shop)
        if hours:
            set_opening_hours(shop, **hours)
    return shop


@transaction.atomic
def update_shop(*, actor: User | None, shop: Shop, data: Mapping[str, Any]) -> Shop:
    hours = _hours_from(data)
    apply_changes(shop, data)
    if "weekly" in hours:
        shop.holiday_rule = hours["weekly"].holiday_rule
    with acting_as(actor):
        _save_shop(shop)
        if hours:
            set_opening_hours(shop, **hours)
    return shop


@transaction.atomic
def publish_shop(*, actor: User, shop: Shop) -> Shop:
    """Show the shop on the public portal (its owner or staff decides)."""
    if not permissions.can_edit_for(actor, shop.business.organisation_id):
        raise ValidationError(NOT_ALLOWED_MESSAGE)
    if shop.published_at is None:
        with acting_as(actor):
            shop.published_at = timezone.now()
            shop.save(update_fields=["published_at", "updated_at"])
    return shop


@transaction.atomic
def unpublish_shop(*, actor: User, shop: Shop) -> Shop:
    if not permissions.can_edit_for(actor, shop.business.organisation_id):
        raise ValidationError(NOT_ALLOWED_MESSAGE)
    if shop.published_at is not None:
        with acting_as(actor):
            shop.published_at = None
            shop.save(update_fields=["published_at", "updated_at"])
    return shop


# --- Changes to published shops that wait for staff ------------------------------------------------  # noqa: E501


def _to_json(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, hours_mod.WeeklyHours):
        return hours_mod.format_weekly(value)
    if isinstance(value, tuple) and all(isinstance(v, hours_mod.ExceptionDay) for v in value):
        return hours_mod.format_exceptions(value)
    return value


def _from_json(name: str, value: Any) -> Any:
    if name in HOURS_KEYS:
        return value
    field = Shop._meta.get_field(name)
    if field.is_relation:
        return field.related_model.objects.filter(pk=value).first() if value else None
    if value is None:
        return None
    return field.to_python(value)


def shop_changes_for_review(shop: Shop, data: Mapping[str, Any]) -> dict[str, Any]:
    """The member's data reduced to what differs from the shop now, as JSON."""
    current_hours = {
        "opening_hours": hours_mod.format_weekly(hours_mod.weekly_of(shop)),
        "opening_exceptions": hours_mod.format_exceptions(hours_mod.exceptions_of(shop)),
    }
    changes = {}
    for name, value in data.items():
        if name not in MEMBER_SHOP_FIELDS:
            raise TypeError(f"members may not change {name!r}")
        new = _to_json(value)
        old = current_hours[name] if name in HOURS_KEYS else _to_json(getattr(shop, name))
        if new != old:
            changes[name] = new
    return changes


@transaction.atomic
def submit_shop_change(
    *, actor: User, shop: Shop, data: Mapping[str, Any]
) -> ShopChangeRequest | None:
    """A business member's edit: applied at once while the shop is unpublished (or when staff
    edit); for a published shop it waits as a change request (a newer one replaces it)."""
    shop = Shop.objects.select_for_update().select_related("business").get(pk=shop.pk)
    if not permissions.can_edit_for(actor, shop.business.organisation_id):
        raise ValidationError(NOT_ALLOWED_MESSAGE)
    needs_review = APPROVE_SHOP_CHANGES and shop.is_published and not permissions.is_official(actor)
    if not needs_review:
        update_shop(actor=actor, shop=shop, data=data)
        return None
    changes = shop_changes_for_review(shop, data)
    # Validate now, so that the member hears about mistakes, not the reviewer.
    preview = Shop.objects.get(pk=shop.pk)
    apply_changes(preview, {k: _from_json(k, v) for k, v in changes.items() if k not in HOURS_KEYS})
    validate_record(preview)
    _hours_from(changes)
    with acting_as(actor):
        ShopChangeRequest.objects.filter(shop=shop, status=ShopChangeRequest.Status.PENDING).update(
            status=ShopChangeRequest.Status.WITHDRAWN, decided_at=timezone.now()
        )
        return ShopChangeRequest.objects.create(shop=shop, changes=changes, submitted_by=actor)


def _decide(change: ShopChangeRequest) -> ShopChangeRequest:
    locked = ShopChangeRequest.objects.select_for_update().get(pk=change.pk)
    if locked.status != ShopChangeRequest.Status.PENDING:
        raise ValidationError(CHANGE_NOT_PENDING_MESSAGE)
    return locked


@transaction.atomic
def approve_shop_change(*, actor: User, change: ShopChangeRequest) -> Shop:
    if not permissions.is_official(actor):
        raise ValidationError(NOT_ALLOWED_MESSAGE)
    change = _decide(change)
    data = {name: _from_json(name, value) for name, value in change.changes.items()}
    shop = update_shop(actor=actor, shop=change.shop, data=data)
    with acting_as(actor):
        change.status = ShopChangeRequest.Status.APPROVED
        change.decided_by = actor
        change.decided_at = timezone.now()
        change.save()
    return shop


@transaction.atomic
def reject_shop_change(*, actor: User, change: ShopChangeRequest, reason: str) -> ShopChangeRequest:
    if not permissions.is_official(actor):
        raise ValidationError(NOT_ALLOWED_MESSAGE)
    change = _decide(change)
    with acting_as(actor):
        change.status = ShopChangeRequest.Status.REJECTED
        change.decided_by = actor
        change.decided_at = timezone.now()
        change.reason = reason
        change.save()
    return change


# --- Vacant shops ----------------------------------------------------------------------------------  # noqa: E501


def _save_vacant_shop(vacant: VacantShop) -> VacantShop:
    validate_record(vacant)
    vacant.address_key = address_key(vacant.postal_code, vacant.address, vacant.building)
    vacant.save()
    return vacant


@transaction.atomic
def create_vacant_shop(*, actor: User | None, data: Mapping[str, Any]) -> VacantShop:
    vacant = VacantShop()
    apply_changes(vacant, data)
    with acting_as(actor):
        return _save_vacant_shop(vacant)


@transaction.atomic
def update_vacant_shop(
    *, actor: User | None, vacant_shop: VacantShop, data: Mapping[str, Any]
) -> VacantShop:
    apply_changes(vacant_shop, data)
    with acting_as(actor):
        return _save_vacant_shop(vacant_shop)


# --- Merging duplicates ----------------------------------------------------------------------------  # noqa: E501


def _links_to(model: type[models.Model]) -> list[models.ForeignKey]:
    """Every foreign key (any app's, including auto-created M2M tables) pointing at ``model``."""
    return [
        field
        for candidate in apps.get_models(include_auto_created=True)
        for field in candidate._meta.get_fields()
        if isinstance(field, models.ForeignKey)
        and field.remote_field.model is model
        and field.concrete
    ]


def _move_links(
    model: type[models.Model], old: models.Model, new: models.Model, skip: set
) -> dict[str, int]:
    moved: dict[str, int] = {}
    for field in _links_to(model):
        if (field.model, field.name) in skip:
            continue
        rows = field.model._default_manager.filter(**{field.name: old})
        label = f"{field.model._meta.label}.{field.name}"
        if isinstance(field, models.OneToOneField):  # noqa: SIM102
            if rows.exists() and field.model._default_manager.filter(**{field.name: new}).exists():
                raise ValidationError(
                    MERGE_CONFLICT_MESSAGE, params={"model": field.model._meta.verbose_name}
                )
        count = 0
        for pk in list(rows.values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    count += field.model._default_manager.filter(pk=pk).update(**{field.name: new})
            except IntegrityError:
                # The same link exists on the survivor already (a unique pair): drop the copy.
                field.model._default_manager.filter(pk=pk).delete()
        if count:
            moved[label] = count
    return moved


@transaction.atomic
def merge_businesses(*, actor: User, survivor: Business, duplicate: Business) -> BusinessMerge:
    """Merge ``duplicate`` into ``survivor``: every link to the duplicate business or its
    organisation (memberships, shops, street associations, other apps' records) moves, blank
    fields of the survivor are filled from the duplicate, and the duplicate is deleted."""
    if not permissions.is_official(actor):
        raise ValidationError(NOT_ALLOWED_MESSAGE)
    if survivor.pk == duplicate.pk:
        raise ValidationError(MERGE_SAME_MESSAGE)
    survivor = Business.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Business.objects.select_for_update().get(pk=duplicate.pk)
    with acting_as(actor):
        # Memberships: keep the stronger role when the person belongs to both.
        strength = {
            Membership.Role.REPRESENTATIVE: 3,
            Membership.Role.MANAGER: 2,
            Membership.Role.VIEWER: 1,
        }
        kept = {m.user_id: m for m in Membership.objects.filter(organisation=survivor.organisation)}
        moved_members = 0
        for membership in Membership.objects.filter(organisation=duplicate.organisation):
            existing = kept.get(membership.user_id)
            if existing is None:
                membership.organisation = survivor.organisation
                membership.save()
                moved_members += 1
            else:
                if strength[membership.role] > strength[existing.role]:
                    existing.role = membership.role
                    existing.save()
                membership.delete()
        skip = {(Business, "organisation"), (Membership, "organisation")}
        moved = _move_links(Business, duplicate, survivor, skip)
        moved |= _move_links(Organisation, duplicate.organisation, survivor.organisation, skip)
        if moved_members:
            moved["core.Membership.organisation"] = moved_members
        fill = {}
        for field in Business._meta.concrete_fields:
            if (
                field.name in {"id", "organisation", "created_at", "updated_at"}
                or not field.editable
            ):
                continue
            if getattr(survivor, field.attname) in (None, "") and getattr(
                duplicate, field.attname
            ) not in (None, ""):
                fill[field.attname] = getattr(duplicate, field.attname)
        record = BusinessMerge.objects.create(
            survivor=survivor,
            merged_name=duplicate.name,
            merged_pk=duplicate.pk,
            merged_corporate_number=duplicate.corporate_number,
            moved=moved,
            merged_by=actor,
        )
        old_organisation = duplicate.organisation
        duplicate.delete()
        old_organisation.delete()
        if fill:
            for attname, value in fill.items():
                setattr(survivor, attname, value)
            _save_business(survivor)
    record_timeline_event(
        business=survivor,
        kind="merge",
        title=str(_("重複登録「%(name)s」を統合しました") % {"name": duplicate.name}),
        actor=actor,
    )
    return record


# --- Photos ------------------------------------------------------------------------------

PHOTO_CAPTION_REQUIRED_MESSAGE = _(
    "写真の説明（代替テキスト）を入力してください。目の不自由な方や画像が表示されない環境で読まれます。"
)
PHOTO_LIMIT_MESSAGE = _("写真は1件につき %(limit)s 枚までです。")
MAX_PHOTOS_PER_RECORD = 12


@transaction.atomic
def add_photo(
    *,
    actor: User,
    subject: ShoppingStreet | Shop | VacantShop,
    image: Any,
    caption: str,
    order: int | None = None,
) -> Photo:
    """Attach a photo with its alt text; the file is checked by content, size and dimensions."""
    _require_photo_rights(actor, subject)
    caption = (caption or "").strip()
    if not caption:
        raise ValidationError(PHOTO_CAPTION_REQUIRED_MESSAGE, code="caption")
    validate_image(image)
    field = _photo_subject_field(subject)
    # Lock the subject so that two uploads at once cannot pass the limit together.
    type(subject).objects.select_for_update().filter(pk=subject.pk).first()
    existing = Photo.objects.filter(**{field: subject}).count()
    if existing >= MAX_PHOTOS_PER_RECORD:
        raise ValidationError(
            PHOTO_LIMIT_MESSAGE, code="limit", params={"limit": MAX_PHOTOS_PER_RECORD}
        )
    with acting_as(actor):
        return Photo.objects.create(
            **{field: subject},
            image=image,
            caption=caption,
            order=existing if order is None else order,
        )


@transaction.atomic
def remove_photo(*, actor: User, photo: Photo) -> None:
    subject = photo.street or photo.shop or photo.vacant_shop
    _require_photo_rights(actor, subject)
    with acting_as(actor):
        storage, name = photo.image.storage, photo.image.name
        photo.delete()
    # Delete the file only once the row is really gone.
    transaction.on_commit(lambda: storage.delete(name))


def _photo_subject_field(subject: ShoppingStreet | Shop | VacantShop) -> str:
    return {ShoppingStreet: "street", Shop: "shop", VacantShop: "vacant_shop"}[type(subject)]


def _require_photo_rights(actor: User, subject: ShoppingStreet | Shop | VacantShop) -> None:
    if isinstance(subject, Shop):
        allowed = permissions.can_edit_for(actor, subject.business.organisation_id)
    else:
        allowed = permissions.is_official(actor)
    if not allowed:
        raise ValidationError(NOT_ALLOWED_MESSAGE, code="forbidden")

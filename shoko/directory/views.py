"""Screens of the directory: the back office (officials) and the business portal (/my/).

Views stay thin: selectors read, services write, and every record of a business is fetched
through ``get_for_user_or_404`` so that another business's member gets 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from shoko.core import permissions
from shoko.core.audit import history_of
from shoko.core.exports import content_disposition
from shoko.core.models import Membership
from shoko.core.permissions import get_for_user_or_404, officials_only
from shoko.directory import forms, hours, selectors, services
from shoko.directory.imports import importer
from shoko.directory.imports import services as import_services
from shoko.directory.imports.tabular import FileRefused
from shoko.directory.models import (
    Business,
    ImportJob,
    Photo,
    Shop,
    ShopChangeRequest,
    ShoppingStreet,
    VacantShop,
)

PAGE_SIZE = 50
SAVED_MESSAGE = _("保存しました。")
SUBMITTED_FOR_REVIEW_MESSAGE = _(
    "変更を受け付けました。公開中の個店のため、区の確認後に反映されます。"
)


def _page(request: HttpRequest, qs: QuerySet | list) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _edit(
    request: HttpRequest,
    form: Any,
    save: Any,
    *,
    template: str = "directory/form.html",
    context: dict[str, Any] | None = None,
    success: Any = None,
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``save(data)`` and redirect to its result's page."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.service_data())
        except ValidationError as exc:
            forms.attach_errors(form, exc)
        else:
            messages.success(request, success or SAVED_MESSAGE)
            return redirect(result) if isinstance(result, str) else redirect(result["url"])
    return render(request, template, {"form": form, **(context or {})})


# --- Staff: businesses ----------------------------------------------------------------------------


@officials_only
def business_list(request: HttpRequest) -> HttpResponse:
    form = forms.BusinessFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"],
            "legal_form": data["legal_form"],
            "industry": data["industry"].upper(),
            "is_startup": {"1": True, "0": False}.get(data["startup"]),
        }
    page = _page(request, selectors.businesses(**filters))
    return render(
        request, "directory/staff/business_list.html", {"filter_form": form, "page_obj": page}
    )


@officials_only
def business_detail(request: HttpRequest, pk: int) -> HttpResponse:
    business = get_object_or_404(
        Business.objects.select_related("industry", "industry__parent", "organisation"), pk=pk
    )
    return render(
        request,
        "directory/staff/business_detail.html",
        {
            "business": business,
            "timeline": selectors.timeline_of(business),
            "memberships": business.organisation.memberships.select_related("user"),
            "shops": business.shops.select_related("street"),
            "streets": business.associated_streets.all(),
            "history": list(history_of(business)[:20]),
            "member_form": forms.MemberForm(),
        },
    )


@officials_only
def business_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    business = get_object_or_404(Business, pk=pk) if pk else None
    form = forms.BusinessForm(request.POST or None, instance=business or Business())

    def save(data: dict[str, Any]) -> str:
        if business:
            saved = services.update_business(actor=request.user, business=business, data=data)
        else:
            saved = services.create_business(actor=request.user, data=data)
        return reverse("directory:staff-business-detail", args=[saved.pk])

    title = business.name if business else gettext("事業者の登録")
    return _edit(
        request, form, save, context={"title": title, "back": "directory:staff-business-list"}
    )


@officials_only
@require_POST
def business_add_member(request: HttpRequest, pk: int) -> HttpResponse:
    business = get_object_or_404(Business, pk=pk)
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        try:
            services.add_member(actor=request.user, business=business, **form.cleaned_data)
            messages.success(request, SAVED_MESSAGE)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("directory:staff-business-detail", pk=pk)


@officials_only
def duplicates(request: HttpRequest) -> HttpResponse:
    return render(
        request, "directory/staff/duplicates.html", {"pairs": selectors.likely_duplicates()}
    )


@officials_only
@require_POST
def merge(request: HttpRequest) -> HttpResponse:
    survivor = get_object_or_404(Business, pk=request.POST.get("survivor"))
    duplicate = get_object_or_404(Business, pk=request.POST.get("duplicate"))
    try:
        services.merge_businesses(actor=request.user, survivor=survivor, duplicate=duplicate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("directory:staff-duplicates")
    messages.success(request, gettext("統合しました。"))
    return redirect("directory:staff-business-detail", pk=survivor.pk)


# --- Staff: streets, shops, vacant shops -------------------------------------------------------------  # noqa: E501


@officials_only
def street_list(request: HttpRequest) -> HttpResponse:
    form = forms.StreetFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors.streets(**filters))
    return render(
        request, "directory/staff/street_list.html", {"filter_form": form, "page_obj": page}
    )


@officials_only
def street_detail(request: HttpRequest, pk: int) -> HttpResponse:
    street = get_object_or_404(ShoppingStreet.objects.select_related("area", "association"), pk=pk)
    return render(
        request,
        "directory/staff/street_detail.html",
        {
            "street": street,
            "shops": street.shops.select_related("category", "business"),
            "vacant_shops": street.vacant_shops.all(),
            "history": list(history_of(street)[:20]),
            "geometry_json": json.dumps(street.geometry) if street.geometry else "",
            **_photo_context("street", street),
        },
    )


@officials_only
def street_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    street = get_object_or_404(ShoppingStreet, pk=pk) if pk else None
    form = forms.StreetForm(request.POST or None, instance=street or ShoppingStreet())

    def save(data: dict[str, Any]) -> str:
        if street:
            saved = services.update_street(actor=request.user, street=street, data=data)
        else:
            saved = services.create_street(actor=request.user, data=data)
        return reverse("directory:staff-street-detail", args=[saved.pk])

    title = street.name if street else gettext("商店街の登録")
    return _edit(
        request, form, save, context={"title": title, "back": "directory:staff-street-list"}
    )


@officials_only
def shop_list(request: HttpRequest) -> HttpResponse:
    form = forms.ShopFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"],
            "category": data["category"],
            "payment": data["payment"],
            "published": {"1": True, "0": False}.get(data["published"]),
        }
    page = _page(request, selectors.shops(**filters).with_public_flag())
    return render(
        request,
        "directory/staff/shop_list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "pending": selectors.pending_shop_changes().count(),
        },
    )


@officials_only
def shop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shop = get_object_or_404(
        selectors.with_hours(
            Shop.objects.select_related("business", "street", "category").with_public_flag()
        ),
        pk=pk,
    )
    return _shop_page(request, shop, "directory/staff/shop_detail.html")


def _shop_page(request: HttpRequest, shop: Shop, template: str) -> HttpResponse:
    return render(
        request,
        template,
        {
            "shop": shop,
            "weekly": hours.format_weekly(hours.weekly_of(shop)),
            "exceptions": hours.format_exceptions(hours.exceptions_of(shop)),
            "json_ld": json.dumps(hours.opening_hours_specification(shop), ensure_ascii=False),
            "pending": shop.change_requests.filter(status=ShopChangeRequest.Status.PENDING).first(),
            "history": list(history_of(shop)[:20]) if permissions.is_official(request.user) else [],
            **_photo_context("shop", shop),
        },
    )


@officials_only
def shop_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    shop = get_object_or_404(Shop, pk=pk) if pk else None
    form = forms.ShopForm(request.POST or None, instance=shop or Shop())

    def save(data: dict[str, Any]) -> str:
        if shop:
            saved = services.update_shop(actor=request.user, shop=shop, data=data)
        else:
            saved = services.create_shop(actor=request.user, data=data)
        return reverse("directory:staff-shop-detail", args=[saved.pk])

    title = shop.name if shop else gettext("個店の登録")
    return _edit(request, form, save, context={"title": title, "back": "directory:staff-shop-list"})


@login_required
@require_POST
def shop_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Owners (representative/manager) and officials publish or withdraw a shop."""
    shop = get_for_user_or_404(
        Shop.objects.select_related("business"),
        request.user,
        organisation_field="business__organisation",
        pk=pk,
    )
    try:
        if request.POST.get("action") == "unpublish":
            services.unpublish_shop(actor=request.user, shop=shop)
        else:
            services.publish_shop(actor=request.user, shop=shop)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, SAVED_MESSAGE)
    if permissions.is_official(request.user):
        return redirect("directory:staff-shop-detail", pk=pk)
    return redirect("directory:my-shop", pk=pk)


@officials_only
def change_list(request: HttpRequest) -> HttpResponse:
    changes = list(selectors.pending_shop_changes())
    labels = {f.name: f.verbose_name for f in Shop._meta.get_fields() if hasattr(f, "verbose_name")}
    labels |= {"opening_hours": _("営業時間"), "opening_exceptions": _("臨時休業・営業")}
    for change in changes:
        change.rows = [(labels.get(k, k), v) for k, v in change.changes.items()]
    return render(
        request,
        "directory/staff/change_list.html",
        {"changes": changes, "reject_form": forms.RejectForm()},
    )


@officials_only
@require_POST
def change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(ShopChangeRequest, pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            services.approve_shop_change(actor=request.user, change=change)
        else:
            form = forms.RejectForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.reject_shop_change(actor=request.user, change=change, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, SAVED_MESSAGE)
    return redirect("directory:staff-changes")


@officials_only
def vacant_list(request: HttpRequest) -> HttpResponse:
    form = forms.VacantFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors.vacant_shops(**filters))
    return render(
        request, "directory/staff/vacant_list.html", {"filter_form": form, "page_obj": page}
    )


@officials_only
def vacant_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    vacant = get_object_or_404(VacantShop, pk=pk) if pk else None
    form = forms.VacantShopForm(request.POST or None, instance=vacant or VacantShop())

    def save(data: dict[str, Any]) -> str:
        if vacant:
            services.update_vacant_shop(actor=request.user, vacant_shop=vacant, data=data)
        else:
            services.create_vacant_shop(actor=request.user, data=data)
        return reverse("directory:staff-vacant-list")

    title = str(vacant) if vacant else gettext("空き店舗の登録")
    history = list(history_of(vacant)[:20]) if vacant else []
    return _edit(
        request,
        form,
        save,
        context={
            "title": title,
            "back": "directory:staff-vacant-list",
            "history": history,
            **(_photo_context("vacant", vacant) if vacant else {}),
        },
    )


# --- Staff: map ----------------------------------------------------------------------------------------  # noqa: E501


@officials_only
def map_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/staff/map.html",
        {
            "tile_url": settings.SHOKO_MAP_TILE_URL,
            "tile_attribution": settings.SHOKO_MAP_TILE_ATTRIBUTION,
            "streets": selectors.streets().filter(latitude__isnull=False),
        },
    )


@officials_only
def map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON FeatureCollection of streets (point and shape), shops and vacant shops."""
    features: list[dict[str, Any]] = []
    for street in ShoppingStreet.objects.filter(latitude__isnull=False).only(
        "pk", "name", "name_ja", "latitude", "longitude", "geometry"
    ):
        props = {
            "kind": "street",
            "name": street.name,
            "url": reverse("directory:staff-street-detail", args=[street.pk]),
        }
        features.append(_point(street, props))
        if street.geometry:
            features.append({"type": "Feature", "geometry": street.geometry, "properties": props})
    for shop in (
        Shop.objects.filter(latitude__isnull=False)
        .only("pk", "name", "name_ja", "latitude", "longitude", "published_at")
        .iterator(chunk_size=2000)
    ):
        features.append(
            _point(
                shop,
                {
                    "kind": "shop",
                    "name": shop.name,
                    "published": shop.is_published,
                    "url": reverse("directory:staff-shop-detail", args=[shop.pk]),
                },
            )
        )
    for vacant in VacantShop.objects.filter(latitude__isnull=False).only(
        "pk", "address", "building", "latitude", "longitude", "status"
    ):
        features.append(
            _point(
                vacant,
                {
                    "kind": "vacant",
                    "name": str(vacant),
                    "status": vacant.get_status_display(),
                    "url": reverse("directory:staff-vacant-edit", args=[vacant.pk]),
                },
            )
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _point(record: Model, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [float(record.longitude), float(record.latitude)],
        },
        "properties": props,
    }


# --- Staff: import and export ------------------------------------------------------------------------  # noqa: E501


@officials_only
def import_page(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_services.start_import(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                language=request.LANGUAGE_CODE,
            )
        except FileRefused as exc:
            form.add_error("file", exc.text())
        else:
            return redirect("directory:staff-import-job", pk=job.pk)
    jobs = ImportJob.objects.select_related("created_by")[:20]
    return render(
        request,
        "directory/staff/import.html",
        {"form": form, "jobs": jobs, "kinds": ImportJob.Kind.choices},
    )


def _job_context(job: ImportJob, request: HttpRequest) -> dict[str, Any]:
    rows = [r for r in job.report if r.get("action") != "note"]
    notes = [r for r in job.report if r.get("action") == "note"]
    show = request.GET.get("show", "problems" if job.refused_count else "all")
    if show == "problems":
        rows = [r for r in rows if r["action"] == importer.REFUSED]
    for row in rows:
        row["action_label"] = importer.action_label(row["action"])
    return {
        "job": job,
        "page_obj": Paginator(rows, 100).get_page(request.GET.get("page")),
        "empty_rows": notes[0]["empty_rows"] if notes else 0,
        "show": show,
    }


@officials_only
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "directory/staff/import_job.html", _job_context(job, request))


@officials_only
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls; once finished it tells the page to reload."""
    job = selectors.with_live_progress(get_object_or_404(ImportJob, pk=pk))
    response = render(request, "directory/partials/import_progress.html", {"job": job})
    if job.is_finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@officials_only
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        real = import_services.confirm_import(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("directory:staff-import-job", pk=pk)
    return redirect("directory:staff-import-job", pk=real.pk)


@officials_only
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in importer.COLUMNS or fmt not in importer.CONTENT_TYPES:
        raise Http404
    template = request.GET.get("template") == "1"
    language = "en" if request.GET.get("headers") == "en" else "ja"
    body = importer.export_file(kind, fmt, language=language, template=template)
    name = f"{'template' if template else 'directory'}-{kind}.{fmt}"
    response = HttpResponse(body, content_type=importer.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(name)
    return response


# --- Business portal (/my/) ----------------------------------------------------------------------------  # noqa: E501


@login_required
def my_businesses(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related(
        "organisation", "organisation__business"
    )
    return render(request, "directory/my/business_list.html", {"memberships": memberships})


def _my_business(request: HttpRequest, pk: int) -> Business:
    return get_for_user_or_404(
        Business.objects.select_related("organisation", "industry"), request.user, pk=pk
    )


def _require_edit(request: HttpRequest, business: Business) -> None:
    if not permissions.can_edit_for(request.user, business.organisation_id):
        raise PermissionDenied


@login_required
def my_business(request: HttpRequest, pk: int) -> HttpResponse:
    business = _my_business(request, pk)
    membership = business.organisation.memberships.filter(user=request.user).first()
    return render(
        request,
        "directory/my/business_detail.html",
        {
            "business": business,
            "shops": business.shops.select_related("street", "category").with_public_flag(),
            "timeline": selectors.timeline_of(business),
            "memberships": business.organisation.memberships.select_related("user"),
            "can_edit": permissions.can_edit_for(request.user, business.organisation_id),
            "is_representative": membership is not None
            and membership.role == Membership.Role.REPRESENTATIVE,
            "member_form": forms.MemberForm(),
        },
    )


@login_required
def my_business_edit(request: HttpRequest, pk: int) -> HttpResponse:
    business = _my_business(request, pk)
    _require_edit(request, business)
    form = forms.BusinessForm(request.POST or None, instance=business, member=True)

    def save(data: dict[str, Any]) -> str:
        services.update_business(actor=request.user, business=business, data=data)
        return reverse("directory:my-business", args=[business.pk])

    return _edit(
        request, form, save, template="directory/my/form.html", context={"title": business.name}
    )


@login_required
@require_POST
def my_add_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Representatives add people to their business."""
    business = _my_business(request, pk)
    if not business.organisation.memberships.filter(
        user=request.user, role=Membership.Role.REPRESENTATIVE
    ).exists():
        raise PermissionDenied
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        services.add_member(actor=request.user, business=business, **form.cleaned_data)
        messages.success(request, SAVED_MESSAGE)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("directory:my-business", pk=pk)


def _my_shop(request: HttpRequest, pk: int) -> Shop:
    return get_for_user_or_404(
        selectors.with_hours(
            Shop.objects.select_related("business", "street", "category").with_public_flag()
        ),
        request.user,
        organisation_field="business__organisation",
        pk=pk,
    )


@login_required
def my_shop(request: HttpRequest, pk: int) -> HttpResponse:
    shop = _my_shop(request, pk)
    response = _shop_page(request, shop, "directory/my/shop_detail.html")
    return response


@login_required
def my_shop_edit(
    request: HttpRequest, pk: int | None = None, business_pk: int | None = None
) -> HttpResponse:
    shop = _my_shop(request, pk) if pk else None
    business = shop.business if shop else _my_business(request, business_pk)
    _require_edit(request, business)
    form = forms.ShopForm(
        request.POST or None, instance=shop or Shop(business=business), member=True
    )

    def save(data: dict[str, Any]) -> str:
        if shop is None:
            created = services.create_shop(actor=request.user, data={**data, "business": business})
            return reverse("directory:my-shop", args=[created.pk])
        change = services.submit_shop_change(actor=request.user, shop=shop, data=data)
        if change is not None:
            messages.info(request, SUBMITTED_FOR_REVIEW_MESSAGE)
        return reverse("directory:my-shop", args=[shop.pk])

    title = shop.name if shop else gettext("個店の登録")
    return _edit(request, form, save, template="directory/my/form.html", context={"title": title})


# --- Photos --------------------------------------------------------------------------------------

PHOTO_KINDS = {"street": ShoppingStreet, "shop": Shop, "vacant": VacantShop}


def _photo_subject(request: HttpRequest, kind: str, pk: int) -> Any:
    """The record a photo belongs to, if the user may change it (else 404: never reveal it)."""
    model = PHOTO_KINDS.get(kind)
    if model is None:
        raise Http404
    if model is Shop:
        return get_for_user_or_404(
            Shop.objects.select_related("business"),
            request.user,
            organisation_field="business__organisation",
            pk=pk,
        )
    if not permissions.is_official(request.user):
        raise Http404
    return get_object_or_404(model, pk=pk)


def _photo_context(kind: str, subject: Any) -> dict[str, Any]:
    return {
        "photos": list(subject.photos.all()),
        "photo_kind": kind,
        "photo_subject": subject,
        "photo_form": forms.PhotoForm(),
    }


def _back_to(request: HttpRequest, subject: Any) -> HttpResponse:
    if isinstance(subject, Shop) and not permissions.is_official(request.user):
        return redirect("directory:my-shop", pk=subject.pk)
    names = {
        ShoppingStreet: "directory:staff-street-detail",
        Shop: "directory:staff-shop-detail",
        VacantShop: "directory:staff-vacant-edit",
    }
    return redirect(names[type(subject)], pk=subject.pk)


@login_required
@require_POST
def photo_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    subject = _photo_subject(request, kind, pk)
    form = forms.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(
                actor=request.user,
                subject=subject,
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, SAVED_MESSAGE)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _back_to(request, subject)


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(
        Photo.objects.select_related("street", "shop__business", "vacant_shop"), pk=pk
    )
    subject = photo.street or photo.shop or photo.vacant_shop
    kind = {ShoppingStreet: "street", Shop: "shop", VacantShop: "vacant"}[type(subject)]
    subject = _photo_subject(request, kind, subject.pk)  # 404 for anyone who may not change it
    try:
        services.remove_photo(actor=request.user, photo=photo)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, SAVED_MESSAGE)
    return _back_to(request, subject)

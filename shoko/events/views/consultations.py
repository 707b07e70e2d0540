"""個別相談 in the back office: consultants publish availability and record consultations;
officials see and manage every consultant's slots."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shoko.core import permissions
from shoko.core.exports import xlsx_response
from shoko.core.permissions import role_required
from shoko.core.roles import OFFICIAL_ROLES, Role
from shoko.events import documents, forms, selectors, services
from shoko.events.models import ConsultationBooking, ConsultationSlot
from shoko.events.views.pages import form_page

consultation_staff = role_required(*OFFICIAL_ROLES, Role.CONSULTANT)


def _slot_for(request: HttpRequest, pk: int) -> ConsultationSlot:
    try:
        return selectors.staff_slots(request.user).get(pk=pk)
    except ConsultationSlot.DoesNotExist as exc:
        raise Http404 from exc


@consultation_staff
@require_http_methods(["GET", "POST"])
def slots(request: HttpRequest) -> HttpResponse:
    """The consultant's (or, for officials, everyone's) slots, and a form to publish more."""
    form = forms.AvailabilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        template = ConsultationSlot(
            programme=data["programme"],
            plan_item=data["plan_item"],
            venue=data["venue"],
            note=data["note"],
        )
        try:
            created = services.publish_availability(
                consultant=request.user,
                starts_at=forms.aware(data["day"], data["start_time"]),
                ends_at=forms.aware(data["day"], data["end_time"]),
                minutes=data["minutes"],
                template=template,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(count)s件の相談枠を公開しました。") % {"count": len(created)}
            )
            return redirect("events:staff-consultations")
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "events/staff/consultations.html",
        {
            "slots": list(selectors.staff_slots(request.user, upcoming_only=not show_all)[:300]),
            "form": form,
            "show_all": show_all,
            "is_official": permissions.is_official(request.user),
        },
    )


@consultation_staff
@require_http_methods(["GET", "POST"])
def slot_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    slot = _slot_for(request, pk) if pk else None
    form = forms.SlotForm(request.POST or None, instance=slot, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_slot(slot=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("相談枠を保存しました。"))
            return redirect("events:staff-consultations")
    return form_page(
        request,
        form,
        heading=_("相談枠を編集") if slot else _("相談枠を追加"),
        back_url=reverse("events:staff-consultations"),
        subnav=False,
    )


@consultation_staff
@require_POST
def slot_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    slot = _slot_for(request, pk)
    services.cancel_slot(slot_id=slot.pk, actor=request.user)
    messages.success(request, _("相談枠を取りやめました。"))
    return redirect("events:staff-consultations")


@consultation_staff
@require_http_methods(["GET", "POST"])
def booking_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultant records topic, private notes and follow-up."""
    try:
        booking = selectors.staff_booking(request.user, pk)
    except ConsultationBooking.DoesNotExist as exc:
        raise Http404 from exc
    form = forms.ConsultationRecordForm(
        request.POST or None,
        instance=booking,
        initial={"status": booking.status if booking.status != "booked" else "held"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_consultation(
                booking_id=booking.pk,
                actor=request.user,
                status=data["status"],
                topic=data["topic"],
                notes=data["notes"],
                follow_up=data["follow_up"],
                follow_up_due=data["follow_up_due"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("相談の記録を保存しました。"))
            return redirect("events:staff-consultations")
        booking.refresh_from_db()
    return render(request, "events/staff/booking_record.html", {"form": form, "booking": booking})


@consultation_staff
@require_GET
def consultations_xlsx(request: HttpRequest) -> HttpResponse:
    fy = forms.FiscalYearForm(request.GET or None).fiscal_year()
    start, end = selectors.fiscal_year_bounds(fy)
    bookings = ConsultationBooking.objects.filter(
        slot__starts_at__gte=start, slot__starts_at__lt=end
    ).select_related("slot__consultant", "organisation")
    if not permissions.is_official(request.user):
        bookings = bookings.filter(slot__consultant=request.user)
    return xlsx_response(
        documents.consultations_workbook(bookings.order_by("slot__starts_at", "pk")),
        f"個別相談_FY{fy.year}.xlsx",
    )

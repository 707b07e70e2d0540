"""The business portal: my bookings (the organisation's registrations, consultations and
certificates), registering as a business, and booking a consultation. A member sees only their
organisations' records; another organisation's record is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from shoko.core import permissions
from shoko.core.models import Organisation
from shoko.events import forms, selectors, services
from shoko.events.models import (
    Certificate,
    ConsultationBooking,
    ConsultationSlot,
    Question,
    Registration,
    Session,
)

NO_ORGANISATION = _(
    "事業者ページからの申込には、事業者への所属が必要です。公開サイトの申込フォームをご利用ください。"
)


class MyBookingsView(permissions.MemberRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        registrations = list(selectors.bookings_of(request.user)[:200])
        organisations = Organisation.objects.filter(
            pk__in=permissions.organisation_ids_of(request.user)
        ).order_by("name")
        return render(
            request,
            "events/my/bookings.html",
            {
                "upcoming": [r for r in registrations if r.session.ends_at >= now],
                "past": [r for r in registrations if r.session.ends_at < now][:30],
                "consultations": list(selectors.consultation_bookings_of(request.user)[:30]),
                "certificates": list(
                    permissions.scope_to_user(
                        Certificate.objects.select_related("series"), request.user
                    )
                ),
                "timelines": [
                    (org, selectors.timeline_for_organisation(org)[:20]) for org in organisations
                ],
            },
        )


class MyRegisterView(permissions.MemberRequiredMixin, View):
    """Register as a member of a business (the registration carries the organisation)."""

    def _setup(self, request: HttpRequest, session_pk: int) -> tuple[Session, list[Question]]:
        try:
            session = selectors.public_session(session_pk)
        except Session.DoesNotExist as exc:
            raise Http404 from exc
        return session, selectors.questions_for(session.event, Question.Purpose.SIGNUP)

    def _render(self, request: HttpRequest, session: Session, form: Any) -> HttpResponse:
        return render(
            request,
            "events/my/register.html",
            {"session": session, "event": session.event, "form": form},
        )

    def get(self, request: HttpRequest, session_pk: int) -> HttpResponse:
        session, questions = self._setup(request, session_pk)
        if not permissions.organisation_ids_of(request.user):
            messages.info(request, NO_ORGANISATION)
            return redirect("events:register", session.pk)
        form = forms.PortalRegistrationForm(session=session, questions=questions, user=request.user)
        return self._render(request, session, form)

    def post(self, request: HttpRequest, session_pk: int) -> HttpResponse:
        session, questions = self._setup(request, session_pk)
        form = forms.PortalRegistrationForm(
            request.POST, session=session, questions=questions, user=request.user
        )
        if form.is_valid() and form.registrant is not None:
            try:
                outcome = services.register(
                    session_id=session.pk,
                    registrant=form.registrant,
                    seats=form.cleaned_data["seats"],
                    answers=form.answers,
                    source=Registration.Source.PORTAL,
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if not outcome.created:
                    messages.info(request, _("この回にはすでにお申し込みいただいています。"))
                return redirect("events:my-booking", outcome.registration.pk)
        return self._render(request, session, form)


class MyBookingView(permissions.MemberRequiredMixin, View):
    def _registration(self, request: HttpRequest, pk: int) -> Registration:
        return permissions.get_for_user_or_404(
            Registration.objects.select_related("session__event__venue", "organisation"),
            request.user,
            pk=pk,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = self._registration(request, pk)
        return render(
            request,
            "events/my/booking.html",
            {
                "registration": registration,
                "session": registration.session,
                "event": registration.session.event,
                "position": selectors.waitlist_position(registration),
                "can_edit": permissions.can_edit_for(request.user, registration.organisation_id),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = self._registration(request, pk)
        if not permissions.can_edit_for(request.user, registration.organisation_id):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "cancel":
                services.cancel_registration(registration_id=registration.pk, actor=request.user)
                messages.success(request, _("申込を取り消しました。"))
            elif action == "claim":
                services.claim_offer(registration_id=registration.pk)
                messages.success(request, _("お申込が確定しました。当日お待ちしています。"))
            else:
                return HttpResponse(status=400)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("events:my-booking", registration.pk)


class MyConsultationsView(permissions.MemberRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "events/my/consultations.html",
            {
                "slots": list(selectors.open_slots()[:100]),
                "bookings": list(selectors.consultation_bookings_of(request.user)[:100]),
                "can_book": bool(permissions.organisation_ids_of(request.user)),
            },
        )


class MyBookSlotView(permissions.MemberRequiredMixin, View):
    def _slot(self, pk: int) -> ConsultationSlot:
        try:
            return selectors.open_slots().get(pk=pk)
        except ConsultationSlot.DoesNotExist as exc:
            raise Http404 from exc

    def get(self, request: HttpRequest, slot_pk: int) -> HttpResponse:
        slot = self._slot(slot_pk)
        form = forms.BookingForm(user=request.user)
        return render(request, "events/my/book_slot.html", {"slot": slot, "form": form})

    def post(self, request: HttpRequest, slot_pk: int) -> HttpResponse:
        slot = ConsultationSlot.objects.select_related("venue", "consultant").filter(pk=slot_pk)
        slot = slot.first()
        if slot is None:
            raise Http404
        form = forms.BookingForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                booking = services.book_consultation(
                    slot_id=slot.pk,
                    organisation=form.cleaned_data["organisation"],
                    actor=request.user,
                    request_note=form.cleaned_data["request_note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("個別相談を予約しました。"))
                return redirect("events:my-consultation", booking.pk)
        return render(request, "events/my/book_slot.html", {"slot": slot, "form": form})


class MyConsultationView(permissions.MemberRequiredMixin, View):
    def _booking(self, request: HttpRequest, pk: int) -> ConsultationBooking:
        return permissions.get_for_user_or_404(
            ConsultationBooking.objects.select_related("slot__venue", "slot__consultant"),
            request.user,
            pk=pk,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        booking = self._booking(request, pk)
        return render(
            request,
            "events/my/consultation.html",
            {
                "booking": booking,
                "can_edit": permissions.can_edit_for(request.user, booking.organisation_id),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        booking = self._booking(request, pk)
        if request.POST.get("action") != "cancel":
            return HttpResponse(status=400)
        try:
            services.cancel_consultation_booking(booking_id=booking.pk, actor=request.user)
        except PermissionDenied:
            raise
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("個別相談の予約を取り消しました。"))
        return redirect("events:my-consultation", booking.pk)

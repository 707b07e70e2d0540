"""The back office: calendar, events, series and sessions; registrants and waitlist; check-in
(print, tablet, QR); messages; exports; certificates; survey results. Officials only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shoko.core.exports import xlsx_response
from shoko.core.pdf import pdf_response
from shoko.core.permissions import officials_only
from shoko.events import documents, forms, selectors, services
from shoko.events.models import (
    PLAN_ITEM_OF_PROGRAMME,
    Certificate,
    Event,
    Kind,
    Programme,
    Question,
    Registration,
    Series,
    Session,
    Venue,
)
from shoko.events.views.pages import form_page
from shoko.events.views.public import _month, _shift_month

TRANSLATIONS_NOTE = _(
    "英語などの訳は空欄でも構いません（日本語が表示されます）。他の言語は管理サイトで入力できます。"
)


def _posted_registration(request: HttpRequest, session: Session) -> Registration:
    """The registration of this session named in the form; 404 for anything else."""
    value = request.POST.get("registration", "")
    if not value.isdigit():
        raise Http404
    return get_object_or_404(Registration, pk=int(value), session=session)


def _error_message(error: ValidationError) -> str:
    return str(error.messages[0])


# --- Calendar and events --------------------------------------------------------------------------


@officials_only
@require_GET
def calendar_view(request: HttpRequest) -> HttpResponse:
    first = _month(request.GET.get("month"))
    last = _shift_month(first, 1) - dt.timedelta(days=1)
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    sessions = list(selectors.sessions_between(first, last, published_only=False, kind=kind))
    events = selectors.staff_events(kind=kind, query=request.GET.get("q") or None)
    page = Paginator(events, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "events/staff/calendar.html",
        {
            "month": first,
            "previous_month": _shift_month(first, -1),
            "next_month": _shift_month(first, 1),
            "weeks": selectors.month_grid(first.year, first.month, sessions),
            "sessions": sessions,
            "page_obj": page,
            "kind": kind or "",
            "kinds": Kind.choices,
            "q": request.GET.get("q", ""),
        },
    )


def _event_form_initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"organiser_division": "economy"}
    series_id = request.GET.get("series")
    if series_id and series_id.isdigit():
        series = Series.objects.filter(pk=series_id).first()
        if series is not None:
            initial.update(
                series=series,
                kind=series.kind,
                programme=series.programme,
                plan_item=series.plan_item,
                organiser_division=series.organiser_division,
                organiser_organisation=series.organiser_organisation,
            )
    programme = request.GET.get("programme")
    if programme in Programme.values:
        initial.update(programme=programme, plan_item=PLAN_ITEM_OF_PROGRAMME.get(programme, ""))
    return initial


@officials_only
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk) if pk else None
    form = forms.EventForm(
        request.POST or None,
        instance=event,
        initial=None if event else _event_form_initial(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_event(event=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("イベントを保存しました。"))
            return redirect("events:staff-event", saved.pk)
    return form_page(
        request,
        form,
        heading=_("イベントを編集") if event else _("イベントを作成"),
        note=TRANSLATIONS_NOTE,
        back_url=reverse("events:staff-event", args=[event.pk]) if event else None,
    )


@officials_only
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = selectors.staff_event(pk)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "events/staff/event_detail.html",
        {
            "event": event,
            "is_public": Event.objects.public().filter(pk=event.pk).exists(),
            "sessions": event.all_sessions,
            "questions": list(event.questions.all()),
            "series_questions": list(event.series.questions.all()) if event.series_id else [],
            "sent_messages": list(event.messages.select_related("sent_by", "session")[:20]),
        },
    )


def _copy_page(
    request: HttpRequest, source: Event | Series, copy: Any, destination: str
) -> HttpResponse:
    """コピーして作成: copy ``source`` with its dates moved, then open the copy."""
    form = forms.CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = copy(source.pk, form.cleaned_data["shift_days"])
        messages.success(request, _("コピーしました。内容を確認して公開してください。"))
        return redirect(destination, made.pk)
    return form_page(
        request,
        form,
        heading=_("コピーして作成"),
        lead=source.title,
        note=_(
            "内容・質問・回（定員と分野を含む）をコピーします。申込はコピーされません。"
            "コピーは非公開で作成されます。"
        ),
        submit_label=_("コピーする"),
    )


@officials_only
@require_http_methods(["GET", "POST"])
def event_copy(request: HttpRequest, pk: int) -> HttpResponse:
    return _copy_page(
        request,
        get_object_or_404(Event, pk=pk),
        lambda source, days: services.copy_event(
            event_id=source, actor=request.user, shift_days=days
        ),
        "events:staff-event",
    )


@officials_only
@require_http_methods(["GET", "POST"])
def message_registrants(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    form = forms.MessageForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.send_message(
                event_id=event.pk,
                session_id=data["session"].pk if data["session"] else None,
                audience=data["audience"],
                subject=data["subject"],
                body=data["body"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)s人にお知らせを送信しました。") % {"count": sent.recipient_count},
            )
            return redirect("events:staff-event", event.pk)
    return form_page(
        request,
        form,
        heading=_("申込者にお知らせ"),
        lead=event.title,
        lead_url=reverse("events:staff-event", args=[event.pk]),
        note=_(
            "本文はそのまま送られます。宛名と、申込の確認・取消のリンクは各申込者の言語で"
            "添えられます。"
        ),
        submit_label=_("送信する"),
    )


@officials_only
@require_GET
def event_registrations_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    workbook = documents.registrations_workbook(selectors.event_registrations(event))
    return xlsx_response(workbook, f"申込者_{event.pk}.xlsx")


@officials_only
@require_GET
def events_xlsx(request: HttpRequest) -> HttpResponse:
    fy = forms.FiscalYearForm(request.GET or None).fiscal_year()
    start, end = selectors.fiscal_year_bounds(fy)
    sessions = (
        Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("event__venue", "event__organiser_organisation")
        .annotate(
            attended_seats=Sum(
                "registrations__seats",
                filter=Q(registrations__attendance=Registration.Attendance.ATTENDED),
            )
        )
        .order_by("starts_at", "pk")
    )
    return xlsx_response(documents.events_workbook(sessions), f"イベント一覧_FY{fy.year}.xlsx")


# --- Questions ------------------------------------------------------------------------------------


@officials_only
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, owner: str, pk: int) -> HttpResponse:
    if owner not in ("event", "series"):
        raise Http404
    target: Event | Series = get_object_or_404(Event if owner == "event" else Series, pk=pk)
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        setattr(question, owner, target)
        question.order = target.questions.count() + 1
        services.save_question(question=question, actor=request.user)
        messages.success(request, _("質問を追加しました。"))
        return redirect("events:staff-event" if owner == "event" else "events:staff-series", pk)
    return form_page(request, form, heading=_("質問を追加"), lead=str(target))


@officials_only
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    services.delete_question(question_id=question.pk, actor=request.user)
    messages.success(request, _("質問を削除しました。"))
    if question.event_id:
        return redirect("events:staff-event", question.event_id)
    return redirect("events:staff-series", question.series_id)


# --- Sessions -------------------------------------------------------------------------------------


@officials_only
@require_http_methods(["GET", "POST"])
def session_edit(
    request: HttpRequest, event_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk) if pk else None
    event = session.event if session else get_object_or_404(Event, pk=event_pk)
    form = forms.SessionForm(request.POST or None, instance=session or Session(event=event))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_session(
                session=form.save(commit=False),
                areas=form.cleaned_data["areas"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("回を保存しました。"))
            return redirect("events:staff-session", saved.pk)
    return form_page(
        request,
        form,
        heading=_("回を編集") if session else _("回を追加"),
        lead=event.title,
        lead_url=reverse("events:staff-event", args=[event.pk]),
    )


@officials_only
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=pk)
    count = services.cancel_session(session_id=session.pk, actor=request.user)
    messages.success(
        request, _("回を中止にし、%(count)s人の申込者にお知らせしました。") % {"count": count}
    )
    return redirect("events:staff-session", session.pk)


@officials_only
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=pk)
    try:
        services.delete_session(session_id=session.pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_message(error))
        return redirect("events:staff-session", session.pk)
    messages.success(request, _("回を削除しました。"))
    return redirect("events:staff-event", session.event_id)


@officials_only
@require_http_methods(["GET", "POST"])
def session_registrants(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    form = forms.StaffRegistrationForm(request.POST or None, initial={"language": "ja"})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel":
            registration = _posted_registration(request, session)
            services.cancel_registration(
                registration_id=registration.pk, actor=request.user, by_staff=True
            )
            messages.success(request, _("申込を取り消しました。"))
            return redirect("events:staff-session", session.pk)
        if form.is_valid() and getattr(form, "registrant", None) is not None:
            try:
                outcome = services.staff_register(
                    session_id=session.pk,
                    registrant=form.registrant,
                    seats=form.cleaned_data["seats"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(name)sさんを登録しました（%(status)s）。")
                    % {
                        "name": outcome.registration.full_name,
                        "status": outcome.registration.get_status_display(),
                    },
                )
                return redirect("events:staff-session", session.pk)
    registrations = list(selectors.session_registrations(session))
    by_status: dict[str, list[Registration]] = {s: [] for s in Registration.Status.values}
    for registration in registrations:
        by_status[registration.status].append(registration)
    return render(
        request,
        "events/staff/session.html",
        {
            "session": session,
            "event": session.event,
            "confirmed": by_status[Registration.Status.CONFIRMED],
            "offered": by_status[Registration.Status.OFFERED],
            "waitlisted": by_status[Registration.Status.WAITLISTED],
            "cancelled": by_status[Registration.Status.CANCELLED]
            + by_status[Registration.Status.OFFER_EXPIRED],
            "form": form,
        },
    )


@officials_only
@require_GET
def session_registrations_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    registrations = selectors.session_registrations(session).select_related("session")
    return xlsx_response(
        documents.registrations_workbook(registrations), f"申込者_{session.event_id}_{pk}.xlsx"
    )


# --- Check-in -------------------------------------------------------------------------------------


def _check_in_counts(session: Session) -> dict[str, int]:
    confirmed = session.registrations.filter(status=Registration.Status.CONFIRMED)
    return confirmed.aggregate(
        expected=Coalesce(Sum("seats"), 0),
        attended=Coalesce(Sum("seats", filter=Q(attendance=Registration.Attendance.ATTENDED)), 0),
    )


@officials_only
@require_http_methods(["GET", "POST"])
def check_in_list(request: HttpRequest, pk: int) -> HttpResponse:
    """受付: a list to print, and big buttons on a tablet (htmx updates one row)."""
    session = get_object_or_404(Session.objects.select_related("event__venue"), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "no_shows":
                count = services.record_no_shows(session_id=session.pk, actor=request.user)
                messages.success(
                    request, _("%(count)s人を欠席として記録しました。") % {"count": count}
                )
                return redirect("events:staff-checkin", session.pk)
            registration = _posted_registration(request, session)
            if action not in ("attended", "no_show", "unknown"):
                return HttpResponse(status=400)
            attendance = "" if action == "unknown" else action
            registration = services.set_attendance(
                registration_id=registration.pk, attendance=attendance, actor=request.user
            )
        except ValidationError as error:
            if request.htmx:
                return HttpResponse(_error_message(error), status=409)
            messages.error(request, _error_message(error))
            return redirect("events:staff-checkin", session.pk)
        if request.htmx:
            counts = _check_in_counts(session)
            return render(
                request, "events/staff/checkin_row.html", {"r": registration, "oob": counts}
            )
        return redirect("events:staff-checkin", session.pk)
    confirmed = list(
        selectors.session_registrations(session)
        .filter(status=Registration.Status.CONFIRMED)
        .order_by("full_name_kana", "full_name", "pk")
    )
    return render(
        request,
        "events/staff/checkin.html",
        {
            "session": session,
            "event": session.event,
            "registrations": confirmed,
            "counts": {
                "attended": sum(r.seats for r in confirmed if r.attendance == "attended"),
                "expected": sum(r.seats for r in confirmed),
            },
            "ended": session.ends_at <= timezone.now(),
        },
    )


@officials_only
@require_http_methods(["GET", "POST"])
def check_in_lookup(request: HttpRequest) -> HttpResponse:
    """A scanner (or a person) enters the code from the QR; the token page does the rest."""
    form = forms.CheckInLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if Registration.objects.filter(token=code).exists():
            return redirect("events:staff-checkin-token", code)
        form.add_error("code", _("この確認コードの申込は見つかりません。"))
    return render(request, "events/staff/checkin_lookup.html", {"form": form})


@officials_only
@require_http_methods(["GET", "POST"])
def check_in_token(request: HttpRequest, token: str) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("session__event"), token=token
    )
    if request.method == "POST":
        try:
            outcome = services.check_in(registration_id=registration.pk, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_message(error))
        else:
            messages.success(
                request,
                _("%(name)sさんはすでに受付済みです。") % {"name": registration.full_name}
                if outcome.already
                else _("%(name)sさんを受付しました。") % {"name": registration.full_name},
            )
        return redirect("events:staff-checkin-token", token)
    return render(
        request,
        "events/staff/checkin_token.html",
        {"registration": registration, "session": registration.session},
    )


# --- Series and certificates ----------------------------------------------------------------------


@officials_only
@require_GET
def series_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.staff_series_list(), 30).get_page(request.GET.get("page"))
    return render(request, "events/staff/series_list.html", {"page_obj": page})


@officials_only
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    series = get_object_or_404(Series, pk=pk) if pk else None
    form = forms.SeriesForm(
        request.POST or None,
        instance=series,
        initial=None
        if series
        else {"organiser_division": "economy", "programme": "startup", "plan_item": "13-1(1)"},
    )
    if request.method == "POST" and form.is_valid():
        saved = services.save_series(series=form.save(commit=False), actor=request.user)
        messages.success(request, _("シリーズを保存しました。"))
        return redirect("events:staff-series", saved.pk)
    return form_page(
        request,
        form,
        heading=_("シリーズを編集") if series else _("シリーズを作成"),
        note=TRANSLATIONS_NOTE,
        back_url=reverse("events:staff-series", args=[series.pk]) if series else None,
    )


@officials_only
@require_http_methods(["GET", "POST"])
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=pk)
    if request.method == "POST":
        try:
            certificate = services.issue_certificate(
                series_id=series.pk, email=request.POST.get("email", ""), actor=request.user
            )
        except ValidationError as error:
            messages.error(request, _error_message(error))
        else:
            messages.success(
                request,
                _("証明書 第%(number)s号を発行しました。") % {"number": certificate.number},
            )
        return redirect("events:staff-series", series.pk)
    events = selectors.staff_events().filter(series=series)
    return render(
        request,
        "events/staff/series_detail.html",
        {
            "series": series,
            "events": events,
            "questions": list(series.questions.all()),
            "candidates": selectors.certificate_candidates(series)
            if series.certified_programme
            else [],
        },
    )


@officials_only
@require_http_methods(["GET", "POST"])
def series_copy(request: HttpRequest, pk: int) -> HttpResponse:
    return _copy_page(
        request,
        get_object_or_404(Series, pk=pk),
        lambda source, days: services.copy_series(
            series_id=source, actor=request.user, shift_days=days
        ),
        "events:staff-series",
    )


@officials_only
@require_GET
def certificate_list(request: HttpRequest) -> HttpResponse:
    fy_form = forms.FiscalYearForm(request.GET or None)
    fy = fy_form.fiscal_year()
    certificates = selectors.certificates(fy=fy)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            documents.certificates_workbook(certificates), f"証明書_FY{fy.year}.xlsx"
        )
    page = Paginator(certificates, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "events/staff/certificates.html",
        {"page_obj": page, "fy_form": fy_form, "fy": fy},
    )


@officials_only
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(
        Certificate.objects.select_related("series", "organisation"), pk=pk
    )
    return pdf_response(
        documents.certificate_pdf(certificate), f"証明書_{certificate.number}.pdf", inline=True
    )


# --- Venues ---------------------------------------------------------------------------------------


@officials_only
@require_GET
def venue_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Venue.objects.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "events/staff/venues.html", {"page_obj": page})


@officials_only
@require_http_methods(["GET", "POST"])
def venue_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    venue = get_object_or_404(Venue, pk=pk) if pk else None
    form = forms.VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("会場を保存しました。"))
        return redirect("events:staff-venues")
    return form_page(
        request,
        form,
        heading=_("会場を編集") if venue else _("会場を追加"),
        note=TRANSLATIONS_NOTE,
        back_url=reverse("events:staff-venues"),
    )


# --- Surveys --------------------------------------------------------------------------------------


@officials_only
@require_GET
def survey_results(request: HttpRequest) -> HttpResponse:
    fy_form = forms.FiscalYearForm(request.GET or None)
    fy = fy_form.fiscal_year()
    rows, total, overall = selectors.survey_results_for_year(fy)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(documents.survey_workbook(rows), f"アンケート_FY{fy.year}.xlsx")
    return render(
        request,
        "events/staff/surveys.html",
        {"rows": rows, "total": total, "overall": overall, "fy_form": fy_form, "fy": fy},
    )


@officials_only
@require_GET
def event_survey(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    return render(
        request,
        "events/staff/event_survey.html",
        {"event": event, "summary": selectors.survey_summary(event)},
    )

"""The public face: event list and calendar, event pages, registration without an account, the
emailed registration page (view, cancel, claim a seat), the survey, calendars and open data."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from shoko.core.exports import csv_response
from shoko.core.japan import FiscalYear
from shoko.events import documents, forms, links, ratelimit, selectors, services
from shoko.events.models import Kind, Programme, Question, Registration, Session

#: Registrations made in this browser: a double-clicked submit lands on the first one's page.
SESSION_KEY = "events_registrations"
LINK_INVALID = _(
    "このリンクは無効です。お送りしたメールのリンクを、途中で切れないようにそのまま開いてください。"
)
LINK_EXPIRED = _("このリンクは有効期限が切れています。区の担当課にお問い合わせください。")
RATE_LIMITED = _(
    "短い時間に多くの申込がありました。しばらく時間をおいてから、もう一度お試しください。"
)


def _month(value: str | None) -> dt.date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        if not 2000 <= year <= 2100:
            raise ValueError(year)
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def _shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    form = forms.EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        events = selectors.public_events().none()
    else:
        events = selectors.public_events(
            kind=filters.get("kind") or None,
            programme=filters.get("programme") or None,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            query=filters.get("q") or None,
            area=filters["area"].code if filters.get("area") else None,
        )
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "events/public/list.html",
        {"filter_form": form, "page_obj": page, "kinds": Kind.choices},
    )


@require_GET
def event_calendar(request: HttpRequest) -> HttpResponse:
    first = _month(request.GET.get("month"))
    last = _shift_month(first, 1) - dt.timedelta(days=1)
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    programme = (
        request.GET.get("programme") if request.GET.get("programme") in Programme.values else None
    )
    sessions = list(selectors.sessions_between(first, last, kind=kind, programme=programme))
    return render(
        request,
        "events/public/calendar.html",
        {
            "month": first,
            "previous_month": _shift_month(first, -1),
            "next_month": _shift_month(first, 1),
            "weeks": selectors.month_grid(first.year, first.month, sessions),
            "sessions": sessions,
            "kind": kind or "",
            "programme": programme or "",
            "kinds": Kind.choices,
            "programmes": Programme.choices,
        },
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = selectors.public_event(pk)
    except selectors.Event.DoesNotExist as exc:
        raise Http404 from exc
    now = timezone.now()
    return render(
        request,
        "events/public/detail.html",
        {
            "event": event,
            "sessions": event.all_sessions,
            "now": now,
            "json_ld": documents.event_json_ld(event, event.all_sessions, now=now),
        },
    )


def _remember(request: HttpRequest, registration: Registration) -> None:
    mine = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*mine[-19:], registration.pk]


def rate_limited(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(
        request, "events/public/rate_limited.html", {"message": RATE_LIMITED}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, session_pk: int) -> HttpResponse:
    try:
        session = selectors.public_session(session_pk)
    except Session.DoesNotExist as exc:
        raise Http404 from exc
    questions = selectors.questions_for(session.event, Question.Purpose.SIGNUP)
    language = translation.get_language() or settings.LANGUAGE_CODE
    form = forms.RegistrationForm(
        request.POST or None, session=session, questions=questions, language=language
    )
    if request.method == "POST":
        allowed, retry_after = ratelimit.allow_registration(request, session.pk)
        if not allowed:
            return rate_limited(request, retry_after)
        if form.is_valid() and form.registrant is not None:
            try:
                outcome = services.register(
                    session_id=session.pk,
                    registrant=form.registrant,
                    seats=form.cleaned_data["seats"],
                    answers=form.answers,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                registration = outcome.registration
                if outcome.created:
                    _remember(request, registration)
                    return redirect("events:registration", links.sign_registration(registration))
                if registration.pk in request.session.get(SESSION_KEY, []):
                    return redirect("events:registration", links.sign_registration(registration))
                # Someone else's address: never hand out their link; their email has it.
                messages.info(request, services.ALREADY_REGISTERED)
                return redirect("events:register", session.pk)
    return render(
        request,
        "events/public/register.html",
        {
            "session": session,
            "event": session.event,
            "form": form,
            "open": session.is_open_for_registration(),
        },
    )


def link_problem(request: HttpRequest, message: object) -> HttpResponse:
    return render(request, "events/public/link_problem.html", {"message": message}, status=404)


@require_http_methods(["GET", "POST"])
def registration_page(request: HttpRequest, signed: str) -> HttpResponse:
    """The page the confirmation email links to: status, QR code, cancel, claim a seat."""
    try:
        registration = links.registration_from_signed(signed)
    except links.LinkExpired:
        return link_problem(request, LINK_EXPIRED)
    except links.LinkInvalid:
        return link_problem(request, LINK_INVALID)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                outcome = services.cancel_registration(registration_id=registration.pk)
                messages.success(
                    request,
                    _("申込を取り消しました。") if outcome.changed else services.ALREADY_CANCELLED,
                )
            elif action == "claim":
                services.claim_offer(registration_id=registration.pk)
                messages.success(request, _("お申込が確定しました。当日お待ちしています。"))
            else:
                return HttpResponse(status=400)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("events:registration", signed)
    context = {
        "registration": registration,
        "session": registration.session,
        "event": registration.session.event,
        "position": selectors.waitlist_position(registration),
        "signed": signed,
    }
    if registration.status == Registration.Status.CONFIRMED:
        context["qr_svg"] = documents.qr_svg(
            request.build_absolute_uri(links.check_in_path(registration))
        )
    return render(request, "events/public/registration.html", context)


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        registration = links.registration_from_signed(
            signed, salt=links.SURVEY_SALT, max_age=links.SURVEY_MAX_AGE_SECONDS
        )
    except links.LinkExpired:
        return link_problem(request, LINK_EXPIRED)
    except links.LinkInvalid:
        return link_problem(request, LINK_INVALID)
    event = registration.session.event
    questions = selectors.questions_for(event, Question.Purpose.SURVEY)
    form = forms.SurveyForm(request.POST or None, questions=questions)
    done = hasattr(registration, "survey_response")
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_survey(
                registration_id=registration.pk,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
                answers=form.answers,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = True
    return render(
        request,
        "events/public/survey.html",
        {"registration": registration, "event": event, "form": form, "done": done},
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        session = selectors.public_session(pk)
    except Session.DoesNotExist as exc:
        raise Http404 from exc
    return _ics_response(
        documents.ics_calendar([session], name=session.event.title), f"session-{session.pk}.ics"
    )


@require_GET
def kind_feed(request: HttpRequest, kind: str) -> HttpResponse:
    if kind != "all" and kind not in Kind.values:
        raise Http404
    chosen = None if kind == "all" else kind
    return _ics_response(
        documents.ics_calendar(selectors.feed_sessions(chosen), name=documents.feed_name(chosen)),
        f"events-{kind}.ics",
    )


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    """イベント一覧 in the Digital Agency's recommended layout, UTF-8 with BOM."""
    fy = None
    if request.GET.get("fy", "").isdigit():
        try:
            fy = FiscalYear(int(request.GET["fy"]))
        except ValueError as exc:
            raise Http404 from exc
    rows = documents.open_data_rows(selectors.open_data_sessions(fy))
    return csv_response(documents.OPEN_DATA_COLUMNS, rows, f"{settings.SHOKO_CITY_CODE}_event.csv")

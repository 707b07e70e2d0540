"""The back office (/staff/programmes/): programmes, budgets and windows, 代理申請, the queue of
applications, review and decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from shoko.core import permissions
from shoko.core.audit import history_of
from shoko.core.exports import xlsx_response
from shoko.core.japan import FiscalYear
from shoko.core.models import User
from shoko.core.permissions import officials_only
from shoko.core.roles import Role
from shoko.directory import selectors as directory_selectors
from shoko.directory.models import Business
from shoko.programmes import eligibility, forms, selectors, services
from shoko.programmes.models import (
    ApplicationWindow,
    Programme,
    Stage,
    Status,
)
from shoko.programmes.views.common import (
    SAVED_MESSAGE,
    errors_to_messages,
    face_context,
    page_of,
    post_and_report,
    reviewer_required,
)
from shoko.programmes.workflow import max_grant


def _fiscal_year(request: HttpRequest) -> int:
    try:
        return FiscalYear(int(request.GET.get("fy", ""))).year
    except (TypeError, ValueError):
        return FiscalYear.current().year


@officials_only
def staff_programmes(request: HttpRequest) -> HttpResponse:
    fy = _fiscal_year(request)
    return render(
        request,
        "programmes/staff/programme_list.html",
        {
            "fy": FiscalYear(fy),
            "rows": selectors.staff_programmes(fy),
            "years": selectors.fiscal_years_with_data(),
        },
    )


@officials_only
def staff_programme(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    fy = FiscalYear.current()
    return render(
        request,
        "programmes/staff/programme_detail.html",
        {
            "programme": programme,
            "rules": eligibility.describe(programme),
            "windows": programme.windows.order_by("-fiscal_year", "opens_on"),
            "budgets": programme.budgets.order_by("-fiscal_year"),
            "budget_form": forms.BudgetForm(initial={"fiscal_year": fy.year}),
            "window_form": forms.WindowForm(
                initial={"fiscal_year": fy.year, "opens_on": fy.start, "closes_on": fy.end}
            ),
            "can_edit": selectors.is_programme_staff(request.user, programme),
            "history": list(history_of(programme)[:20]),
            "documents": programme.required_documents.all(),
            "categories": programme.expense_categories.all(),
            "rubric": programme.rubric.all(),
            "sections": programme.form_sections.prefetch_related("questions"),
        },
    )


@officials_only
def staff_programme_edit(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    form = forms.ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_programme(
                actor=request.user, programme=programme, data=form.service_data()
            )
        except ValidationError as error:
            forms.attach_errors(form, error)
        else:
            messages.success(request, SAVED_MESSAGE)
            return redirect("programmes:staff-programme", code=code)
    return render(
        request, "programmes/staff/programme_form.html", {"form": form, "programme": programme}
    )


@officials_only
@require_POST
def staff_budget_set(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    post_and_report(
        request,
        forms.BudgetForm(request.POST),
        lambda data: services.set_budget(actor=request.user, programme=programme, **data),
    )
    return redirect("programmes:staff-programme", code=code)


@officials_only
@require_POST
def staff_window_add(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    post_and_report(
        request,
        forms.WindowForm(request.POST),
        lambda data: services.add_window(actor=request.user, programme=programme, **data),
    )
    return redirect("programmes:staff-programme", code=code)


@officials_only
@require_POST
def staff_window_delete(request: HttpRequest, code: str, window_pk: int) -> HttpResponse:
    window = get_object_or_404(ApplicationWindow, pk=window_pk, programme__code=code)
    services.delete_window(actor=request.user, window=window)
    messages.success(request, SAVED_MESSAGE)
    return redirect("programmes:staff-programme", code=code)


@officials_only
def staff_budget(request: HttpRequest, code: str) -> HttpResponse:
    """予算の状況 — a bar chart (inline SVG) with the same figures as a table."""
    programme = get_object_or_404(Programme, code=code)
    fy = _fiscal_year(request)
    return render(
        request,
        "programmes/staff/budget.html",
        {
            "programme": programme,
            "view": selectors.budget_view(programme, fy),
            "years": selectors.fiscal_years_with_data(),
            "statuses": Status,
        },
    )


@officials_only
def staff_proxy(request: HttpRequest, code: str) -> HttpResponse:
    """代理申請 — find the business, then start its application on its behalf."""
    programme = get_object_or_404(Programme, code=code)
    if request.method == "POST":
        business = get_object_or_404(Business, pk=request.POST.get("business"))
        try:
            application = services.create_application(
                actor=request.user, programme=programme, business=business
            )
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            return redirect("programmes:staff-application-edit", pk=application.pk)
    q = request.GET.get("q", "").strip()
    found = list(directory_selectors.businesses(q=q)[:20]) if q else []
    return render(
        request,
        "programmes/staff/proxy.html",
        {"programme": programme, "q": q, "found": found},
    )


# --- Back office: the queue and one application ---------------------------------------------------


def _queue_filters(request: HttpRequest) -> tuple[forms.QueueFilterForm, dict[str, Any]]:
    form = forms.QueueFilterForm(request.GET or None, years=selectors.fiscal_years_with_data())
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, {
            "programme": data["programme"],
            "fiscal_year": data["fiscal_year"] or None,
            "status": data["status"],
            "assigned": data["assigned"],
            "q": data["q"],
        }
    return form, {}


@reviewer_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    form, filters = _queue_filters(request)
    page = page_of(request, selectors.queue(request.user, **filters))
    return render(
        request,
        "programmes/staff/queue.html",
        {"filter_form": form, "page_obj": page, "query": request.GET.urlencode()},
    )


EXPORT_HEADER = [
    _("申請番号"),
    _("年度"),
    _("事業"),
    _("申請者"),
    _("事業の名称"),
    _("状態"),
    _("申請日時"),
    _("補助対象経費（円）"),
    _("交付申請額（円）"),
    _("交付決定額（円）"),
    _("確定額（円）"),
    _("支払額（円）"),
    _("地域"),
    _("担当者"),
    _("代理申請"),
]


@officials_only
def staff_export(request: HttpRequest) -> HttpResponse:
    """The filtered queue as an xlsx workbook (staff live in Excel)."""
    _form, filters = _queue_filters(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _g("申請")
    sheet.append([str(h) for h in EXPORT_HEADER])
    for app in selectors.queue(request.user, **filters).iterator(chunk_size=500):
        sheet.append(
            [
                app.number,
                app.fiscal_year,
                str(app.programme.name),
                app.applicant_name,
                app.title,
                app.get_status_display(),
                app.submitted_at.replace(tzinfo=None) if app.submitted_at else None,
                app.eligible_expense_yen,
                app.requested_yen,
                app.approved_yen,
                app.confirmed_yen,
                app.paid_yen,
                str(app.area.name) if app.area else "",
                str(app.assigned_to) if app.assigned_to else "",
                _g("はい") if app.filed_by_proxy else "",
            ]
        )
    sheet.freeze_panes = "A2"
    return xlsx_response(workbook, f"{_g('支援事業の申請')}.xlsx")


@reviewer_required
def staff_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    programme = application.programme
    is_staff = selectors.is_programme_staff(request.user, programme)
    summary = selectors.review_summary(application)
    own = next((r for r in summary.reviews if r.reviewer_id == request.user.pk), None)
    member = permissions.is_member_of(request.user, application.business.organisation_id)
    can_score = (
        application.status == Status.UNDER_REVIEW
        and selectors.is_reviewer(request.user, application)
        and not member
        and not (own and own.conflict_declared)
    )
    staff_users = User.objects.filter(
        groups__name__in=[Role.ADMIN.value, programme.staff_role], is_active=True
    ).distinct()
    return render(
        request,
        "programmes/staff/application_detail.html",
        face_context(
            "staff",
            application,
            is_programme_staff=is_staff,
            transitions=selectors.available_transitions(request.user, application),
            transition_form=forms.TransitionForm(initial={"amount": f"{max_grant(application):,}"}),
            plan_lines=selectors.expense_lines(application, Stage.APPLICATION),
            report_lines=selectors.expense_lines(application, Stage.REPORT),
            answers=selectors.answers_for_display(application),
            checklist=selectors.document_checklist(application),
            notices=application.notices.all(),
            history=selectors.history(application),
            audit=list(history_of(application)[:30]),
            summary=summary,
            own_review=own,
            recused_as_member=member,
            can_score=can_score,
            score_form=forms.ScoreForm(
                criteria=summary.criteria,
                initial={
                    **{f"score_{k}": v for k, v in (own.scores if own else {}).items()},
                    "comment": own.comment if own else "",
                },
            ),
            conflict_form=forms.ConflictForm(),
            assign_form=forms.AssignForm(
                staff=staff_users, initial={"assignee": application.assigned_to_id}
            ),
            request_form=forms.DocumentRequestForm(programme=programme),
            open_requests=application.document_requests.filter(fulfilled_at__isnull=True),
        ),
    )


@officials_only
@require_POST
def staff_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    post_and_report(
        request,
        forms.AssignForm(request.POST, staff=User.objects.filter(is_active=True)),
        lambda data: services.assign_application(
            actor=request.user, application=application, assignee=data["assignee"]
        ),
    )
    return redirect("programmes:staff-application", pk=pk)


@officials_only
@require_POST
def staff_request_documents(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    post_and_report(
        request,
        forms.DocumentRequestForm(request.POST, programme=application.programme),
        lambda data: services.request_documents(
            actor=request.user, application=application, **data
        ),
    )
    return redirect("programmes:staff-application", pk=pk)


@reviewer_required
@require_POST
def staff_score(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    form = forms.ScoreForm(request.POST, criteria=list(application.programme.rubric.all()))
    post_and_report(
        request,
        form,
        lambda data: services.score_application(
            actor=request.user,
            application=application,
            scores=form.scores(),
            comment=data["comment"],
        ),
    )
    return redirect("programmes:staff-application", pk=pk)


@reviewer_required
@require_POST
def staff_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    post_and_report(
        request,
        forms.ConflictForm(request.POST),
        lambda data: services.declare_conflict(
            actor=request.user, application=application, note=data["note"]
        ),
    )
    return redirect("programmes:staff-application", pk=pk)

"""Screens of the programmes: the business portal (/my/) and the back office (/staff/).

The applicant's screens (edit, documents, preview, report, the workflow buttons) serve both
faces: staff use them to file on a business's behalf (代理申請). Views stay thin: selectors
read, services write, and records are fetched through the permission helpers so that another
business's member gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from shoko.core import permissions
from shoko.core.audit import history_of
from shoko.core.exports import xlsx_response
from shoko.core.files import private_file_response
from shoko.core.japan import FiscalYear
from shoko.core.models import User
from shoko.core.permissions import get_for_user_or_404, role_required
from shoko.core.roles import OFFICIAL_ROLES, Role
from shoko.programmes import eligibility, forms, selectors, services
from shoko.programmes.models import (
    Application,
    ApplicationDocument,
    ApplicationWindow,
    FormQuestion,
    Notice,
    Programme,
    Stage,
    Status,
)
from shoko.programmes.workflow import TRANSITIONS

official_required = role_required(*OFFICIAL_ROLES)
reviewer_required = role_required(*OFFICIAL_ROLES, Role.JUDGE)
PAGE_SIZE = 50
SAVED_MESSAGE = _("保存しました。")
DELETED_MESSAGE = _("「%(item)s」を削除しました。")
UPLOADED_MESSAGE = _("「%(name)s」を受け付けました（第%(version)s版）。")
DONE_MESSAGE = _("「%(action)s」を行いました。")
NO_BUSINESS_MESSAGE = _(
    "申請できる事業者がありません。事業者の代表者または担当者として登録されている必要があります。"
)
BASES = {"my": "my/base.html", "staff": "staff/base.html"}


def _page(request: HttpRequest, qs: QuerySet | list) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _post_and_report(
    request: HttpRequest, form: Any, action: Callable[[dict[str, Any]], object]
) -> None:
    """Run a posted form's action (a service call); every outcome becomes a message."""
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, SAVED_MESSAGE)


# --- Faces ----------------------------------------------------------------------------------------


def face_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A screen of the applicant's side served in both faces: the portal for members (their
    organisations' records only) and the back office for officials (代理申請)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, face: str = "my", **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if face == "staff":
            permissions.require_role(request.user, *OFFICIAL_ROLES)
        return view(request, *args, face=face, **kwargs)

    return wrapped


def _application(request: HttpRequest, pk: int, face: str) -> Application:
    if face == "staff":
        return get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    return get_for_user_or_404(
        Application.objects.select_related("programme", "business"),
        request.user,
        organisation_field="business__organisation",
        pk=pk,
    )


def _editor_application(request: HttpRequest, pk: int, face: str) -> Application:
    """The application, for those who may change it on the applicant's side (its
    representatives and managers, or the programme's staff filing on its behalf)."""
    application = _application(request, pk, face)
    services.require_applicant_side(request.user, application, _("申請を編集する"))
    return application


def _url(face: str, name: str, application: Application) -> str:
    return reverse(f"programmes:{face}-application{name}", args=[application.pk])


def _context(face: str, application: Application, **extra: Any) -> dict[str, Any]:
    return {
        "face": face,
        "base_template": BASES[face],
        "application": application,
        "programme": application.programme,
        "detail_url": _url(face, "", application),
        "edit_url": _url(face, "-edit", application),
        "documents_url": _url(face, "-documents", application),
        "preview_url": _url(face, "-preview", application),
        "report_url": _url(face, "-report", application),
        **extra,
    }


# --- Portal: programmes ---------------------------------------------------------------------------


def _chosen_business(request: HttpRequest) -> tuple[list[Any], Any]:
    businesses = list(selectors.businesses_for_applicant(request.user))
    chosen = businesses[0] if businesses else None
    wanted = request.GET.get("business") or request.POST.get("business")
    if wanted:
        chosen = next((b for b in businesses if str(b.pk) == str(wanted)), None)
        if chosen is None:
            raise Http404
    return businesses, chosen


@face_view
def my_programmes(request: HttpRequest, face: str = "my") -> HttpResponse:
    """補助金・支援の一覧 — open programmes, each with whether this business may apply."""
    businesses, business = _chosen_business(request)
    return render(
        request,
        "programmes/my/programme_list.html",
        {
            "businesses": businesses,
            "business": business,
            "cards": selectors.programme_cards(business),
        },
    )


@face_view
def my_programme(request: HttpRequest, code: str, face: str = "my") -> HttpResponse:
    programme = get_object_or_404(Programme, code=code, is_published=True)
    businesses, business = _chosen_business(request)
    questions = list(
        FormQuestion.objects.filter(section__programme=programme).select_related("section")
    )
    return render(
        request,
        "programmes/my/programme_detail.html",
        {
            "programme": programme,
            "businesses": businesses,
            "business": business,
            "card": selectors.programme_card(programme, business),
            "rules": eligibility.describe(programme),
            "categories": programme.expense_categories.all(),
            "documents": programme.required_documents.all(),
            "questions": questions,
            "windows": programme.windows.order_by("-fiscal_year", "opens_on")[:6],
        },
    )


@face_view
@require_POST
def my_apply(request: HttpRequest, code: str, face: str = "my") -> HttpResponse:
    programme = get_object_or_404(Programme, code=code, is_published=True)
    _businesses, business = _chosen_business(request)
    if business is None:
        messages.error(request, NO_BUSINESS_MESSAGE)
        return redirect("programmes:my-programme", code=code)
    try:
        application = services.create_application(
            actor=request.user, programme=programme, business=business
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect(f"{reverse('programmes:my-programme', args=[code])}?business={business.pk}")
    return redirect("programmes:my-application-edit", pk=application.pk)


@face_view
def my_applications(request: HttpRequest, face: str = "my") -> HttpResponse:
    page = _page(request, selectors.applications_for_user(request.user))
    return render(request, "programmes/my/application_list.html", {"page_obj": page})


# --- Both faces: one application ------------------------------------------------------------------


@face_view
def application_detail(request: HttpRequest, pk: int, face: str = "my") -> HttpResponse:
    application = _application(request, pk, face)
    return render(
        request,
        "programmes/my/application_detail.html",
        _context(
            face,
            application,
            transitions=selectors.available_transitions(request.user, application),
            transition_form=forms.TransitionForm(),
            can_edit=services.may_act_for_applicant(request.user, application),
            plan_lines=selectors.expense_lines(application, Stage.APPLICATION),
            report_lines=selectors.expense_lines(application, Stage.REPORT),
            answers=selectors.answers_for_display(application),
            checklist=selectors.document_checklist(application),
            notices=application.notices.all(),
            history=selectors.history(application),
            open_requests=application.document_requests.filter(fulfilled_at__isnull=True),
        ),
    )


@face_view
def application_edit(request: HttpRequest, pk: int, face: str = "my") -> HttpResponse:
    application = _editor_application(request, pk, face)
    if not application.is_editable:
        messages.error(
            request,
            services.NOT_EDITABLE_MESSAGE % {"status": application.get_status_display()},
        )
        return redirect(_url(face, "", application))
    programme = application.programme
    questions = list(
        FormQuestion.objects.filter(section__programme=programme)
        .select_related("section")
        .order_by("section__order", "section__pk", "order", "pk")
    )
    data = request.POST if request.method == "POST" else None
    form = forms.ApplicationForm(data, instance=application)
    formset = forms.expense_formset(
        programme, data=data, lines=selectors.expense_lines(application, Stage.APPLICATION)
    )
    answers_form = forms.AnswersForm(
        data,
        questions=questions,
        initial={f"answer_{k}": v for k, v in (application.answers or {}).items()},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and formset.is_valid()
        and answers_form.is_valid()
    ):
        try:
            services.update_application(
                actor=request.user,
                application=application,
                data=form.service_data(),
                expenses=forms.expenses_from(formset),
                answers=answers_form.answers(),
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                if name.startswith("answer_") and name in answers_form.fields:
                    answers_form.add_error(name, errors)
                elif name in form.fields:
                    form.add_error(name, errors)
                else:
                    form.add_error(None, errors)
        else:
            messages.success(request, SAVED_MESSAGE)
            after = request.POST.get("next")
            if after == "documents":
                return redirect(_url(face, "-documents", application))
            if after == "preview":
                return redirect(_url(face, "-preview", application))
            return redirect(_url(face, "-edit", application))
    return render(
        request,
        "programmes/application_form.html",
        _context(face, application, form=form, formset=formset, answers_form=answers_form),
    )


@face_view
def application_documents(request: HttpRequest, pk: int, face: str = "my") -> HttpResponse:
    application = _editor_application(request, pk, face)
    upload_errors: dict[int, list[str]] = {}
    if request.method == "POST":
        form = forms.UploadForm(request.POST, request.FILES)
        if form.is_valid():
            requirement = get_object_or_404(
                application.programme.required_documents, pk=form.cleaned_data["requirement"]
            )
            try:
                document = services.upload_document(
                    actor=request.user,
                    application=application,
                    requirement=requirement,
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as error:
                upload_errors[requirement.pk] = error.messages
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    UPLOADED_MESSAGE
                    % {"name": document.original_name, "version": document.version},
                )
                return redirect(_url(face, "-documents", application))
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
    stage = Stage.REPORT if application.status == Status.WORK_COMPLETED else None
    rows = selectors.document_checklist(application, stage)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "programmes/documents.html",
        _context(
            face,
            application,
            rows=rows,
            upload_errors=upload_errors,
            can_upload={row.requirement.pk: services.document_open(application, row.requirement)
                        for row in rows},
        ),
        status=status,
    )  # fmt: skip


@face_view
def application_preview(request: HttpRequest, pk: int, face: str = "my") -> HttpResponse:
    """確認画面 — everything as it will be filed, and what is still missing."""
    application = _application(request, pk, face)
    return render(
        request,
        "programmes/preview.html",
        _context(
            face,
            application,
            problems=selectors.submission_problems(application) if application.is_editable else [],
            plan_lines=selectors.expense_lines(application, Stage.APPLICATION),
            answers=selectors.answers_for_display(application),
            checklist=selectors.document_checklist(application, Stage.APPLICATION),
            submit_name="submit" if application.status == Status.DRAFT else "resubmit",
        ),
    )


@face_view
def application_report(request: HttpRequest, pk: int, face: str = "my") -> HttpResponse:
    """実績報告 — what was done, what it cost, the receipts; then file it."""
    application = _editor_application(request, pk, face)
    if application.status != Status.WORK_COMPLETED:
        messages.error(request, services.REPORT_NOT_OPEN_MESSAGE)
        return redirect(_url(face, "", application))
    data = request.POST if request.method == "POST" else None
    form = forms.ReportForm(
        data,
        initial={
            "summary": application.report_summary,
            "requested": f"{application.report_requested_yen:,}"
            if application.report_requested_yen is not None
            else "",
        },
    )
    formset = forms.expense_formset(
        application.programme,
        data=data,
        lines=selectors.expense_lines(application, Stage.REPORT),
        prefix="act",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.save_report(
                actor=request.user,
                application=application,
                summary=form.cleaned_data["summary"],
                expenses=forms.expenses_from(formset),
                requested=form.cleaned_data["requested"],
            )
        except ValidationError as error:
            forms.attach_errors(form, error)
        else:
            messages.success(request, SAVED_MESSAGE)
            return redirect(_url(face, "-report", application))
    application.refresh_from_db()
    return render(
        request,
        "programmes/report.html",
        _context(
            face,
            application,
            form=form,
            formset=formset,
            problems=selectors.report_problems(application),
            checklist=selectors.document_checklist(application, Stage.REPORT),
        ),
        status=400 if request.method == "POST" else 200,
    )


@face_view
@require_POST
def application_transition(
    request: HttpRequest, pk: int, name: str, face: str = "my"
) -> HttpResponse:
    """One button of the workflow; the service decides whether this person may press it."""
    application = _application(request, pk, face)
    move = TRANSITIONS.get(name)
    if move is None:
        raise Http404
    form = forms.TransitionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.run_transition(
            name,
            actor=request.user,
            application=application,
            comment=data.get("comment", ""),
            amount=data.get("amount"),
            on=data.get("date"),
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, DONE_MESSAGE % {"action": move.label})
    return redirect(_url(face, "", application))


# --- Files ----------------------------------------------------------------------------------------


def _may_read_files(request: HttpRequest, application: Application) -> bool:
    user = request.user
    if permissions.can_act_for(user, application.business.organisation_id):
        return True
    return selectors.staff_applications(user).filter(pk=application.pk).exists()


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@face_view
def document_download(request: HttpRequest, pk: int, face: str = "my") -> HttpResponse:
    document = get_object_or_404(
        ApplicationDocument.objects.select_related("application__business"), pk=pk
    )
    if not _may_read_files(request, document.application):
        raise Http404
    return private_file_response(
        document.file, filename=document.original_name, content_type=CONTENT_TYPES[document.kind]
    )


@face_view
def notice_download(request: HttpRequest, pk: int, face: str = "my") -> HttpResponse:
    notice = get_object_or_404(Notice.objects.select_related("application__business"), pk=pk)
    if not _may_read_files(request, notice.application):
        raise Http404
    return private_file_response(
        notice.file,
        filename=f"{notice.get_kind_display()}_{notice.number}.pdf",
        content_type="application/pdf",
        inline=True,
    )


# --- Back office: programmes and budgets ----------------------------------------------------------


def _fiscal_year(request: HttpRequest) -> int:
    try:
        return FiscalYear(int(request.GET.get("fy", ""))).year
    except (TypeError, ValueError):
        return FiscalYear.current().year


@official_required
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


@official_required
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
            "can_edit": services.is_programme_staff(request.user, programme),
            "history": list(history_of(programme)[:20]),
            "documents": programme.required_documents.all(),
            "categories": programme.expense_categories.all(),
            "rubric": programme.rubric.all(),
            "sections": programme.form_sections.prefetch_related("questions"),
        },
    )


@official_required
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


@official_required
@require_POST
def staff_budget_set(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    _post_and_report(
        request,
        forms.BudgetForm(request.POST),
        lambda data: services.set_budget(actor=request.user, programme=programme, **data),
    )
    return redirect("programmes:staff-programme", code=code)


@official_required
@require_POST
def staff_window_add(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code)
    _post_and_report(
        request,
        forms.WindowForm(request.POST),
        lambda data: services.add_window(actor=request.user, programme=programme, **data),
    )
    return redirect("programmes:staff-programme", code=code)


@official_required
@require_POST
def staff_window_delete(request: HttpRequest, code: str, window_pk: int) -> HttpResponse:
    window = get_object_or_404(ApplicationWindow, pk=window_pk, programme__code=code)
    services.delete_window(actor=request.user, window=window)
    messages.success(request, SAVED_MESSAGE)
    return redirect("programmes:staff-programme", code=code)


# --- Back office: the programme's lists (categories, documents, form, rubric) ---------------------


ListKind = services.ListKind
#: The screens, one per list; a form's sections are edited on the questions' screen.
LIST_SCREENS = {
    ListKind.CATEGORIES: _("補助対象経費の区分"),
    ListKind.DOCUMENTS: _("提出書類"),
    ListKind.QUESTIONS: _("申請書の追加の設問"),
    ListKind.RUBRIC: _("審査基準"),
}


def _list_kind(kind: str) -> ListKind:
    try:
        return ListKind(kind)
    except ValueError:
        raise Http404 from None


def _screen_of(kind: ListKind) -> ListKind:
    return ListKind.QUESTIONS if kind == ListKind.SECTIONS else kind


def _list_editor_programme(request: HttpRequest, code: str) -> Programme:
    """The programme, for its division's staff (and admins) only: other officials may read."""
    programme = get_object_or_404(Programme, code=code)
    if not services.is_programme_staff(request.user, programme):
        raise PermissionDenied(
            services.NOT_ALLOWED_MESSAGE % {"action": services.EDIT_LISTS_ACTION}
        )
    return programme


def _list_item(programme: Programme, kind: ListKind, pk: int) -> Any:
    items = services.LIST_MODELS[kind].objects.all()
    if kind == ListKind.QUESTIONS:
        return get_object_or_404(
            items.select_related("section"), section__programme=programme, pk=pk
        )
    return get_object_or_404(items, programme=programme, pk=pk)


def _screen_url(programme: Programme, kind: ListKind) -> str:
    return reverse("programmes:staff-list", args=[programme.code, _screen_of(kind).value])


def _render_list(
    request: HttpRequest, programme: Programme, screen: ListKind, bound: Any = None
) -> HttpResponse:
    can_edit = services.is_programme_staff(request.user, programme)
    add_kinds = (
        [ListKind.SECTIONS, ListKind.QUESTIONS] if screen == ListKind.QUESTIONS else [screen]
    )
    add_forms = {
        kind.value: bound
        if bound is not None and bound.prefix == kind.value
        else forms.LIST_FORMS[kind](programme=programme, prefix=kind.value)
        for kind in add_kinds
    }
    return render(
        request,
        "programmes/staff/lists.html",
        {
            "programme": programme,
            "screen": screen.value,
            "screen_label": LIST_SCREENS[screen],
            "screens": [(kind.value, label) for kind, label in LIST_SCREENS.items()],
            "lists": selectors.programme_lists(programme),
            "can_edit": can_edit,
            "add_forms": add_forms if can_edit else {},
        },
        status=400 if bound is not None else 200,
    )


@official_required
def staff_list(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """申請書の項目 — one of the programme's lists, in order, with its add form."""
    screen = _list_kind(kind)
    if screen == ListKind.SECTIONS:
        return redirect("programmes:staff-list", code=code, kind=ListKind.QUESTIONS.value)
    return _render_list(request, get_object_or_404(Programme, code=code), screen)


@official_required
@require_POST
def staff_list_add(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    kind = _list_kind(kind)
    programme = _list_editor_programme(request, code)
    form = forms.LIST_FORMS[kind](request.POST, programme=programme, prefix=kind.value)
    if form.is_valid():
        try:
            services.add_list_item(
                actor=request.user, programme=programme, kind=kind, data=form.service_data()
            )
        except ValidationError as error:
            forms.attach_errors(form, error)
        else:
            messages.success(request, SAVED_MESSAGE)
            return redirect(_screen_url(programme, kind))
    return _render_list(request, programme, _screen_of(kind), bound=form)


@official_required
def staff_list_item(request: HttpRequest, code: str, kind: str, item_pk: int) -> HttpResponse:
    kind = _list_kind(kind)
    programme = _list_editor_programme(request, code)
    item = _list_item(programme, kind, item_pk)
    in_use = selectors.list_references(programme).in_use(item)
    form = forms.LIST_FORMS[kind](
        request.POST or None,
        instance=item,
        programme=programme,
        fixed=services.FIXED_WHEN_IN_USE[kind] if in_use else (),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_list_item(actor=request.user, item=item, data=form.service_data())
        except ValidationError as error:
            forms.attach_errors(form, error)
        else:
            messages.success(request, SAVED_MESSAGE)
            return redirect(_screen_url(programme, kind))
    return render(
        request,
        "programmes/staff/list_item_form.html",
        {
            "programme": programme,
            "form": form,
            "item": item,
            "screen": _screen_of(kind).value,
            "screen_label": LIST_SCREENS[_screen_of(kind)],
            "in_use": in_use,
        },
        status=400 if form.is_bound else 200,
    )


@official_required
@require_POST
def staff_list_move(request: HttpRequest, code: str, kind: str, item_pk: int) -> HttpResponse:
    kind = _list_kind(kind)
    programme = _list_editor_programme(request, code)
    item = _list_item(programme, kind, item_pk)
    try:
        services.move_list_item(
            actor=request.user, item=item, up=request.POST.get("direction") == "up"
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
    return redirect(_screen_url(programme, kind))


@official_required
@require_POST
def staff_list_delete(request: HttpRequest, code: str, kind: str, item_pk: int) -> HttpResponse:
    kind = _list_kind(kind)
    programme = _list_editor_programme(request, code)
    item = services.LIST_MODELS[kind].objects.filter(pk=item_pk).first()
    if item is not None and services.programme_id_of(item) == programme.pk:
        try:
            services.delete_list_item(actor=request.user, item=item)
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, DELETED_MESSAGE % {"item": item})
    return redirect(_screen_url(programme, kind))


@official_required
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


@official_required
def staff_proxy(request: HttpRequest, code: str) -> HttpResponse:
    """代理申請 — find the business, then start its application on its behalf."""
    from shoko.directory import selectors as directory_selectors
    from shoko.directory.models import Business

    programme = get_object_or_404(Programme, code=code)
    if request.method == "POST":
        business = get_object_or_404(Business, pk=request.POST.get("business"))
        try:
            application = services.create_application(
                actor=request.user, programme=programme, business=business
            )
        except ValidationError as error:
            _errors_to_messages(request, error)
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
    page = _page(request, selectors.queue(request.user, **filters))
    return render(
        request,
        "programmes/staff/queue.html",
        {"filter_form": form, "page_obj": page, "query": request.GET.urlencode()},
    )


EXPORT_HEADER = [
    _("申請番号"), _("年度"), _("事業"), _("申請者"), _("事業の名称"), _("状態"), _("申請日時"),
    _("補助対象経費（円）"), _("交付申請額（円）"), _("交付決定額（円）"), _("確定額（円）"),
    _("支払額（円）"), _("地域"), _("担当者"), _("代理申請"),
]  # fmt: skip


@official_required
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
                app.number, app.fiscal_year, str(app.programme.name), app.applicant_name,
                app.title, app.get_status_display(),
                app.submitted_at.replace(tzinfo=None) if app.submitted_at else None,
                app.eligible_expense_yen, app.requested_yen, app.approved_yen, app.confirmed_yen,
                app.paid_yen, str(app.area.name) if app.area else "",
                str(app.assigned_to) if app.assigned_to else "",
                _g("はい") if app.filed_by_proxy else "",
            ]
        )  # fmt: skip
    sheet.freeze_panes = "A2"
    return xlsx_response(workbook, f"{_g('支援事業の申請')}.xlsx")


@reviewer_required
def staff_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    programme = application.programme
    is_staff = services.is_programme_staff(request.user, programme)
    summary = selectors.review_summary(application)
    own = next((r for r in summary.reviews if r.reviewer_id == request.user.pk), None)
    member = permissions.is_member_of(request.user, application.business.organisation_id)
    can_score = (
        application.status == Status.UNDER_REVIEW
        and services.is_reviewer(request.user, application)
        and not member
        and not (own and own.conflict_declared)
    )
    staff_users = User.objects.filter(
        groups__name__in=[Role.ADMIN.value, programme.staff_role], is_active=True
    ).distinct()
    return render(
        request,
        "programmes/staff/application_detail.html",
        _context(
            "staff",
            application,
            is_programme_staff=is_staff,
            transitions=selectors.available_transitions(request.user, application),
            transition_form=forms.TransitionForm(
                initial={"amount": f"{selectors_max_grant(application):,}"}
            ),
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


def selectors_max_grant(application: Application) -> int:
    from shoko.programmes.workflow import max_grant

    return max_grant(application)


@official_required
@require_POST
def staff_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    _post_and_report(
        request,
        forms.AssignForm(request.POST, staff=User.objects.filter(is_active=True)),
        lambda data: services.assign_application(
            actor=request.user, application=application, assignee=data["assignee"]
        ),
    )
    return redirect("programmes:staff-application", pk=pk)


@official_required
@require_POST
def staff_request_documents(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    _post_and_report(
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
    _post_and_report(
        request,
        form,
        lambda data: services.score_application(
            actor=request.user, application=application, scores=form.scores(),
            comment=data["comment"],
        ),
    )  # fmt: skip
    return redirect("programmes:staff-application", pk=pk)


@reviewer_required
@require_POST
def staff_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    _post_and_report(
        request,
        forms.ConflictForm(request.POST),
        lambda data: services.declare_conflict(
            actor=request.user, application=application, note=data["note"]
        ),
    )
    return redirect("programmes:staff-application", pk=pk)

"""The applicant's screens of one application — edit, documents, preview, report, the workflow
buttons — served in both faces: the portal for the business's members and the back office for
staff filing on its behalf (代理申請). Files are served only to those who may read them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shoko.core import permissions
from shoko.core.files import private_file_response
from shoko.programmes import forms, selectors, services
from shoko.programmes.models import (
    Application,
    ApplicationDocument,
    FormQuestion,
    Notice,
    Stage,
    Status,
)
from shoko.programmes.views.common import (
    DONE_MESSAGE,
    SAVED_MESSAGE,
    UPLOADED_MESSAGE,
    application_for,
    editor_application,
    errors_to_messages,
    face_context,
    face_url,
    face_view,
)
from shoko.programmes.workflow import TRANSITIONS


@face_view
def application_detail(request: HttpRequest, pk: int, face: str = "my") -> HttpResponse:
    application = application_for(request, pk, face)
    return render(
        request,
        "programmes/my/application_detail.html",
        face_context(
            face,
            application,
            transitions=selectors.available_transitions(request.user, application),
            transition_form=forms.TransitionForm(),
            can_edit=selectors.may_act_for_applicant(request.user, application),
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
    application = editor_application(request, pk, face)
    if not application.is_editable:
        messages.error(
            request,
            services.NOT_EDITABLE_MESSAGE % {"status": application.get_status_display()},
        )
        return redirect(face_url(face, "", application))
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
                return redirect(face_url(face, "-documents", application))
            if after == "preview":
                return redirect(face_url(face, "-preview", application))
            return redirect(face_url(face, "-edit", application))
    return render(
        request,
        "programmes/application_form.html",
        face_context(face, application, form=form, formset=formset, answers_form=answers_form),
    )


@face_view
def application_documents(request: HttpRequest, pk: int, face: str = "my") -> HttpResponse:
    application = editor_application(request, pk, face)
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
                return redirect(face_url(face, "-documents", application))
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
        face_context(
            face,
            application,
            rows=rows,
            upload_errors=upload_errors,
            can_upload={
                row.requirement.pk: selectors.document_open(application, row.requirement)
                for row in rows
            },
        ),
        status=status,
    )


@face_view
def application_preview(request: HttpRequest, pk: int, face: str = "my") -> HttpResponse:
    """確認画面 — everything as it will be filed, and what is still missing."""
    application = application_for(request, pk, face)
    return render(
        request,
        "programmes/preview.html",
        face_context(
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
    application = editor_application(request, pk, face)
    if application.status != Status.WORK_COMPLETED:
        messages.error(request, services.REPORT_NOT_OPEN_MESSAGE)
        return redirect(face_url(face, "", application))
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
            return redirect(face_url(face, "-report", application))
    application.refresh_from_db()
    return render(
        request,
        "programmes/report.html",
        face_context(
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
    application = application_for(request, pk, face)
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
        errors_to_messages(request, error)
    else:
        messages.success(request, DONE_MESSAGE % {"action": move.label})
    return redirect(face_url(face, "", application))


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

"""What the programmes' screens share: pages, messages, and the ``face_view`` decorator for the
applicant's screens served in both faces (the portal for members, the back office for officials
filing on a business's behalf)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shoko.core import permissions
from shoko.core.permissions import get_for_user_or_404, role_required
from shoko.core.roles import OFFICIAL_ROLES, Role
from shoko.programmes import selectors, services
from shoko.programmes.models import (
    Application,
)

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


def page_of(request: HttpRequest, qs: QuerySet | list) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def post_and_report(
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
        errors_to_messages(request, error)
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


def application_for(request: HttpRequest, pk: int, face: str) -> Application:
    if face == "staff":
        return get_object_or_404(selectors.staff_applications(request.user), pk=pk)
    return get_for_user_or_404(
        Application.objects.select_related("programme", "business"),
        request.user,
        organisation_field="business__organisation",
        pk=pk,
    )


def editor_application(request: HttpRequest, pk: int, face: str) -> Application:
    """The application, for those who may change it on the applicant's side (its
    representatives and managers, or the programme's staff filing on its behalf)."""
    application = application_for(request, pk, face)
    services.require_applicant_side(request.user, application, _("申請を編集する"))
    return application


def face_url(face: str, name: str, application: Application) -> str:
    return reverse(f"programmes:{face}-application{name}", args=[application.pk])


def face_context(face: str, application: Application, **extra: Any) -> dict[str, Any]:
    return {
        "face": face,
        "base_template": BASES[face],
        "application": application,
        "programme": application.programme,
        "detail_url": face_url(face, "", application),
        "edit_url": face_url(face, "-edit", application),
        "documents_url": face_url(face, "-documents", application),
        "preview_url": face_url(face, "-preview", application),
        "report_url": face_url(face, "-report", application),
        **extra,
    }

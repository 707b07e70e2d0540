"""The back office screens of a programme's lists (/staff/programmes/<code>/lists/…): expense
categories, documents, form sections and questions, rubric."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from shoko.core.permissions import officials_only
from shoko.programmes import forms, selectors, services
from shoko.programmes.models import (
    Programme,
)
from shoko.programmes.views.common import (
    DELETED_MESSAGE,
    SAVED_MESSAGE,
    errors_to_messages,
)

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
    if not selectors.is_programme_staff(request.user, programme):
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
    can_edit = selectors.is_programme_staff(request.user, programme)
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


@officials_only
def staff_list(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """申請書の項目 — one of the programme's lists, in order, with its add form."""
    screen = _list_kind(kind)
    if screen == ListKind.SECTIONS:
        return redirect("programmes:staff-list", code=code, kind=ListKind.QUESTIONS.value)
    return _render_list(request, get_object_or_404(Programme, code=code), screen)


@officials_only
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


@officials_only
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


@officials_only
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
        errors_to_messages(request, error)
    return redirect(_screen_url(programme, kind))


@officials_only
@require_POST
def staff_list_delete(request: HttpRequest, code: str, kind: str, item_pk: int) -> HttpResponse:
    kind = _list_kind(kind)
    programme = _list_editor_programme(request, code)
    item = services.LIST_MODELS[kind].objects.filter(pk=item_pk).first()
    if item is not None and services.programme_id_of(item) == programme.pk:
        try:
            services.delete_list_item(actor=request.user, item=item)
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, DELETED_MESSAGE % {"item": item})
    return redirect(_screen_url(programme, kind))

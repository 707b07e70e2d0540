"""The entrant's face (/my/contests/): my entries, starting one, the entry's details, its work
(video, stills, group members), the preview and the moves (submit, correct, withdraw). Another
entrant's entry answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from shoko.contests import access, forms, selectors, workflow
from shoko.contests.models import Entry, Still
from shoko.contests.services import entries as entry_services
from shoko.core.forms import attach_errors
from shoko.core.http import AuthenticatedRequest
from shoko.core.models import Organisation
from shoko.core.permissions import organisation_ids_of

SAVED_MESSAGE = _("保存しました。")
DONE_MESSAGE = _("「%(action)s」を行いました。")
STILL_ADDED_MESSAGE = _("場面写真を追加しました。")
STILL_REMOVED_MESSAGE = _("場面写真を削除しました。")


def _editable_organisations(request: AuthenticatedRequest) -> Any:
    return Organisation.objects.filter(
        memberships__user=request.user,
        memberships__role__in=["representative", "manager"],
        pk__in=organisation_ids_of(request.user),
    ).order_by("name")


@login_required
def my_entries(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "contests/my/entries.html",
        {
            "entries": list(selectors.my_entries(request.user)),
            "open_calls": [c for c in selectors.public_calls() if c.is_open()],
        },
    )


@login_required
def start(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = selectors.public_call(slug)
    form = forms.StartEntryForm(
        request.POST or None, call=call, organisations=_editable_organisations(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = entry_services.start_entry(
                actor=request.user,
                call=call,
                category=form.cleaned_data["category"],
                organisation=form.cleaned_data.get("organisation"),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("contests:my-entry", entry.pk)
    return render(
        request, "contests/my/start.html", {"call": call, "form": form, "is_open": call.is_open()}
    )


def _entry_context(entry: Entry) -> dict[str, Any]:
    return {
        "entry": entry,
        "call": entry.call,
        "category": entry.category,
        "moves": workflow.transitions_from(entry.status, workflow.Actor.ENTRANT),
        "problems": [
            message for error in workflow.completeness_errors(entry) for message in error.messages
        ]
        if entry.is_editable
        else [],
        "fix_request": entry.fix_requests.filter(resolved_at__isnull=True).first(),
        "decisions": list(entry.decisions.order_by("created_at")),
    }


@login_required
def entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The entry's details: a draft (or an entry sent back for correction) is a form."""
    found = selectors.my_entry(request.user, pk)
    form = forms.EntryForm(request.POST or None, instance=Entry.objects.get(pk=found.pk))
    if request.method == "POST" and form.is_valid():
        try:
            entry_services.update_entry(actor=request.user, entry=found, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, SAVED_MESSAGE)
            target = (
                "contests:my-entry-work"
                if request.POST.get("next") == "work"
                else "contests:my-entry"
            )
            return redirect(target, found.pk)
    context = _entry_context(found)
    context.update(form=form, editable=found.is_editable)
    return render(request, "contests/my/entry.html", context)


@login_required
def work(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The work itself: the video (chunked upload), stills and group members."""
    found = selectors.my_entry(request.user, pk)
    members = forms.MemberFormSet(
        request.POST or None,
        prefix="members",
        initial=[
            {"name": m.name, "pen_name": m.pen_name, "role": m.role} for m in found.members.all()
        ],
    )
    if request.method == "POST" and members.is_valid():
        try:
            entry_services.set_members(
                actor=request.user,
                entry=found,
                members=[f.cleaned_data for f in members.forms if f.cleaned_data],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, SAVED_MESSAGE)
            return redirect("contests:my-entry-work", found.pk)
    context = _entry_context(found)
    context.update(
        members_formset=members,
        still_form=forms.StillForm(),
        stills=list(found.stills.all()),
        videos=list(found.videos.order_by("-created_at")[:5]),
        editable=found.is_editable,
        chunk_size=0,
    )
    return render(request, "contests/my/work.html", context)


@login_required
@require_POST
def add_still(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.my_entry(request.user, pk)
    form = forms.StillForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            entry_services.add_still(
                actor=request.user,
                entry=found,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data.get("caption") or "",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, STILL_ADDED_MESSAGE)
    else:
        messages.error(request, " ".join(str(m) for errs in form.errors.values() for m in errs))
    return redirect("contests:my-entry-work", found.pk)


@login_required
@require_POST
def remove_still(request: AuthenticatedRequest, pk: int, still_pk: int) -> HttpResponse:
    found = selectors.my_entry(request.user, pk)
    still = get_object_or_404(Still, pk=still_pk, entry=found)
    try:
        entry_services.remove_still(actor=request.user, still=still)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, STILL_REMOVED_MESSAGE)
    return redirect("contests:my-entry-work", found.pk)


@login_required
def preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The entry as staff and judges will read it, with what is still missing."""
    found = selectors.my_entry(request.user, pk)
    context = _entry_context(found)
    context.update(
        stills=list(found.stills.all()),
        members=list(found.members.all()),
        declarations=workflow.declarations_for(found),
        show_personal=True,
    )
    return render(request, "contests/my/preview.html", context)


ENTRANT_MOVES = {"submit", "resubmit", "withdraw"}


@login_required
@require_POST
def move(request: AuthenticatedRequest, pk: int, name: str) -> HttpResponse:
    if name not in ENTRANT_MOVES:
        raise Http404
    found = selectors.my_entry(request.user, pk)
    if not access.owns_entry(request.user, found):
        raise PermissionDenied
    try:
        entry_services.transition(name, actor=request.user, entry=found)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("contests:my-entry-preview", found.pk)
    messages.success(request, DONE_MESSAGE % {"action": workflow.TRANSITIONS[name].label})
    return redirect("contests:my-entry", found.pk)

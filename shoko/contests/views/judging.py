"""The judges' face (/staff/judging/): the rounds they sit on and their progress, the score
sheet with the work playing beside the rubric, and the conflict-of-interest declaration. A judge
sees credit names and works, never entrants' personal data, and only their own sheets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from shoko.contests import forms, selectors
from shoko.contests.models import Round, RoundStatus
from shoko.contests.services import judging
from shoko.core.forms import attach_errors
from shoko.core.http import AuthenticatedRequest
from shoko.core.permissions import role_required
from shoko.core.roles import Role

judges_only = role_required(Role.JUDGE)

SAVED_MESSAGE = _("下書きを保存しました。")
SUBMITTED_MESSAGE = _("採点を提出しました。")
DECLARED_MESSAGE = _("利害関係を申告しました。この作品の採点からは外れます。")


@judges_only
def home(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "contests/judging/home.html",
        {"rounds": list(selectors.judge_rounds(request.user))},
    )


@judges_only
def round_sheets(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found: Round = get_object_or_404(
        Round.objects.select_related("call"), pk=pk, panel__judge=request.user
    )
    sheets = list(selectors.judge_sheets(request.user, found))
    return render(
        request,
        "contests/judging/round.html",
        {
            "round": found,
            "sheets": sheets,
            "done": sum(1 for s in sheets if s.submitted_at and not s.recused_at),
            "total": sum(1 for s in sheets if not s.recused_at),
        },
    )


@judges_only
def sheet(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.judge_sheet(request.user, pk)
    form = forms.ScoreSheetForm(request.POST or None, sheet=found)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            judging.save_sheet(
                actor=request.user, sheet=found, data=form.service_data(), submit=submit
            )
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
        else:
            messages.success(request, SUBMITTED_MESSAGE if submit else SAVED_MESSAGE)
            following = (
                found.round.sheets.filter(
                    judge=request.user, submitted_at__isnull=True, recused_at__isnull=True
                )
                .exclude(pk=found.pk)
                .order_by("entry__number")
                .first()
            )
            if submit and following is not None:
                return redirect("contests:judge-sheet", following.pk)
            return redirect("contests:judge-round", found.round_id)
    entry = found.entry
    return render(
        request,
        "contests/judging/sheet.html",
        {
            "sheet": found,
            "round": found.round,
            "entry": entry,
            "form": form,
            "stills": list(entry.stills.all()),
            "members": list(entry.members.all()),
            "conflict_form": forms.ConflictForm(),
            "open": found.round.status == RoundStatus.SCORING and not found.recused_at,
        },
    )


@judges_only
@require_POST
def conflict(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.judge_sheet(request.user, pk)
    form = forms.ConflictForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errs in form.errors.values() for m in errs])
        judging.declare_conflict(actor=request.user, entry=found.entry, data=form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("contests:judge-sheet", found.pk)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
        return redirect("contests:judge-sheet", found.pk)
    messages.success(request, DECLARED_MESSAGE)
    return redirect("contests:judge-round", found.round_id)

"""The back office of contests (/staff/contests/), for officials. Every official reads calls,
entries (titles and states) and rankings; the call's staff (its division, or admin) act, and
they alone see entrants' personal data — the services refuse anyone else, and the templates ask
``access.may_see_personal_data``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs in the lock yet

from shoko.contests import access, eligibility, forms, selectors, workflow
from shoko.contests.models import (
    Award,
    AwardWinner,
    Call,
    Category,
    ChecklistItem,
    Entry,
    EntryStatus,
    Round,
    RoundStatus,
    WorkKind,
)
from shoko.contests.services import calls as call_services
from shoko.contests.services import entries as entry_services
from shoko.contests.services import judging, results
from shoko.contests.views.common import run_form
from shoko.core.audit import history_of
from shoko.core.exports import xlsx_response
from shoko.core.http import AuthenticatedRequest
from shoko.core.permissions import officials_only

SAVED_MESSAGE = _("保存しました。")
DONE_MESSAGE = _("「%(action)s」を行いました。")
OPENED_MESSAGE = _("採点を開始しました（採点表 %(count)s 件）。")
SHORT_MESSAGE = _("審査員が K 人に満たない作品があります: %(numbers)s")
PUBLISHED_MESSAGE = _("結果を発表しました。受賞者と応募者にお知らせを送ります。")
PAGE_SIZE = 50


def _call(slug: str) -> Call:
    return get_object_or_404(Call, slug=slug)


def _is_staff(request: AuthenticatedRequest, call: Call) -> bool:
    return access.is_call_staff(request.user, call)


@officials_only
def calls(request: AuthenticatedRequest) -> HttpResponse:
    found = list(Call.objects.order_by("-opens_at", "-pk"))
    return render(request, "contests/staff/calls.html", {"calls": found})


@officials_only
def call_create(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.CallForm(request.POST or None)
    created = run_form(
        request, form, lambda: call_services.create_call(actor=request.user, data=form.cleaned_data)
    )
    if created is not None:
        messages.success(request, SAVED_MESSAGE)
        return redirect("contests:staff-call", created.slug)
    return render(request, "contests/staff/form.html", {"form": form, "title": _("募集を作成")})


@officials_only
def call_detail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    figures = selectors.call_figures(call)
    biggest = max([n for _c, n in figures.by_category] + [1])
    return render(
        request,
        "contests/staff/call.html",
        {
            "call": call,
            "figures": figures,
            "category_bars": [(c, n, int(n * 100 / biggest)) for c, n in figures.by_category],
            "status_rows": [
                (label, figures.by_status.get(value, 0)) for value, label in EntryStatus.choices
            ],
            "categories": [(c, eligibility.describe(c.rules or [])) for c in call.categories.all()],
            "declarations": list(call.declarations.all()),
            "checklist": list(call.checklist.all()),
            "rounds": list(call.rounds.all()),
            "awards": selectors.results(call),
            "is_staff": _is_staff(request, call),
            "awaiting": call.entries.awaiting_review().count(),
        },
    )


@officials_only
def call_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = forms.CallForm(request.POST or None, instance=Call.objects.get(pk=call.pk))
    updated = run_form(
        request,
        form,
        lambda: call_services.update_call(actor=request.user, call=call, data=form.cleaned_data),
    )
    if updated is not None:
        messages.success(request, SAVED_MESSAGE)
        return redirect("contests:staff-call", updated.slug)
    return render(
        request, "contests/staff/form.html", {"form": form, "call": call, "title": _("募集を編集")}
    )


@officials_only
def call_copy(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = forms.CopyCallForm(request.POST or None)
    copy = run_form(
        request,
        form,
        lambda: call_services.copy_call(actor=request.user, call=call, data=form.cleaned_data),
    )
    if copy is not None:
        messages.success(request, SAVED_MESSAGE)
        return redirect("contests:staff-call", copy.slug)
    return render(
        request,
        "contests/staff/form.html",
        {"form": form, "call": call, "title": _("次の回の募集を作成（コピー）")},
    )


@officials_only
def category(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    call = _call(slug)
    instance = get_object_or_404(Category, pk=pk, call=call) if pk else Category(call=call)
    form = forms.CategoryForm(request.POST or None, instance=instance)
    saved = run_form(
        request,
        form,
        lambda: call_services.save_category(
            actor=request.user,
            call=call,
            category=Category.objects.get(pk=pk) if pk else None,
            data=form.service_data(),
        ),
    )
    if saved is not None:
        messages.success(request, SAVED_MESSAGE)
        return redirect("contests:staff-call", call.slug)
    return render(
        request,
        "contests/staff/form.html",
        {"form": form, "call": call, "title": _("部門"), "video_kind": WorkKind.VIDEO},
    )


@officials_only
def items(request: AuthenticatedRequest, slug: str, kind: str) -> HttpResponse:
    """The call's declarations (誓約事項) or checklist (確認項目), as rows."""
    call = _call(slug)
    if kind == "declarations":
        current = [
            {"code": d.code, "text": d.text, "text_en": getattr(d, "text_en", "")}
            for d in call.declarations.all()
        ]
        title, save, text_field = _("誓約事項"), call_services.set_declarations, "text"
    elif kind == "checklist":
        current = [
            {"code": i.code, "text": i.label, "text_en": getattr(i, "label_en", "")}
            for i in call.checklist.all()
        ]
        title, save, text_field = _("資格審査の確認項目"), call_services.set_checklist, "label"
    else:
        raise Http404
    formset = forms.ItemFormSet(request.POST or None, initial=current, prefix="items")
    if request.method == "POST" and formset.is_valid():
        rows = [
            {
                "code": f.cleaned_data.get("code"),
                text_field: f.cleaned_data.get("text"),
                f"{text_field}_en": f.cleaned_data.get("text_en"),
            }
            for f in formset.forms
            if f.cleaned_data
        ]
        try:
            save(actor=request.user, call=call, rows=rows)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as denied:
            messages.error(request, str(denied))
        else:
            messages.success(request, SAVED_MESSAGE)
            return redirect("contests:staff-call", call.slug)
    return render(
        request, "contests/staff/items.html", {"call": call, "formset": formset, "title": title}
    )


# --- Entries ------------------------------------------------------------------------------------


@officials_only
def entries(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = forms.EntryFilterForm(request.GET or None, call=call)
    status = category = None
    if form.is_valid():
        status = form.cleaned_data.get("status") or None
        chosen = form.cleaned_data.get("category")
        category = chosen.pk if chosen else None
    found = selectors.staff_entries(call, status=status, category=category)
    if request.GET.get("format") == "xlsx":
        return _entries_xlsx(request, call, found)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contests/staff/entries.html",
        {"call": call, "filter_form": form, "page_obj": page, "is_staff": _is_staff(request, call)},
    )


def _entries_xlsx(request: AuthenticatedRequest, call: Call, found: Any) -> HttpResponse:
    """The entry list in Excel; personal data only for the call's staff."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 — a new workbook has a sheet
    sheet.title = str(_("応募作品"))[:31]
    personal = _is_staff(request, call)
    header = [
        str(_("受付番号")),
        str(_("部門")),
        str(_("作品名")),
        str(_("作者")),
        str(_("状態")),
        str(_("長さ（秒）")),
        str(_("応募日時")),
    ]
    if personal:
        header += [str(_("氏名")), str(_("年齢")), str(_("メールアドレス"))]
    sheet.append(header)
    for entry in found:
        row: list[Any] = [
            entry.number,
            str(entry.category.name),
            entry.title,
            entry.credit,
            str(entry.get_status_display()),
            entry.video.duration_seconds if entry.video else None,
            entry.submitted_at.replace(tzinfo=None) if entry.submitted_at else None,
        ]
        if personal:
            row += [entry.entrant_name, entry.age, entry.entrant.email]
        sheet.append([f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    return xlsx_response(book, f"{call.slug}-entries.xlsx")


@officials_only
def entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Entry.objects.select_related("call", "category", "video", "entrant", "studio"), pk=pk
    )
    call = found.call
    staff = _is_staff(request, found.call)
    checks = {c.item_id: c for c in found.checks.select_related("checked_by")}
    return render(
        request,
        "contests/staff/entry.html",
        {
            "entry": found,
            "call": call,
            "is_staff": staff,
            "show_personal": access.may_see_personal_data(request.user, found),
            "checklist": [(item, checks.get(item.pk)) for item in call.checklist.all()],
            "moves": workflow.transitions_from(found.status, workflow.Actor.STAFF) if staff else [],
            "fix_form": forms.FixRequestForm(),
            "reason_form": forms.ReasonForm(),
            "stills": list(found.stills.all()),
            "members": list(found.members.all()),
            "declarations": workflow.declarations_for(found),
            "problems": [m for e in workflow.completeness_errors(found) for m in e.messages],
            "decisions": list(found.decisions.select_related("actor")),
            "fix_requests": list(found.fix_requests.all()),
            "sheets": selectors.sheets_for_entry(found) if staff else [],
            "conflicts": list(found.conflicts.select_related("judge")) if staff else [],
            "videos": list(found.videos.order_by("-created_at")[:5]),
            "history": list(history_of(found)[:20]) if staff else [],
        },
    )


@officials_only
@require_POST
def check(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    found = get_object_or_404(Entry, pk=pk)
    item = get_object_or_404(ChecklistItem, pk=item_pk, call_id=found.call_id)
    form = forms.CheckForm(request.POST)
    if form.is_valid():
        try:
            entry_services.check_item(
                actor=request.user, entry=found, item=item, data=form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(f"{reverse('contests:staff-entry', args=[found.pk])}#checklist")


STAFF_MOVES = {"request_fix", "accept", "disqualify", "reinstate"}


@officials_only
@require_POST
def move(request: AuthenticatedRequest, pk: int, name: str) -> HttpResponse:
    if name not in STAFF_MOVES:
        raise Http404
    found = get_object_or_404(Entry, pk=pk)
    try:
        if name == "request_fix":
            form = forms.FixRequestForm(request.POST)
            if not form.is_valid():
                raise ValidationError([m for errs in form.errors.values() for m in errs])
            entry_services.request_fix(actor=request.user, entry=found, data=form.cleaned_data)
        elif name in ("disqualify", "reinstate"):
            reason = forms.ReasonForm(request.POST)
            data = reason.cleaned_data if reason.is_valid() else {}
            entry_services.transition(
                name, actor=request.user, entry=found, comment=str(data.get("reason") or "")
            )
        else:
            entry_services.accept_entry(actor=request.user, entry=found)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        messages.success(request, DONE_MESSAGE % {"action": workflow.TRANSITIONS[name].label})
    return redirect("contests:staff-entry", found.pk)


# --- Judging ------------------------------------------------------------------------------------


@officials_only
def round_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = forms.RoundForm(request.POST or None, initial={"name": _("一次審査")})
    created = run_form(
        request,
        form,
        lambda: judging.create_round(actor=request.user, call=call, data=form.cleaned_data),
    )
    if created is not None:
        return redirect("contests:staff-round", created.pk)
    return render(
        request,
        "contests/staff/form.html",
        {"form": form, "call": call, "title": _("審査ラウンドを作成")},
    )


def _round(pk: int) -> Round:
    return get_object_or_404(Round.objects.select_related("call"), pk=pk)


@officials_only
def round_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _round(pk)
    call = found.call
    staff = _is_staff(request, call)
    criteria = [
        {
            "code": c.code,
            "name": c.name,
            "name_en": getattr(c, "name_en", ""),
            "description": c.description,
            "weight": c.weight.normalize(),
        }
        for c in found.criteria.all()
    ]
    previous = call.rounds.filter(order__lt=found.order).order_by("-order").first()
    candidates = (
        (Entry.objects.filter(rounds__round=previous) if previous else call.entries.eligible())
        .select_related("category")
        .order_by("category__order", "number")
    )
    progress = selectors.judge_progress(found)
    return render(
        request,
        "contests/staff/round.html",
        {
            "round": found,
            "call": call,
            "is_staff": staff,
            "round_form": forms.RoundForm(instance=found),
            "criteria_formset": forms.CriterionFormSet(initial=criteria, prefix="criteria"),
            "panel_form": forms.PanelForm(
                round_=found,
                initial={
                    "judges": list(found.panel.values_list("judge_id", flat=True)),
                    **{
                        f"categories_{seat.judge_id}": list(
                            seat.categories.values_list("pk", flat=True)
                        )
                        for seat in found.panel.all()
                    },
                },
            ),
            "field_form": forms.FieldForm(
                candidates=candidates,
                initial={"entries": list(found.field.values_list("entry_id", flat=True))},
            ),
            "field": list(
                Entry.objects.filter(rounds__round=found)
                .select_related("category")
                .order_by("number")
            ),
            "criteria": list(found.criteria.all()),
            "panel": list(found.panel.select_related("judge").prefetch_related("categories")),
            "progress": progress,
            "total_sheets": sum(p.assigned for p in progress),
            "done_sheets": sum(p.submitted for p in progress),
            "conflicts": list(call.conflicts.select_related("judge", "entry")),
        },
    )


@officials_only
@require_POST
def round_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    found = _round(pk)
    try:
        if action == "settings":
            form = forms.RoundForm(request.POST, instance=Round.objects.get(pk=found.pk))
            if not form.is_valid():
                raise ValidationError(
                    [
                        f"{form.fields[k].label}: {m}"
                        for k, errs in form.errors.items()
                        for m in errs
                    ]
                )
            judging.update_round(actor=request.user, round_=found, data=form.cleaned_data)
        elif action == "criteria":
            formset = forms.CriterionFormSet(request.POST, prefix="criteria")
            if not formset.is_valid():
                raise ValidationError([str(e) for e in formset.non_form_errors()])
            judging.set_criteria(
                actor=request.user,
                round_=found,
                criteria=[f.cleaned_data for f in formset.forms if f.cleaned_data],
            )
        elif action == "panel":
            panel = forms.PanelForm(request.POST, round_=found)
            if not panel.is_valid():
                raise ValidationError([m for errs in panel.errors.values() for m in errs])
            judging.set_panel(actor=request.user, round_=found, judges=panel.panel())
        elif action == "field":
            previous = found.call.rounds.filter(order__lt=found.order).order_by("-order").first()
            candidates = (
                Entry.objects.filter(rounds__round=previous)
                if previous
                else found.call.entries.eligible()
            )
            field_form = forms.FieldForm(request.POST, candidates=candidates)
            if not field_form.is_valid():
                raise ValidationError([m for errs in field_form.errors.values() for m in errs])
            judging.advance_entries(
                actor=request.user, round_=found, entries=list(field_form.cleaned_data["entries"])
            )
        elif action == "open":
            plan = judging.open_round(actor=request.user, round_=found)
            messages.success(request, OPENED_MESSAGE % {"count": len(plan.pairs)})
            if plan.short:
                numbers = ", ".join(
                    Entry.objects.filter(pk__in=plan.short)
                    .order_by("number")
                    .values_list("number", flat=True)
                )
                messages.warning(request, SHORT_MESSAGE % {"numbers": numbers})
            return redirect("contests:staff-round", found.pk)
        elif action == "close":
            judging.close_round(actor=request.user, round_=found)
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        messages.success(request, SAVED_MESSAGE)
    return redirect("contests:staff-round", found.pk)


@officials_only
def ranking(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The jury's page: both rankings per category, ties, flagged judges, and per entry which
    judges pulled it up or down."""
    found = _round(pk)
    return render(
        request,
        "contests/staff/ranking.html",
        {
            "round": found,
            "call": found.call,
            "ranking": selectors.round_ranking(found),
            "is_staff": _is_staff(request, found.call),
            "rounds": list(found.call.rounds.all()),
            "closed": found.status == RoundStatus.CLOSED,
        },
    )


# --- Awards and results -------------------------------------------------------------------------


@officials_only
def awards(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = forms.AwardForm(request.POST or None, call=call)
    saved = run_form(
        request,
        form,
        lambda: results.save_award(actor=request.user, call=call, data=form.cleaned_data),
    )
    if saved is not None:
        messages.success(request, SAVED_MESSAGE)
        return redirect("contests:staff-awards", call.slug)
    given = selectors.results(call)
    return render(
        request,
        "contests/staff/awards.html",
        {
            "call": call,
            "form": form,
            "awards": [
                (award, forms.GrantForm(award=award, prefix=f"award{award.pk}")) for award in given
            ],
            "is_staff": _is_staff(request, call),
            "last_round": call.rounds.order_by("-order").first(),
        },
    )


@officials_only
@require_POST
def grant(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    award: Award = get_object_or_404(Award.objects.select_related("call"), pk=pk)
    form = forms.GrantForm(request.POST, award=award, prefix=f"award{award.pk}")
    try:
        if not form.is_valid():
            raise ValidationError([m for errs in form.errors.values() for m in errs])
        results.grant_award(
            actor=request.user,
            award=award,
            entry=form.cleaned_data["entry"],
            data=form.cleaned_data,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        messages.success(request, SAVED_MESSAGE)
    return redirect("contests:staff-awards", award.call.slug)


@officials_only
@require_POST
def revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    winner: AwardWinner = get_object_or_404(
        AwardWinner.objects.select_related("award__call"), pk=pk
    )
    try:
        results.revoke_award(actor=request.user, winner=winner)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("contests:staff-awards", winner.award.call.slug)


@officials_only
def publish(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = forms.PublishForm(request.POST or None)
    published = run_form(
        request,
        form,
        lambda: results.publish_results(actor=request.user, call=call, screening=form.screening()),
    )
    if published is not None:
        messages.success(request, PUBLISHED_MESSAGE)
        return redirect("contests:staff-call", call.slug)
    return render(
        request,
        "contests/staff/publish.html",
        {
            "call": call,
            "form": form,
            "awards": selectors.results(call),
            "is_staff": _is_staff(request, call),
        },
    )

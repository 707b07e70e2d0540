"""Plan pages: the staff dashboard and its screens, exports, the public progress page, open data.

Views are thin: reads come from ``selectors``, changes go through ``services``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from shoko.core.audit import history_of
from shoko.core.exports import content_disposition, csv_response
from shoko.core.files import private_file_response
from shoko.core.forms import attach_errors
from shoko.core.japan import FiscalYear
from shoko.core.permissions import has_role, role_required
from shoko.core.templatetags.shoko import fy_label
from shoko.plan import access, charts, exports, selectors, services
from shoko.plan.forms import ManualActualForm, NextPeriodForm, TargetForm
from shoko.plan.models import ActionPlan, ManualActual, Target, TargetRow
from shoko.plan.selectors import PlanProgress
from shoko.plan.templatetags.plan import plan_fy_short

T = TypeVar("T")
EXPORT_NAME = gettext_lazy("取組状況")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan_or_404(slug: str | None) -> ActionPlan:
    if slug:
        return get_object_or_404(ActionPlan, slug=slug)
    plan = selectors.current_plan()
    if plan is None:
        raise Http404(_("計画がまだ登録されていません。"))
    return plan


def _with_charts(progress: PlanProgress) -> PlanProgress:
    plan = progress.plan
    for row in progress.rows:
        if charts.has_figures(row):
            row.chart = charts.bar_chart(
                chart_id=f"chart-{row.row.pk}",
                title=f"{row.row.item.code} {row.row.label}",
                points=charts.row_points(row, lambda fy: plan_fy_short(plan, fy)),
            )
    return progress


def _submit(form: Any, action: Callable[[], T]) -> T | None:
    """Run a service for a valid form; its refusals become the form's errors."""
    try:
        return action()
    except ValidationError as error:
        attach_errors(form, error)
        return None


def _can_edit(request: HttpRequest) -> bool:
    return has_role(request.user, *access.EDITORS)


# --- Staff: dashboard ----------------------------------------------------------------------------


@require_GET
@role_required(*access.READERS)
def dashboard(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """/staff/plan/: the plan's table per measure with actuals, statuses and charts."""
    plan = _plan_or_404(slug or request.GET.get("plan"))
    progress = _with_charts(selectors.plan_progress(plan))
    return render(
        request,
        "plan/staff/dashboard.html",
        {
            "progress": progress,
            "plans": selectors.plans(),
            "can_edit": _can_edit(request),
            "report_years": [fy for fy in progress.fiscal_years if fy <= progress.today],
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*access.READERS)
def actual_detail(request: HttpRequest, row_id: int, fy: int) -> HttpResponse:
    """Drill-down from one actual to the records behind it; officials enter a manual actual."""
    try:
        row = selectors.row_with_context(row_id)
        fiscal_year = FiscalYear(fy)
    except (ValueError, TypeError, TargetRow.DoesNotExist):
        raise Http404 from None
    plan = row.item.measure.strategy.plan
    if not plan.first_fy <= fiscal_year.year <= plan.last_fy:
        raise Http404
    can_edit = _can_edit(request)
    form = None
    if can_edit:
        form = ManualActualForm(
            request.POST or None,
            request.FILES or None,
            plan=plan,
            initial={"fiscal_year": fiscal_year.year},
        )
        data = form.cleaned_data if request.method == "POST" and form.is_valid() else None
        if data is not None and _submit(
            form,
            lambda: services.record_manual_actual(
                row=row,
                fiscal_year=FiscalYear(data["fiscal_year"]),
                value=data["value"],
                breakdown=form.breakdown(),
                note=data["note"],
                evidence=data.get("evidence"),
                user=request.user,
            ),
        ):
            messages.success(request, _("実績を記録しました。"))
            url = reverse("plan:actual", args=[row.pk, form.cleaned_data["fiscal_year"]])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    elif request.method == "POST":
        return HttpResponse(status=403)
    actual = selectors.row_actual(row, fiscal_year)
    history = history_of(actual.manual) if actual.manual is not None else []
    return render(
        request,
        "plan/staff/actual.html",
        {
            "plan": plan,
            "row": row,
            "fy": fiscal_year,
            "actual": actual,
            "form": form,
            "history": history,
            "can_edit": can_edit,
        },
        # htmx swaps only 2xx answers: it gets the form with its errors as 200.
        status=400 if form is not None and form.errors and not request.htmx else 200,
    )


@require_GET
@role_required(*access.READERS)
def evidence(request: HttpRequest, actual_id: int) -> HttpResponse:
    """A manual actual's evidence file, for staff only (never a public media URL)."""
    actual = get_object_or_404(ManualActual, pk=actual_id)
    if not actual.evidence:
        raise Http404
    name = actual.evidence.name.rsplit("/", 1)[-1]
    return private_file_response(actual.evidence, filename=name)


@require_http_methods(["GET", "POST"])
@role_required(*access.EDITORS)
def target_edit(request: HttpRequest, target_id: int) -> HttpResponse:
    """Change one target (its words, kind, number); the history shows every earlier version."""
    target = get_object_or_404(
        Target.objects.select_related("row__item__measure__strategy__plan"), pk=target_id
    )
    initial = {
        f"text_{lang.replace('-', '_')}": text
        for lang, text in services.texts_of(target, "text").items()
    }
    initial |= {
        "kind": target.kind,
        "number": target.number,
        "continuing": target.breakdown.get("continuing"),
        "new": target.breakdown.get("new"),
    }
    form = TargetForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _submit(
            form,
            lambda: services.update_target(
                target=target,
                text=form.texts(),
                kind=form.cleaned_data["kind"],
                number=form.cleaned_data["number"],
                breakdown=form.breakdown(),
                user=request.user,
            ),
        )
    ):
        messages.success(request, _("目標を更新しました。"))
        return redirect("plan:target-edit", target_id=target.pk)
    return render(
        request,
        "plan/staff/target_edit.html",
        {
            "target": target,
            "plan": target.row.item.measure.strategy.plan,
            "form": form,
            "history": history_of(target),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*access.EDITORS)
def next_period(request: HttpRequest, slug: str) -> HttpResponse:
    """Start the next plan period from this one."""
    source = get_object_or_404(ActionPlan, slug=slug)
    current = FiscalYear.current()
    first = max(current.year, source.last_fy + 1)
    form = NextPeriodForm(
        request.POST or None,
        initial={
            "first_fy": first,
            "last_fy": first + (source.last_fy - source.first_fy),
            "slug": f"{source.slug.rsplit('-', 1)[0]}-{first}",
            "title_ja": source.title_ja,
            "title_en": source.title_en,
        },
    )
    data = form.cleaned_data if request.method == "POST" and form.is_valid() else None
    plan = data and _submit(
        form,
        lambda: services.start_next_period(
            source=source,
            slug=data["slug"],
            first_fy=data["first_fy"],
            last_fy=data["last_fy"],
            title={"ja": data["title_ja"], "en": data.get("title_en") or ""},
            user=request.user,
        ),
    )
    if plan:
        messages.success(request, _("次期計画を作成しました。目標を見直してください。"))
        return redirect("plan:dashboard-plan", slug=plan.slug)
    return render(
        request,
        "plan/staff/next_period.html",
        {"source": source, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@role_required(*access.READERS)
def compare(request: HttpRequest) -> HttpResponse:
    """Two plan periods side by side, row by row."""
    all_plans = list(selectors.plans())
    later = next((p for p in all_plans if p.slug == request.GET.get("later")), None)
    earlier = next((p for p in all_plans if p.slug == request.GET.get("earlier")), None)
    if later is None and all_plans:
        later = all_plans[0]
    if earlier is None and later is not None:
        earlier = later.source or next((p for p in all_plans if p.first_fy < later.first_fy), None)
    rows = []
    earlier_progress = later_progress = None
    if earlier is not None and later is not None:
        reader = selectors.IndicatorReader()
        earlier_progress = selectors.plan_progress(earlier, reader=reader)
        later_progress = selectors.plan_progress(later, reader=reader)
        rows = selectors.compare_periods(earlier_progress, later_progress)
    return render(
        request,
        "plan/staff/compare.html",
        {
            "plans": all_plans,
            "earlier": earlier_progress,
            "later": later_progress,
            "rows": rows,
        },
    )


@require_GET
@role_required(*access.READERS)
def indicator_list(request: HttpRequest) -> HttpResponse:
    """Every registered indicator, with a chart across the fiscal years of every plan."""
    all_plans = list(selectors.plans())
    today = FiscalYear.current()
    first = min([p.first_fy for p in all_plans] or [today.year])
    last = max([p.last_fy for p in all_plans] + [today.year])
    years = FiscalYear.span(first, min(last, today.year))
    series = selectors.indicator_series(years)
    for entry in series:
        entry.chart = charts.bar_chart(  # type: ignore[attr-defined]
            chart_id=f"indicator-{entry.indicator.code}",
            title=str(entry.indicator.label),
            points=[
                charts.Point(label=fy.label(request.LANGUAGE_CODE), value=m.value if m else None)
                for fy, m in entry.points
            ],
        )
    return render(request, "plan/staff/indicators.html", {"series": series, "years": years})


# --- Staff: exports ------------------------------------------------------------------------------


@require_GET
@role_required(*access.READERS)
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    progress = selectors.plan_progress(_plan_or_404(slug))
    response = HttpResponse(exports.xlsx_bytes(progress), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(
        f"{progress.plan.slug} {EXPORT_NAME}.xlsx"
    )
    return response


@require_GET
@role_required(*access.READERS)
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    progress = selectors.plan_progress(_plan_or_404(slug))
    header, rows = exports.csv_rows(progress)
    return csv_response(header, rows, f"{progress.plan.slug} {EXPORT_NAME}.csv")


@require_GET
@role_required(*access.READERS)
def export_pdf(request: HttpRequest, slug: str, fy: int) -> HttpResponse:
    plan = _plan_or_404(slug)
    try:
        fiscal_year = FiscalYear(fy)
    except ValueError:
        raise Http404 from None
    if not plan.first_fy <= fiscal_year.year <= plan.last_fy:
        raise Http404
    with translation.override("ja"):  # the report goes to the council in Japanese
        progress = selectors.plan_progress(plan)
        content = exports.pdf_report(progress, fiscal_year)
        filename = f"{exports.report_title(fiscal_year)}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename)
    return response


# --- Public --------------------------------------------------------------------------------------


@require_GET
def public(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """/plan/: what a resident or councillor reads — the plan, its targets, actuals and charts."""
    plan = _plan_or_404(slug)
    progress = _with_charts(selectors.plan_progress(plan))
    return render(
        request,
        "plan/public/plan.html",
        {
            "progress": progress,
            "plans": selectors.plans(),
            "today_label": fy_label(progress.today),
            "licence": settings.SHOKO_OPEN_DATA_LICENCE,
        },
    )


@require_GET
def open_data_csv(request: HttpRequest, slug: str) -> HttpResponse:
    progress = selectors.plan_progress(_plan_or_404(slug))
    header, rows = exports.csv_rows(progress)
    response = csv_response(header, rows, f"{progress.plan.slug}.csv")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def open_data_json(request: HttpRequest, slug: str) -> JsonResponse:
    progress = selectors.plan_progress(_plan_or_404(slug))
    response = JsonResponse(exports.open_data(progress), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response

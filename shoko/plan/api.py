"""Plan read API (/api/v1/plan/…): plans, measures, items, targets, and actuals per fiscal year.

Staff who may read the dashboard (officials and consultants) may read the API; texts come in the
request's language (``Accept-Language``), falling back to Japanese.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shoko.core.japan import FiscalYear
from shoko.core.permissions import HasRole
from shoko.plan import access, selectors
from shoko.plan.models import ActionPlan, Item, Measure, Target

READ = [HasRole.of(*access.READERS)]


class PlanApi(APIView):
    """Texts in the language the client asks for: ``?lang=en``, else its language cookie or
    ``Accept-Language`` (the API has no language prefix, so Django would otherwise answer in
    Japanese only)."""

    permission_classes = READ

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        wanted = request.GET.get("lang") or translation.get_language_from_request(request)
        if wanted not in dict(settings.LANGUAGES):
            wanted = settings.LANGUAGE_CODE
        with translation.override(wanted):
            return super().dispatch(request, *args, **kwargs)


class PlanOutput(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    first_fy = serializers.IntegerField()
    last_fy = serializers.IntegerField()
    vision_target = serializers.CharField()
    source = serializers.CharField(source="source.slug", allow_null=True, default=None)


class MeasureOutput(serializers.Serializer):
    number = serializers.CharField()
    strategy = serializers.CharField(source="strategy.number")
    title = serializers.CharField()
    description = serializers.CharField()
    divisions = serializers.CharField()
    priority = serializers.BooleanField()


class ItemOutput(serializers.Serializer):
    code = serializers.CharField()
    measure = serializers.CharField(source="measure.number")
    number = serializers.CharField()
    goal = serializers.CharField()
    goal_cell = serializers.CharField()
    description = serializers.CharField()
    priority = serializers.BooleanField()


class TargetOutput(serializers.Serializer):
    id = serializers.IntegerField()
    row = serializers.IntegerField(source="row_id")
    row_label = serializers.CharField(source="row.label")
    item = serializers.CharField(source="row.item.code")
    column = serializers.CharField()
    fiscal_year = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()
    kind = serializers.CharField()
    number = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField()
    breakdown = serializers.DictField(child=serializers.IntegerField())


class ActualOutput(serializers.Serializer):
    row = serializers.IntegerField()
    item = serializers.CharField()
    row_label = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    target = serializers.CharField(allow_null=True)
    value = serializers.DecimalField(
        max_digits=20, decimal_places=2, allow_null=True, coerce_to_string=False
    )
    computed = serializers.DecimalField(
        max_digits=20, decimal_places=2, allow_null=True, coerce_to_string=False
    )
    manual = serializers.IntegerField(allow_null=True)
    breakdown = serializers.DictField(child=serializers.IntegerField())
    status = serializers.CharField(allow_null=True)
    indicators = serializers.ListField(child=serializers.CharField())
    evidence_count = serializers.IntegerField()


class PlanListApi(PlanApi, ListAPIView):
    """Every action plan (plan periods), newest first."""

    serializer_class = PlanOutput

    def get_queryset(self) -> Any:
        return selectors.plans().select_related("source")


class PlanDetailApi(PlanApi):
    @extend_schema(responses=PlanOutput, summary="One action plan")
    def get(self, request: Request, slug: str) -> Response:
        plan = get_object_or_404(ActionPlan.objects.select_related("source"), slug=slug)
        return Response(PlanOutput(plan).data)


class MeasureListApi(PlanApi):
    @extend_schema(responses=MeasureOutput(many=True), summary="The measures of a plan (13-1 …)")
    def get(self, request: Request, slug: str) -> Response:
        plan = get_object_or_404(ActionPlan, slug=slug)
        measures = Measure.objects.filter(strategy__plan=plan).select_related("strategy")
        return Response(
            MeasureOutput(measures.order_by("strategy__position", "position"), many=True).data
        )


class ItemListApi(PlanApi):
    @extend_schema(responses=ItemOutput(many=True), summary="The items of a plan (13-1(1) …)")
    def get(self, request: Request, slug: str) -> Response:
        plan = get_object_or_404(ActionPlan, slug=slug)
        items = Item.objects.filter(measure__strategy__plan=plan).select_related("measure")
        items = items.order_by("measure__strategy__position", "measure__position", "position")
        return Response(ItemOutput(items, many=True).data)


class TargetListApi(PlanApi):
    @extend_schema(
        responses=TargetOutput(many=True),
        summary="Every cell of a plan's table: baselines, yearly targets and totals",
    )
    def get(self, request: Request, slug: str) -> Response:
        plan = get_object_or_404(ActionPlan, slug=slug)
        targets = (
            Target.objects.filter(row__item__measure__strategy__plan=plan)
            .select_related("row__item__measure")
            .order_by(
                "row__item__measure__strategy__position",
                "row__item__measure__position",
                "row__item__position",
                "row__position",
                "column",
                "fiscal_year",
            )
        )
        return Response(TargetOutput(targets, many=True).data)


class ActualListApi(PlanApi):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "fy", OpenApiTypes.INT, description="fiscal year, e.g. 2019 (default: all)"
            )
        ],
        responses=ActualOutput(many=True),
        summary="Actuals and statuses per target row and fiscal year",
    )
    def get(self, request: Request, slug: str) -> Response:
        plan = get_object_or_404(ActionPlan, slug=slug)
        wanted = request.query_params.get("fy")
        if wanted is not None:
            try:
                wanted_fy = FiscalYear(int(wanted))
            except (TypeError, ValueError):
                raise ValidationError({"fy": "a fiscal year such as 2019"}) from None
            if not plan.first_fy <= wanted_fy.year <= plan.last_fy:
                raise ValidationError({"fy": "outside the plan's period"})
        progress = selectors.plan_progress(plan)
        data = [
            {
                "row": row.row.pk,
                "item": row.row.item.code,
                "row_label": row.row.label,
                "fiscal_year": actual.fiscal_year.year,
                "target": actual.target.text if actual.target else None,
                "value": actual.value,
                "computed": actual.computed.value if actual.computed else None,
                "manual": actual.manual.value if actual.manual else None,
                "breakdown": actual.breakdown,
                "status": actual.status.value if actual.status else None,
                "indicators": list(row.row.indicator_codes),
                "evidence_count": len(actual.computed.evidence) if actual.computed else 0,
            }
            for row in progress.rows
            for actual in row.actuals
            if wanted is None or actual.fiscal_year.year == int(wanted)
        ]
        return Response(ActualOutput(data, many=True).data)

"""Programmes API: open programmes, and applications — each applicant sees their own
organisations' (another business's application is 404), officials see all. The workflow's
moves are POST endpoints that call the same services as the screens."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from shoko.core.permissions import get_for_user_or_404
from shoko.directory.models import Business, Shop, ShoppingStreet, VacantShop
from shoko.programmes import selectors, services
from shoko.programmes.models import Application, Programme, Stage, Status
from shoko.programmes.workflow import TRANSITIONS


def _raise_as_api_error(error: DjangoValidationError) -> None:
    detail = error.message_dict if hasattr(error, "error_dict") else error.messages
    raise ValidationError(detail) from error


class ProgrammeOutput(serializers.ModelSerializer):
    name = serializers.CharField()
    summary = serializers.CharField()
    rate = serializers.CharField(source="rate_label")
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "code",
            "name",
            "summary",
            "plan_item",
            "division",
            "subject",
            "rate",
            "cap_yen",
            "minimum_expense_yen",
            "rounding_unit",
            "rounding",
            "report_due_days",
            "is_open",
        ]

    def get_is_open(self, programme: Programme) -> bool:
        return selectors.window_open_on(programme, timezone.localdate()) is not None


@extend_schema_view(
    list=extend_schema(summary="Published programmes, with whether each is open today"),
    retrieve=extend_schema(summary="One programme"),
)
class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProgrammeOutput
    permission_classes = [IsAuthenticated]
    lookup_field = "code"

    def get_queryset(self) -> Any:
        return selectors.published_programmes()


class ExpenseOutput(serializers.Serializer):
    stage = serializers.CharField()
    category = serializers.CharField(source="category.code")
    description = serializers.CharField()
    amount_yen = serializers.IntegerField()


STATUS_HELP = "One of: " + ", ".join(Status.values) + " (status_label: in the reader's language)"


class ApplicationOutput(serializers.ModelSerializer):
    # A plain string: an enum named "status" would collide with the directory's in the schema.
    status = serializers.CharField(help_text=STATUS_HELP)
    programme = serializers.CharField(source="programme.code")
    programme_name = serializers.CharField(source="programme.name")
    status_label = serializers.CharField(source="get_status_display")
    area = serializers.CharField(source="area.code", allow_null=True, default=None)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "programme",
            "programme_name",
            "fiscal_year",
            "business",
            "applicant_name",
            "title",
            "status",
            "status_label",
            "eligible_expense_yen",
            "requested_yen",
            "approved_yen",
            "report_requested_yen",
            "confirmed_yen",
            "paid_yen",
            "submitted_at",
            "decided_at",
            "filed_by_proxy",
            "area",
        ]


class ApplicationDetailOutput(ApplicationOutput):
    expenses = ExpenseOutput(many=True)
    transitions = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    notices = serializers.SerializerMethodField()

    class Meta(ApplicationOutput.Meta):
        fields = [
            *ApplicationOutput.Meta.fields,
            "summary",
            "planned_start",
            "planned_end",
            "representative_name",
            "postal_code",
            "address",
            "phone",
            "email",
            "answers",
            "completed_on",
            "report_due_on",
            "paid_on",
            "last_comment",
            "expenses",
            "transitions",
            "available_transitions",
            "notices",
        ]

    def get_transitions(self, application: Application) -> list[dict[str, Any]]:
        return [
            {
                "transition": log.transition,
                "from": log.from_status,
                "to": log.to_status,
                "at": log.acted_at,
                "on_behalf": log.on_behalf,
                "comment": log.comment,
                "amount_yen": log.amount_yen,
            }
            for log in application.transitions.all()
        ]

    def get_available_transitions(self, application: Application) -> list[str]:
        user = self.context["request"].user
        return [t.name for t in selectors.available_transitions(user, application)]

    def get_notices(self, application: Application) -> list[dict[str, Any]]:
        return [
            {
                "kind": notice.kind,
                "number": notice.number,
                "amount_yen": notice.amount_yen,
                "url": reverse("programmes:notice", args=[notice.pk]),
            }
            for notice in application.notices.all()
        ]


class ApplicationCreateInput(serializers.Serializer):
    programme = serializers.SlugField()
    business = serializers.IntegerField()


class ExpenseInput(serializers.Serializer):
    category = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    amount = serializers.CharField(
        help_text="Yen as people type it: 1,200,000 / １２０万円 / ¥1200000"
    )


class ApplicationUpdateInput(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True)
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)
    applicant_name = serializers.CharField(required=False, max_length=200)
    representative_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    postal_code = serializers.CharField(required=False, allow_blank=True, max_length=30)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    email = serializers.EmailField(required=False, allow_blank=True)
    shop = serializers.IntegerField(required=False, allow_null=True)
    street = serializers.IntegerField(required=False, allow_null=True)
    vacant_shop = serializers.IntegerField(required=False, allow_null=True)
    expenses = ExpenseInput(many=True, required=False)
    answers = serializers.DictField(required=False)


DOCUMENT_OUTPUT = inline_serializer(
    "DocumentOutput",
    {
        "id": serializers.IntegerField(),
        "version": serializers.IntegerField(),
        "kind": serializers.CharField(),
        "size": serializers.IntegerField(),
    },
)


class TransitionInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    amount = serializers.CharField(required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None)


class DocumentInput(serializers.Serializer):
    requirement = serializers.SlugField(help_text="The document's code, e.g. quote")
    file = serializers.FileField()


def _related(model: Any, pk: int | None, *, field: str) -> Any:
    if pk is None:
        return None
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist:
        raise ValidationError({field: ["not found"]}) from None


@extend_schema_view(
    list=extend_schema(
        summary="Applications: the applicant's own organisations' (officials: all)",
        parameters=[
            OpenApiParameter("programme", str, description="programme code"),
            OpenApiParameter("fiscal_year", int),
            OpenApiParameter("status", str),
        ],
    ),
    retrieve=extend_schema(summary="One application (404 for another business's)"),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        qs = selectors.applications_for_user(self.request.user)
        params = self.request.query_params
        if params.get("programme"):
            qs = qs.filter(programme__code=params["programme"])
        if (params.get("fiscal_year") or "").isdigit():
            qs = qs.filter(fiscal_year=int(params["fiscal_year"]))
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if self.action != "list":
            qs = qs.prefetch_related("expenses__category", "transitions", "notices")
        return qs.order_by("-created_at", "-pk")

    def get_serializer_class(self) -> Any:
        return ApplicationOutput if self.action == "list" else ApplicationDetailOutput

    def _detail(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=application.pk)
        return Response(
            ApplicationDetailOutput(fresh, context={"request": self.request}).data, status=code
        )

    @extend_schema(
        request=ApplicationCreateInput,
        responses={201: ApplicationDetailOutput},
        summary="Start a draft (prefilled from the business record); staff: on its behalf",
    )
    def create(self, request: Request) -> Response:
        data = ApplicationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        programme = get_object_or_404(
            Programme, code=data.validated_data["programme"], is_published=True
        )
        business = get_for_user_or_404(
            Business.objects.all(), request.user, pk=data.validated_data["business"]
        )
        try:
            application = services.create_application(
                actor=request.user, programme=programme, business=business
            )
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(
        request=ApplicationUpdateInput,
        responses=ApplicationDetailOutput,
        summary="Save a draft or a returned application (amounts as people type them)",
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        data = ApplicationUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        expenses = fields.pop("expenses", None)
        answers = fields.pop("answers", None)
        for name, model in (
            ("shop", Shop),
            ("street", ShoppingStreet),
            ("vacant_shop", VacantShop),
        ):
            if name in fields:
                fields[name] = _related(model, fields[name], field=name)
        try:
            services.update_application(
                actor=request.user,
                application=application,
                data=fields,
                expenses=[dict(e) for e in expenses] if expenses is not None else None,
                answers=answers,
            )
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return self._detail(application)

    @extend_schema(
        request={"multipart/form-data": DocumentInput},
        responses={201: DOCUMENT_OUTPUT},
        summary="Upload a document (checked by content, size and virus scan; versions kept)",
    )
    @action(detail=True, methods=["post"])
    def documents(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        data = DocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        requirement = get_object_or_404(
            application.programme.required_documents, code=data.validated_data["requirement"]
        )
        try:
            document = services.upload_document(
                actor=request.user,
                application=application,
                requirement=requirement,
                upload=data.validated_data["file"],
            )
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return Response(
            {
                "id": document.pk,
                "version": document.version,
                "kind": document.kind,
                "size": document.size,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=TransitionInput,
        responses=ApplicationDetailOutput,
        parameters=[
            OpenApiParameter(
                "name",
                str,
                OpenApiParameter.PATH,
                enum=list(TRANSITIONS),
                description="submit, return, resubmit, start_review, approve, reject, withdraw, "
                "complete_work, submit_report, confirm_amount, pay",
            )
        ],
        summary="Move the application along the workflow (who may is checked by the service)",
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request: Request, pk: str | None = None, name: str = "") -> Response:
        application = self.get_object()
        if name not in TRANSITIONS:
            return Response({"detail": "unknown transition"}, status=status.HTTP_404_NOT_FOUND)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            services.run_transition(
                name,
                actor=request.user,
                application=application,
                comment=values["comment"],
                amount=values["amount"],
                on=values["date"],
            )
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return self._detail(application)


__all__ = ["ApplicationViewSet", "ProgrammeViewSet", "Stage"]

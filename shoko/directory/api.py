"""Directory API: staff CRUD of businesses, streets, shops and vacant shops, and the public,
anonymous (throttled) read of published streets and shops. Writes go through services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from shoko.core.audit import acting_as
from shoko.core.permissions import HasRole
from shoko.core.roles import OFFICIAL_ROLES
from shoko.core.translation import translated_field_names
from shoko.directory import hours, selectors, services
from shoko.directory.fields import ChoiceSetField, has_choice
from shoko.directory.geo import clean_geometry
from shoko.directory.imports import columns
from shoko.directory.models import Business, Shop, ShoppingStreet, VacantShop

DELETE_PROTECTED_MESSAGE = "この記録には他の記録（個店など）がつながっているため削除できません。"


class ChoiceSetSerializerField(serializers.MultipleChoiceField):
    def to_representation(self, value: Any) -> list[str]:
        return sorted(value or [])

    def to_internal_value(self, data: Any) -> list[str]:
        return sorted(super().to_internal_value(data))


class ServiceSerializer(serializers.ModelSerializer):
    """Validates shapes only; services normalise codes and validate the record."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
    }

    def build_standard_field(self, field_name: str, model_field: Any) -> Any:
        if isinstance(model_field, ChoiceSetField):
            return ChoiceSetSerializerField, {
                "choices": model_field.set_choices,
                "required": False,
            }
        cls, kwargs = super().build_standard_field(field_name, model_field)
        if field_name in ("postal_code", "phone", "corporate_number"):
            kwargs["max_length"] = 30
            kwargs["validators"] = []
        return cls, kwargs

    def _run(self, call: Any, **kwargs: Any) -> Any:
        try:
            return call(actor=self.context["request"].user, data=self.service_data(), **kwargs)
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc

    def service_data(self) -> dict[str, Any]:
        return dict(self.validated_data)


class BusinessSerializer(ServiceSerializer):
    industry_code = serializers.CharField(required=False, allow_blank=True, write_only=True)
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Business
        fields = [
            "id",
            "name",
            "name_kana",
            "legal_form",
            "corporate_number",
            "representative_name",
            "representative_title",
            "postal_code",
            "address",
            "building",
            "phone",
            "email",
            "website",
            "industry",
            "industry_code",
            "employees",
            "capital_yen",
            "founded_on",
            "is_startup",
            "startup_since",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []

    def validate_industry_code(self, value: str) -> Any:
        try:
            return selectors.resolve_industry(value)
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def service_data(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        if "industry_code" in data:
            data["industry"] = data.pop("industry_code")
        return data

    def create(self, validated_data: dict[str, Any]) -> Business:
        return self._run(services.create_business)

    def update(self, instance: Business, validated_data: dict[str, Any]) -> Business:
        return self._run(services.update_business, business=instance)


class StreetSerializer(ServiceSerializer):
    area = serializers.SlugRelatedField(
        slug_field="code", queryset=selectors.areas(), required=False, allow_null=True
    )

    class Meta:
        model = ShoppingStreet
        fields = [
            "id",
            *translated_field_names("name"),
            "name",
            "name_kana",
            "association",
            "area",
            "nearest_stations",
            "latitude",
            "longitude",
            "geometry",
            "concepts",
            "member_count",
            *translated_field_names("description"),
            "website",
            "social_links",
            "is_published",
        ]
        read_only_fields = ["name"]

    def validate_geometry(self, value: Any) -> Any:
        try:
            return columns.geometry(value) if isinstance(value, str) else services_geometry(value)
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def create(self, validated_data: dict[str, Any]) -> ShoppingStreet:
        return self._run(services.create_street)

    def update(self, instance: ShoppingStreet, validated_data: dict[str, Any]) -> ShoppingStreet:
        return self._run(services.update_street, street=instance)


def services_geometry(value: Any) -> Any:
    return clean_geometry(value)


class HoursMixin(serializers.Serializer):
    opening_hours = serializers.CharField(required=False, allow_blank=True)
    opening_exceptions = serializers.CharField(required=False, allow_blank=True)

    def validate_opening_hours(self, value: str) -> str:
        try:
            return hours.format_weekly(hours.parse_weekly(value))
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def validate_opening_exceptions(self, value: str) -> str:
        try:
            return hours.format_exceptions(hours.parse_exceptions(value))
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def to_representation(self, instance: Shop) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["opening_hours"] = hours.format_weekly(hours.weekly_of(instance))
        data["opening_exceptions"] = hours.format_exceptions(hours.exceptions_of(instance))
        return data


class ShopSerializer(HoursMixin, ServiceSerializer):
    class Meta:
        model = Shop
        fields = [
            "id",
            "business",
            "street",
            "is_association_member",
            *translated_field_names("name"),
            "name",
            "name_kana",
            *translated_field_names("description"),
            "category",
            "postal_code",
            "address",
            "building",
            "latitude",
            "longitude",
            "phone",
            "website",
            "price_range",
            "opening_hours",
            "opening_exceptions",
            *translated_field_names("hours_note"),
            "spoken_languages",
            "menu_languages",
            "payment_methods",
            "dietary_options",
            "tax_free",
            "free_wifi",
            "step_free_entrance",
            "accessible_toilet",
            "conveniences_verified_on",
            "published_at",
        ]
        read_only_fields = ["name", "published_at"]

    def validate_spoken_languages(self, value: Any) -> dict[str, str]:
        text = value if isinstance(value, str) else columns.spoken_cell(value or {})
        try:
            return columns.spoken(text)
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def create(self, validated_data: dict[str, Any]) -> Shop:
        return self._run(services.create_shop)

    def update(self, instance: Shop, validated_data: dict[str, Any]) -> Shop:
        return self._run(services.update_shop, shop=instance)


class VacantShopSerializer(ServiceSerializer):
    class Meta:
        model = VacantShop
        fields = [
            "id",
            "street",
            "postal_code",
            "address",
            "building",
            "latitude",
            "longitude",
            "floor_area_m2",
            "floor",
            "rent_yen",
            "deposit_yen",
            "former_use",
            "available_from",
            "status",
            "owner_name",
            "owner_contact",
            "notes",
        ]

    def create(self, validated_data: dict[str, Any]) -> VacantShop:
        return self._run(services.create_vacant_shop)

    def update(self, instance: VacantShop, validated_data: dict[str, Any]) -> VacantShop:
        return self._run(services.update_vacant_shop, vacant_shop=instance)


class StaffViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [HasRole.of(*OFFICIAL_ROLES)]

    def perform_destroy(self, instance: Any) -> None:
        try:
            with acting_as(self.request.user):
                instance.delete()
        except ProtectedError as exc:
            raise ValidationError(DELETE_PROTECTED_MESSAGE) from exc

    def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        self.perform_destroy(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


Q_PARAM = OpenApiParameter("q", str, description="検索語（かな・全角半角を区別しない）")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            Q_PARAM,
            OpenApiParameter("legal_form", str),
            OpenApiParameter("industry", str),
        ]
    )
)
class BusinessViewSet(StaffViewSet):
    serializer_class = BusinessSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.businesses(
            q=p.get("q"), legal_form=p.get("legal_form"), industry=p.get("industry")
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[Q_PARAM, OpenApiParameter("area", str), OpenApiParameter("concept", str)]
    )
)
class StreetViewSet(StaffViewSet):
    serializer_class = StreetSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.streets(q=p.get("q"), area=p.get("area"), concept=p.get("concept"))


def _flag(value: str | None) -> bool | None:
    return {"1": True, "true": True, "0": False, "false": False}.get((value or "").lower())


SHOP_FILTERS = [
    Q_PARAM,
    OpenApiParameter("street", int),
    OpenApiParameter("area", str),
    OpenApiParameter("category", str),
    OpenApiParameter("payment", str),
    OpenApiParameter("menu_language", str),
    OpenApiParameter("speaks", str),
    OpenApiParameter("tax_free", bool),
    OpenApiParameter("free_wifi", bool),
    OpenApiParameter("step_free", bool),
]


def _shop_filters(p: Any) -> dict[str, Any]:
    return {
        "q": p.get("q"),
        "street": p.get("street"),
        "area": p.get("area"),
        "category": p.get("category"),
        "payment": p.get("payment"),
        "menu_language": p.get("menu_language"),
        "speaks": p.get("speaks"),
        "tax_free": _flag(p.get("tax_free")),
        "free_wifi": _flag(p.get("free_wifi")),
        "step_free": _flag(p.get("step_free")),
    }


@extend_schema_view(
    list=extend_schema(parameters=[*SHOP_FILTERS, OpenApiParameter("published", bool)])
)
class ShopViewSet(StaffViewSet):
    serializer_class = ShopSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.with_hours(
            selectors.shops(**_shop_filters(p), published=_flag(p.get("published")))
        )


@extend_schema_view(list=extend_schema(parameters=[Q_PARAM, OpenApiParameter("status", str)]))
class VacantShopViewSet(StaffViewSet):
    serializer_class = VacantShopSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.vacant_shops(q=p.get("q"), status=p.get("status"))


# --- Public read ------------------------------------------------------------------------------------  # noqa: E501


class PublicStreetSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True, default="")
    shop_count = serializers.IntegerField(read_only=True)
    stations = serializers.ListField(source="station_list", read_only=True)

    class Meta:
        model = ShoppingStreet
        fields = [
            "id",
            "name",
            "name_kana",
            "area",
            "area_name",
            "stations",
            "latitude",
            "longitude",
            "geometry",
            "concepts",
            "description",
            "website",
            "social_links",
            "shop_count",
            "translation_states",
        ]


class PublicShopSerializer(serializers.ModelSerializer):
    street = serializers.PrimaryKeyRelatedField(read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True, default="")
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    opening_hours_specification = serializers.SerializerMethodField()
    payment_methods = serializers.ListField(child=serializers.CharField(), read_only=True)
    menu_languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    dietary_options = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Shop
        fields = [
            "id",
            "name",
            "name_kana",
            "description",
            "street",
            "street_name",
            "category",
            "address",
            "building",
            "latitude",
            "longitude",
            "phone",
            "website",
            "price_range",
            "hours_note",
            "opening_hours_specification",
            "spoken_languages",
            "menu_languages",
            "payment_methods",
            "dietary_options",
            "tax_free",
            "free_wifi",
            "step_free_entrance",
            "accessible_toilet",
            "conveniences_verified_on",
            "translation_states",
        ]

    def get_opening_hours_specification(self, shop: Shop) -> list[dict[str, Any]]:
        return hours.opening_hours_specification(shop)


class PublicThrottle(AnonRateThrottle):
    scope = "anon"


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("area", str), OpenApiParameter("concept", str)])
)
class PublicStreetViewSet(viewsets.ReadOnlyModelViewSet):
    """Published shopping streets (anyone; throttled)."""

    serializer_class = PublicStreetSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [PublicThrottle, UserRateThrottle]

    def get_queryset(self) -> Any:
        qs = selectors.public_streets()
        p = self.request.query_params
        if p.get("area"):
            qs = qs.filter(area__code=p["area"])
        if p.get("concept"):
            qs = qs.filter(has_choice("concepts", p["concept"]))
        return qs


@extend_schema_view(list=extend_schema(parameters=SHOP_FILTERS))
class PublicShopViewSet(viewsets.ReadOnlyModelViewSet):
    """Published shops with visitor conveniences and opening hours (anyone; throttled)."""

    serializer_class = PublicShopSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [PublicThrottle, UserRateThrottle]

    def get_queryset(self) -> Any:
        filters = _shop_filters(self.request.query_params)
        return selectors.with_hours(selectors.shops(**filters).public())

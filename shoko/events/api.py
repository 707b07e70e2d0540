"""Events API: the public event list and registration (for scripts and other front ends), the
business's own registrations, and staff lists and check-in. Thin: the services decide."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shoko.core.permissions import HasRole
from shoko.core.roles import OFFICIAL_ROLES
from shoko.events import ratelimit, selectors, services
from shoko.events.models import Event, Question, Registration, Session
from shoko.events.views.public import RATE_LIMITED


def _error_response(error: ValidationError) -> Response:
    body: dict[str, Any] = {"detail": str(error.messages[0])}
    if hasattr(error, "error_dict"):
        body["errors"] = {name: [str(m) for m in e.messages] for name, e in _dict(error).items()}
        body["code"] = "invalid"
    else:
        body["code"] = error.code or "invalid"
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _dict(error: ValidationError) -> dict[str, ValidationError]:
    return {name: ValidationError(errors) for name, errors in error.error_dict.items()}


class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    free_seats = serializers.IntegerField()
    status = serializers.CharField()
    areas = serializers.SerializerMethodField()

    def get_areas(self, session: Session) -> list[str]:
        return [a.area for a in session.areas.all()]


class EventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    programme = serializers.CharField()
    plan_item = serializers.CharField()
    fee = serializers.IntegerField()
    venue = serializers.CharField(source="venue.name", default=None)
    address = serializers.CharField(source="venue.address", default=None)
    organiser = serializers.CharField(source="organiser_name")
    sessions = SessionOutput(source="upcoming", many=True)


class EventListApi(ListAPIView):
    """Public events with sessions still to come, soonest first."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = EventOutput

    def get_queryset(self) -> Any:
        kind = self.request.query_params.get("kind") or None
        return selectors.public_events(kind=kind)


class EventDetailOutput(EventOutput):
    sessions = SessionOutput(source="all_sessions", many=True)


class EventDetailApi(RetrieveAPIView):
    """One public event (as its page shows it, past ones too) with all its sessions,
    cancelled ones included; 404 for an event the public may not see."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = EventDetailOutput

    def get_object(self) -> Event:
        try:
            return selectors.public_event(self.kwargs["pk"])
        except Event.DoesNotExist as exc:
            raise Http404 from exc


class RegistrationInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    full_name_kana = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254)
    phone = serializers.CharField(max_length=30)
    business_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    seats = serializers.IntegerField(required=False, default=1)
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], required=False
    )


class RegistrationResult(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    status = serializers.ChoiceField(choices=["confirmed", "waitlisted"], required=False)
    seats = serializers.IntegerField(required=False)
    waitlist_position = serializers.IntegerField(required=False, allow_null=True)
    duplicate = serializers.BooleanField(required=False)
    detail = serializers.CharField(required=False)


class PublicRegistrationApi(APIView):
    """Sign up for a session without an account (rate-limited per address and session).

    201 with ``status`` ``confirmed`` or ``waitlisted``; 200 with ``duplicate`` when this
    address already signed up (the earlier registration stands; its link is in their email).
    """

    permission_classes = [AllowAny]
    # No session authentication, hence no CSRF: this is the endpoint for scripts and apps.
    authentication_classes: list[Any] = []

    @extend_schema(
        request=RegistrationInput,
        responses={201: RegistrationResult, 200: RegistrationResult},
        summary="Register for a session",
    )
    def post(self, request: Request, pk: int) -> Response:
        # API addresses carry no language prefix: answer in the caller's Accept-Language.
        with translation.override(
            translation.get_language_from_request(request._request, check_path=False)
        ):
            return self._register(request, pk)

    def _register(self, request: Request, pk: int) -> Response:
        session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
        allowed, retry_after = ratelimit.allow_registration(request._request, session.pk)
        if not allowed:
            return Response(
                {"detail": str(RATE_LIMITED)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(retry_after)},
            )
        data_in = RegistrationInput(data=request.data)
        if not data_in.is_valid():
            return Response(
                {"detail": "invalid", "errors": data_in.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = data_in.validated_data
        language = data.get("language") or translation.get_language() or "ja"
        try:
            registrant = services.clean_registrant(
                full_name=data["full_name"],
                full_name_kana=data.get("full_name_kana", ""),
                email=data["email"],
                phone=data["phone"],
                business_name=data.get("business_name", ""),
                language=language,
                require_kana=language == "ja",
            )
            answers = services.clean_answers(
                selectors.questions_for(session.event, Question.Purpose.SIGNUP),
                data.get("answers") or {},
            )
            outcome = services.register(
                session_id=session.pk, registrant=registrant, seats=data["seats"], answers=answers
            )
        except ValidationError as error:
            return _error_response(error)
        if not outcome.created:
            return Response(
                {"duplicate": True, "detail": str(services.ALREADY_REGISTERED)},
                status=status.HTTP_200_OK,
            )
        registration = outcome.registration
        return Response(
            {
                "id": registration.pk,
                "status": registration.status,
                "seats": registration.seats,
                "waitlist_position": selectors.waitlist_position(registration),
            },
            status=status.HTTP_201_CREATED,
        )


class RegistrationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    event = serializers.CharField(source="session.event.title")
    starts_at = serializers.DateTimeField(source="session.starts_at")
    status = serializers.CharField()
    seats = serializers.IntegerField()
    full_name = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name", default=None)
    attendance = serializers.CharField()


class MyRegistrationsApi(ListAPIView):
    """The registrations of the signed-in member's organisations."""

    permission_classes = [IsAuthenticated]
    serializer_class = RegistrationOutput

    def get_queryset(self) -> Any:
        return selectors.bookings_of(self.request.user)


class SessionRegistrationsApi(ListAPIView):
    """Every registration of a session (officials)."""

    permission_classes = [HasRole.of(*OFFICIAL_ROLES)]
    serializer_class = RegistrationOutput

    def get_queryset(self) -> Any:
        session = get_object_or_404(Session, pk=self.kwargs["pk"])
        return (
            Registration.objects.filter(session=session)
            .select_related("session__event", "organisation")
            .order_by("created_at", "pk")
        )


class CheckInInput(serializers.Serializer):
    code = serializers.CharField(max_length=300)


class CheckInOutput(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    seats = serializers.IntegerField()
    already = serializers.BooleanField()


class CheckInApi(APIView):
    """Check a registrant in by the code in their QR (for scanner apps at the door)."""

    permission_classes = [HasRole.of(*OFFICIAL_ROLES)]

    @extend_schema(request=CheckInInput, responses=CheckInOutput, summary="Check in by QR code")
    def post(self, request: Request) -> Response:
        with translation.override(
            translation.get_language_from_request(request._request, check_path=False)
        ):
            return self._check_in(request)

    def _check_in(self, request: Request) -> Response:
        data_in = CheckInInput(data=request.data)
        data_in.is_valid(raise_exception=True)
        code = data_in.validated_data["code"].strip().rstrip("/").rsplit("/", 1)[-1]
        registration = get_object_or_404(Registration, token=code)
        try:
            outcome = services.check_in(registration_id=registration.pk, actor=request.user)
        except ValidationError as error:
            return _error_response(error)
        return Response(
            {
                "id": registration.pk,
                "full_name": registration.full_name,
                "seats": registration.seats,
                "already": outcome.already,
            }
        )

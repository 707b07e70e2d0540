"""Core API: who am I, and a token for scripts."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from shoko.core import permissions, selectors


class MeApi(APIView):
    class MembershipOutput(serializers.Serializer):
        organisation_id = serializers.IntegerField()
        organisation_name = serializers.CharField(source="organisation.name")
        role = serializers.CharField()

    class Output(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        full_name = serializers.CharField()
        preferred_language = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())
        memberships = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses=Output, summary="The signed-in user, their roles and organisations")
    def get(self, request: Request) -> Response:
        user = request.user
        memberships = self.MembershipOutput(selectors.memberships_of(user), many=True).data
        data: dict[str, Any] = {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "roles": sorted(r.value for r in permissions.roles_of(user)),
            "memberships": memberships,
        }
        return Response(self.Output(data).data)


class TokenApi(ObtainAuthToken):
    """Exchange email and password for an API token (throttled like the login form)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

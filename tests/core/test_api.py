"""Scripts and the browser use the same API: session or token, with an OpenAPI schema."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD, member_of

pytestmark = pytest.mark.django_db


def test_me_requires_authentication():
    response = APIClient().get(reverse("api:me"))
    assert response.status_code in (401, 403)


def test_me_shows_roles_and_organisations_with_a_session(client):
    owner = member_of()
    client.force_login(owner)
    data = client.get(reverse("api:me")).json()
    assert data["email"] == owner.email
    assert data["roles"] == ["business_member"]
    assert data["memberships"][0]["organisation_name"] == owner.memberships.get().organisation.name


def test_a_script_gets_a_token_and_uses_it(make_user):
    user = make_user("economy_staff")
    api = APIClient()
    response = api.post(reverse("api:token"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("api:me")).json()["roles"] == ["economy_staff"]


def test_token_with_a_wrong_password_is_refused(make_user):
    user = make_user(None)
    response = APIClient().post(reverse("api:token"), {"username": user.email, "password": "x"})
    assert response.status_code == 400


def test_session_writes_need_csrf(make_user):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(make_user(None))
    # A state-changing request without the CSRF token is refused by SessionAuthentication.
    assert api.post(reverse("api:me"), {}).status_code == 403


def test_openapi_schema_and_docs_are_served_with_local_assets(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/me/" in schema.json()["paths"]
    docs = client.get("/api/docs/").content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', docs)
    assert external == []
    assert "/static/drf_spectacular_sidecar/" in docs

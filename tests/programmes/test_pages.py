"""Every screen of the programmes opens for the people it is for, in both faces."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.programmes.conftest import advance

pytestmark = pytest.mark.django_db


def test_portal_pages_open_for_the_shop_owner(client, owner, draft, programme):
    client.force_login(owner)
    for name, args in [
        ("my-programmes", []),
        ("my-programme", [programme.code]),
        ("my-applications", []),
        ("my-application", [draft.pk]),
        ("my-application-edit", [draft.pk]),
        ("my-application-documents", [draft.pk]),
        ("my-application-preview", [draft.pk]),
    ]:
        response = client.get(reverse(f"programmes:{name}", args=args))
        assert response.status_code == 200, (name, response.content[:2000])


def test_staff_pages_open_for_the_division(client, owner, draft, programme, commerce):
    application = advance(draft, "under_review", owner=owner, staff=commerce)
    client.force_login(commerce)
    for name, args in [
        ("staff-programmes", []),
        ("staff-programme", [programme.code]),
        ("staff-programme-edit", [programme.code]),
        ("staff-budget", [programme.code]),
        ("staff-proxy", [programme.code]),
        ("staff-queue", []),
        ("staff-export", []),
        ("staff-application", [application.pk]),
        ("staff-application-preview", [application.pk]),
    ]:
        response = client.get(reverse(f"programmes:{name}", args=args))
        assert response.status_code == 200, (name, response.content[:3000])


def test_the_admin_edits_a_programmes_lists_and_shows_applications_read_only(
    client, admin_user, draft, programme
):
    client.force_login(admin_user)
    for url in [
        reverse("admin:programmes_programme_changelist"),
        reverse("admin:programmes_programme_change", args=[programme.pk]),
        reverse("admin:programmes_formsection_changelist"),
        reverse("admin:programmes_application_changelist"),
        reverse("admin:programmes_application_change", args=[draft.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:programmes_application_add")).status_code == 403

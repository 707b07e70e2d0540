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


def test_a_questions_help_text_from_staff_is_shown_as_text_not_markup(
    client, owner, draft, programme
):
    """Division staff write question help texts on their screens; the applicant's form must
    show them as text (core's field template treats a form's help_text as trusted markup)."""
    from shoko.programmes.models import FormQuestion

    FormQuestion.objects.filter(section__programme=programme, code="visitors").update(
        help_text_ja='<script>alert("x")</script>平日の<b>平均</b>'
    )
    client.force_login(owner)
    html = client.get(reverse("programmes:my-application-edit", args=[draft.pk])).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;平日の&lt;b&gt;平均&lt;/b&gt;" in html

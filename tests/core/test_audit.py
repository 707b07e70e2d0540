"""Every change to people, organisations and memberships leaves a trail staff can read."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shoko.core.audit import acting_as, history_of
from shoko.core.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_change_in_a_request_records_who_when_what_and_from_where(client, admin_user):
    membership = MembershipFactory(role=Membership.Role.VIEWER)
    client.force_login(admin_user)
    url = reverse("admin:core_organisation_change", args=[membership.organisation.pk])
    response = client.post(
        url,
        {
            "name": "改名後の商店",
            "kind": "business",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": membership.pk,
            "memberships-0-organisation": membership.organisation.pk,
            "memberships-0-user": membership.user.pk,
            "memberships-0-role": "manager",
        },
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = history_of(membership.organisation).first()
    assert entry.actor == admin_user
    assert entry.remote_addr == "203.0.113.7"
    assert entry.changes_dict["name"][1] == "改名後の商店"
    role_change = history_of(membership).first()
    assert role_change.changes_dict["role"] == ["viewer", "manager"]


def test_commands_attribute_changes_with_acting_as(admin_user):
    org = OrganisationFactory()
    with acting_as(admin_user):
        org.name = "一括更新"
        org.save()
    assert history_of(org).first().actor == admin_user


def test_password_hashes_never_enter_the_trail(make_user):
    user = make_user(None)
    user.set_password("another passphrase")
    user.save()
    for entry in LogEntry.objects.get_for_object(user):
        assert "password" not in (entry.changes_dict or {})


def test_audit_page_filters_by_record(client, official):
    a = OrganisationFactory(name="甲商店")
    OrganisationFactory(name="乙商店")
    client.force_login(official)
    html = client.get(
        reverse("core:audit-log"),
        {"object_pk": a.pk, "model": LogEntry.objects.get_for_object(a).first().content_type_id},
    ).content.decode()
    assert "甲商店" in html
    assert "乙商店" not in html


def test_audit_page_rejects_a_backwards_date_range(client, official):
    client.force_login(official)
    html = client.get(
        reverse("core:audit-log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    ).content.decode()
    assert "開始日は終了日より前の日付にしてください" in html


def test_audit_page_query_count_does_not_grow_with_entries(client, official):
    client.force_login(official)
    OrganisationFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("core:audit-log")).status_code == 200
    OrganisationFactory.create_batch(30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("core:audit-log")).status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 12


def test_a_changed_field_named_items_does_not_break_the_audit_pages(client, official):
    from django.contrib.contenttypes.models import ContentType

    org = OrganisationFactory()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(org),
        object_pk=str(org.pk),
        object_repr=str(org),
        action=LogEntry.Action.UPDATE,
        changes={"items": ["1", "2"], "name": ["旧", "新"]},
    )
    client.force_login(official)
    for url in (reverse("core:audit-log"), reverse("core:staff-home")):
        response = client.get(url)
        assert response.status_code == 200
        assert "旧 → 新" in response.content.decode()

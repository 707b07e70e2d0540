"""Who may do what: roles, organisations, and the wrong user trying anyway."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from shoko.core import permissions
from shoko.core.models import Membership
from shoko.core.roles import Role
from tests.factories import MembershipFactory, OrganisationFactory, member_of

pytestmark = pytest.mark.django_db

STAFF_PAGE = "core:staff-home"
AUDIT_PAGE = "core:audit-log"


@pytest.mark.parametrize(
    ("role", "staff_home", "audit"),
    [
        ("admin", 200, 200),
        ("economy_staff", 200, 200),
        ("commerce_staff", 200, 200),
        ("consultant", 200, 403),
        ("judge", 200, 403),
        ("business_member", 403, 403),
        (None, 403, 403),
    ],
)
def test_back_office_pages_by_role(client, make_user, role, staff_home, audit):
    client.force_login(make_user(role))
    assert client.get(reverse(STAFF_PAGE)).status_code == staff_home
    assert client.get(reverse(AUDIT_PAGE)).status_code == audit


@pytest.mark.parametrize("page", [STAFF_PAGE, AUDIT_PAGE, "core:my-home"])
def test_anonymous_visitors_are_sent_to_sign_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_roles_of_a_superuser_are_all_roles(make_user):
    root = make_user(None, is_superuser=True)
    assert permissions.roles_of(root) == frozenset(Role)


def test_inactive_user_holds_no_roles(make_user):
    user = make_user("economy_staff", is_active=False)
    assert permissions.roles_of(user) == frozenset()


def test_a_member_acts_only_for_their_own_organisation(make_user):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    owner = member_of(mine)
    assert permissions.can_act_for(owner, mine)
    assert not permissions.can_act_for(owner, theirs)
    assert not permissions.can_act_for(owner, None)
    official = make_user("commerce_staff")
    assert permissions.can_act_for(official, theirs)
    consultant = make_user("consultant")
    assert not permissions.can_act_for(consultant, theirs)


def test_read_only_members_cannot_edit(make_user):
    org = OrganisationFactory()
    viewer = MembershipFactory(organisation=org, role=Membership.Role.VIEWER).user
    manager = MembershipFactory(organisation=org, role=Membership.Role.MANAGER).user
    assert permissions.can_act_for(viewer, org)
    assert not permissions.can_edit_for(viewer, org)
    assert permissions.can_edit_for(manager, org)


def test_scope_to_user_hides_other_organisations_records(make_user):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    owner = member_of(mine)
    MembershipFactory(organisation=theirs)
    visible = permissions.scope_to_user(Membership.objects.all(), owner)
    assert {m.organisation_id for m in visible} == {mine.pk}
    assert permissions.scope_to_user(Membership.objects.all(), make_user(None)).count() == 0
    assert permissions.scope_to_user(Membership.objects.all(), make_user("admin")).count() == 2


def test_other_organisations_record_is_404_not_403(make_user):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    owner = member_of(mine)
    foreign = MembershipFactory(organisation=theirs)
    with pytest.raises(Http404):
        permissions.get_for_user_or_404(Membership.objects.all(), owner, pk=foreign.pk)


def test_roles_are_groups_with_declared_permissions(make_user):
    from django.contrib.auth.models import Group

    make_user("admin")
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
    staff = make_user("economy_staff")
    assert staff.has_perm("auditlog.view_logentry")
    assert not make_user("business_member").has_perm("auditlog.view_logentry")

"""factory_boy factories for core records; other apps add theirs in tests/<app>/factories.py."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from shoko.core.models import Membership, Organisation, User
from shoko.core.roles import Role, sync_roles

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.jp")
    full_name = factory.Sequence(lambda n: f"利用者 {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"練馬テスト商店 {n}")
    kind = Organisation.Kind.BUSINESS


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MANAGER


def user_with_role(role: str | Role, **kwargs) -> User:
    """A user in the group of ``role`` (groups are synced from the role table first)."""
    if not Group.objects.filter(name=Role(role).value).exists():
        sync_roles()
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=Role(role).value))
    return user


def member_of(organisation: Organisation | None = None, **kwargs) -> User:
    """A business member (role ``business_member``) of ``organisation``."""
    user = user_with_role(Role.BUSINESS_MEMBER, **kwargs)
    MembershipFactory(user=user, organisation=organisation or OrganisationFactory())
    return user

import pytest

from shoko.core.models import Membership
from tests.directory.factories import BusinessFactory
from tests.factories import MembershipFactory, user_with_role


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def business(db):
    return BusinessFactory()


def member(business, role=Membership.Role.MANAGER, **kwargs):
    user = user_with_role("business_member", **kwargs)
    MembershipFactory(user=user, organisation=business.organisation, role=role)
    return user


@pytest.fixture
def owner(business):
    return member(business, Membership.Role.REPRESENTATIVE)

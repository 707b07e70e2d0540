from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from shoko.core import permissions
from shoko.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from shoko.core.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_an_account_per_role_and_prints_them():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for email, _name, role in DEMO_ACCOUNTS:
        assert email in printed
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert permissions.has_role(user, role)


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    before = User.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == before


def test_seed_demo_refuses_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())

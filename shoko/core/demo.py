"""Demo accounts: one per role, so that every face of Shoko can be tried at once."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Group
from django.db import transaction

from shoko.core.models import Membership, Organisation, User
from shoko.core.roles import Role, sync_roles

DEMO_PASSWORD = "shoko-demo-2026"  # noqa: S105 — printed on purpose; demo data only

DEMO_ACCOUNTS: list[tuple[str, str, Role]] = [
    ("admin@demo.shoko.example", "管理 太郎", Role.ADMIN),
    ("economy@demo.shoko.example", "経済 花子", Role.ECONOMY_STAFF),
    ("commerce@demo.shoko.example", "商工 次郎", Role.COMMERCE_STAFF),
    ("consultant@demo.shoko.example", "相談 三郎", Role.CONSULTANT),
    ("judge@demo.shoko.example", "審査 桜", Role.JUDGE),
    ("shop@demo.shoko.example", "練馬 商店主", Role.BUSINESS_MEMBER),
]
DEMO_ORGANISATION = "練馬デモ商店（デモデータ）"


@transaction.atomic
def seed(progress: Callable[[str], None]) -> list[tuple[str, str]]:
    """Create (or refresh) the demo accounts; returns (email, role label) pairs to print."""
    sync_roles()
    printed = []
    for email, name, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.full_name = name
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.save()
        user.groups.add(Group.objects.get(name=role.value))
        printed.append((email, role.label))
        progress(f"  {role.value:<16} {email}")
    shop_owner = User.objects.get(email="shop@demo.shoko.example")
    org, _ = Organisation.objects.get_or_create(
        name=DEMO_ORGANISATION, defaults={"kind": Organisation.Kind.BUSINESS}
    )
    Membership.objects.get_or_create(
        user=shop_owner, organisation=org, defaults={"role": Membership.Role.REPRESENTATIVE}
    )
    return printed

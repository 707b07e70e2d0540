"""Roles (役割) are Django groups with permissions, declared here as data.

Apps add the permissions their models need with ``register_role_permissions`` in ``ready()``;
``sync_roles`` makes the groups match after every migration, so a fresh database and an old one
end up the same.
"""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    ADMIN = "admin"
    ECONOMY_STAFF = "economy_staff"  # 経済課
    COMMERCE_STAFF = "commerce_staff"  # 商工観光課
    CONSULTANT = "consultant"  # 相談員・アドバイザー
    JUDGE = "judge"  # 審査員
    BUSINESS_MEMBER = "business_member"  # 事業者メンバー

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMIN: _("システム管理者"),
    Role.ECONOMY_STAFF: _("経済課職員"),
    Role.COMMERCE_STAFF: _("商工観光課職員"),
    Role.CONSULTANT: _("相談員"),
    Role.JUDGE: _("審査員"),
    Role.BUSINESS_MEMBER: _("事業者メンバー"),
}

#: Roles that work in the back office (/staff/).
STAFF_ROLES = frozenset(
    {Role.ADMIN, Role.ECONOMY_STAFF, Role.COMMERCE_STAFF, Role.CONSULTANT, Role.JUDGE}
)
#: Ward officials who may see and act on every organisation's records.
OFFICIAL_ROLES = frozenset({Role.ADMIN, Role.ECONOMY_STAFF, Role.COMMERCE_STAFF})

_ROLE_PERMISSIONS: dict[Role, set[str]] = defaultdict(set)
_ROLE_PERMISSIONS[Role.ADMIN] |= {
    "core.view_user",
    "core.add_user",
    "core.change_user",
    "core.view_organisation",
    "core.add_organisation",
    "core.change_organisation",
    "core.view_membership",
    "core.add_membership",
    "core.change_membership",
    "core.delete_membership",
    "auditlog.view_logentry",
}
for _official in (Role.ECONOMY_STAFF, Role.COMMERCE_STAFF):
    _ROLE_PERMISSIONS[_official] |= {
        "core.view_organisation",
        "core.add_organisation",
        "core.change_organisation",
        "core.view_membership",
        "core.add_membership",
        "core.change_membership",
        "auditlog.view_logentry",
    }


def register_role_permissions(role: Role, *permissions: str) -> None:
    """Give ``role`` the permissions ``"app_label.codename"``; called from an app's ``ready()``."""
    _ROLE_PERMISSIONS[Role(role)].update(permissions)


def role_permissions() -> dict[Role, frozenset[str]]:
    return {role: frozenset(_ROLE_PERMISSIONS.get(role, set())) for role in Role}


def sync_roles() -> list[str]:
    """Create one group per role and give it exactly its declared permissions.

    Returns the permissions that were declared but do not exist (a typo, or a model not yet
    migrated), so that callers can report them.
    """
    # Apps import roles before the app registry is ready; auth's models only exist after.
    from django.contrib.auth.models import Group, Permission

    missing: list[str] = []
    for role, wanted in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role.value)
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is None:
                missing.append(dotted)
            else:
                perms.append(perm)
        group.permissions.set(perms)
    return missing


def sync_roles_after_migrate(**kwargs: Any) -> None:
    sync_roles()

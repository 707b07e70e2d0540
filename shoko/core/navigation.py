"""Menu entries for the three faces, declared by each app in its ``AppConfig.ready()``.

Apps register instead of editing the base templates, so that adding an app never touches
another app's files::

    navigation.register("staff", PLAN_LABEL, "plan:dashboard", roles=OFFICIAL_ROLES, order=10)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.urls import NoReverseMatch, reverse

from shoko.core.roles import Role

Face = Literal["public", "my", "staff"]


@dataclass(frozen=True)
class NavItem:
    face: Face
    label: Any  # a lazy translation
    url_name: str
    roles: frozenset[Role] | None = None  # None: everyone who can see the face
    order: int = 100


_ITEMS: dict[str, NavItem] = {}


def register(
    face: Face,
    label: Any,
    url_name: str,
    *,
    roles: Iterable[Role | str] | None = None,
    order: int = 100,
) -> None:
    _ITEMS[f"{face}:{url_name}"] = NavItem(
        face=face,
        label=label,
        url_name=url_name,
        roles=frozenset(Role(r) for r in roles) if roles is not None else None,
        order=order,
    )


def items_for(face: Face, user_roles: frozenset[Role], current_url_name: str | None) -> list[dict]:
    entries = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.url_name)):
        if item.face != face or (item.roles is not None and not item.roles & user_roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append(
            {"label": item.label, "url": url, "current": item.url_name == current_url_name}
        )
    return entries

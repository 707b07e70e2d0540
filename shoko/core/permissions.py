"""The one place that answers "may this user do this?" — every view, API view and service asks here.

Two questions cover Shoko: which roles does the user hold, and may the user act for an
organisation. Ward officials act for every organisation; business members only for their own.
Records of other organisations are answered with 404, never 403, so that their existence is not
revealed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from shoko.core.roles import OFFICIAL_ROLES, STAFF_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shoko.core.models import User

    AnyUser = User | AnonymousUser

M = TypeVar("M", bound=Model)

_ROLES_CACHE = "_shoko_roles"
_ORGS_CACHE = "_shoko_organisation_ids"


def roles_of(user: AnyUser | None) -> frozenset[Role]:
    """The roles a user holds (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Role)
        else:
            names = set(user.groups.values_list("name", flat=True))
            cached = frozenset(role for role in Role if role.value in names)
        setattr(user, _ROLES_CACHE, cached)
    return cached


def has_role(user: AnyUser | None, *roles: Role | str) -> bool:
    wanted = {Role(r) for r in roles}
    return bool(roles_of(user) & wanted)


def is_staff_user(user: AnyUser | None) -> bool:
    """Works in the back office: an official, consultant or judge."""
    return bool(roles_of(user) & STAFF_ROLES)


def is_official(user: AnyUser | None) -> bool:
    """A ward official (or admin), who may act on every organisation's records."""
    return bool(roles_of(user) & OFFICIAL_ROLES)


def organisation_ids_of(user: AnyUser | None) -> frozenset[int]:
    """The organisations the user is a member of (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _ORGS_CACHE, None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("organisation_id", flat=True))
        setattr(user, _ORGS_CACHE, cached)
    return cached


def forget_cached_permissions(user: AnyUser) -> None:
    """Call after changing a user's groups or memberships within the same request."""
    for attr in (_ROLES_CACHE, _ORGS_CACHE):
        if hasattr(user, attr):
            delattr(user, attr)


def is_member_of(user: AnyUser | None, organisation: Model | int | None) -> bool:
    if organisation is None:
        return False
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return org_id in organisation_ids_of(user)


def can_act_for(user: AnyUser | None, organisation: Model | int | None) -> bool:
    """May ``user`` see and change records that belong to ``organisation``?"""
    return is_official(user) or is_member_of(user, organisation)


def can_edit_for(user: AnyUser | None, organisation: Model | int | None) -> bool:
    """Like ``can_act_for`` but excludes members with read-only membership."""
    if is_official(user):
        return True
    if organisation is None or user is None or not user.is_authenticated:
        return False
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return user.memberships.filter(
        organisation_id=org_id, role__in=["representative", "manager"]
    ).exists()


def scope_to_user(
    queryset: QuerySet[M], user: AnyUser | None, *, organisation_field: str = "organisation"
) -> QuerySet[M]:
    """Officials see every record; members see their organisations' records; others none."""
    if is_official(user):
        return queryset
    ids = organisation_ids_of(user)
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{organisation_field}__in": ids})


def get_for_user_or_404(
    queryset: QuerySet[M],
    user: AnyUser | None,
    *,
    organisation_field: str = "organisation",
    **lookup: Any,
) -> M:
    """Fetch one record the user may act on, else 404 (never revealing that it exists)."""
    try:
        return scope_to_user(queryset, user, organisation_field=organisation_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def require_role(user: AnyUser | None, *roles: Role | str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied


# --- Views ---------------------------------------------------------------------------------------

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def role_required(*roles: Role | str) -> Callable[[ViewFunc], ViewFunc]:
    """Function-view decorator: anonymous users go to the login page, the wrong role gets 403."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def staff_required(view: ViewFunc) -> ViewFunc:
    return role_required(*STAFF_ROLES)(view)


def officials_only(view: ViewFunc) -> ViewFunc:
    """Function-view decorator for ward officials (admin, 経済課, 商工観光課)."""
    return role_required(*OFFICIAL_ROLES)(view)


class RoleRequiredMixin(AccessMixin):
    """Class-view mixin: set ``allowed_roles``; anonymous → login, wrong role → 403."""

    allowed_roles: Iterable[Role] = STAFF_ROLES
    raise_exception = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_role(request.user, *self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class MemberRequiredMixin(AccessMixin):
    """Business portal views: any signed-in user; records are then scoped with ``scope_to_user``."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


# --- API -----------------------------------------------------------------------------------------


class HasRole(BasePermission):
    """DRF permission: ``permission_classes = [HasRole.of(Role.ECONOMY_STAFF, ...)]``."""

    roles: frozenset[Role] = frozenset()

    @classmethod
    def of(cls, *roles: Role | str) -> type[HasRole]:
        return type("HasRole", (cls,), {"roles": frozenset(Role(r) for r in roles)})

    def has_permission(self, request: Any, view: Any) -> bool:
        return has_role(request.user, *self.roles)


class IsStaffUser(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return is_staff_user(request.user)


class CanActForOrganisation(BasePermission):
    """Object permission for records with an organisation; pair it with ``scope_to_user``."""

    organisation_attr = "organisation"

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        attr = getattr(view, "organisation_attr", self.organisation_attr)
        return can_act_for(request.user, getattr(obj, f"{attr}_id", None))

"""Core pages: the public home, the business portal's and back office's front pages, sign-in,
the audit trail and the health check. Views stay thin: reads come from selectors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language
from django_tasks_db.models import DBTaskResult

from shoko.core import permissions, selectors
from shoko.core.forms import AuditFilterForm, EmailAuthenticationForm, QueuedPasswordResetForm
from shoko.core.japan import to_wareki
from shoko.core.models import Membership, Organisation
from shoko.core.roles import STAFF_ROLES
from shoko.core.templatetags.shoko import fy_label

#: The five measures of strategy 13, for the front page (the plan app holds the full plan).
MEASURES = [
    {
        "number": "13-1",
        "priority": False,
        "title": _("創業への総合的な支援の充実"),
        "summary": _(
            "創業セミナー、創業支援融資、空き店舗入居促進で、区内での創業を後押しします。"
        ),
    },
    {
        "number": "13-2",
        "priority": False,
        "title": _("販路拡大など企業活動の活性化"),
        "summary": _(
            "産業見本市と商談交流会、福祉・生活関連産業のモデル事業、事業承継支援、"
            "アニメコンペティション練馬を実施します。"
        ),
    },
    {
        "number": "13-3",
        "priority": False,
        "title": _("お客が集まる個店づくり"),
        "summary": _("個店連携、店舗改修、まちゼミで、意欲ある個店の魅力づくりを支援します。"),
    },
    {
        "number": "13-4",
        "priority": False,
        "title": _("特色ある取組を行う商店街への支援"),
        "summary": _(
            "アニメ・自然・文化など地域の特色を活かす商店街のイベントやハード整備を支援します。"
        ),
    },
    {
        "number": "13-5",
        "priority": True,
        "title": _("商店街の魅力発信支援事業"),
        "summary": _("商店街の魅力を、外国人や区外の方、そして区民に広く発信します。"),
    },
]


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"measures": MEASURES})


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send each person to the face they work in."""
    if permissions.is_staff_user(request.user):
        return redirect("core:staff-home")
    return redirect("core:my-home")


@login_required
def my_home(request: HttpRequest) -> HttpResponse:
    memberships = selectors.memberships_of(request.user)
    return render(request, "core/my_home.html", {"memberships": memberships})


@permissions.role_required(*STAFF_ROLES)
def staff_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context: dict[str, Any] = {
        "current_fy": fy_label(today),
        "today_wareki": to_wareki(today) if request.LANGUAGE_CODE == "ja" else today.isoformat(),
        "organisation_count": Organisation.objects.count(),
        "member_count": Membership.objects.values("user").distinct().count(),
        "pending_tasks": DBTaskResult.objects.ready().count(),
        "my_roles": sorted(
            permissions.roles_of(request.user), key=lambda r: list(type(r)).index(r)
        ),
        "recent_changes": None,
    }
    if permissions.is_official(request.user):
        context["recent_changes"] = list(selectors.audit_entries()[:10])
    return render(request, "core/staff_home.html", context)


@permissions.officials_only
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = selectors.audit_filter_kwargs(form.cleaned_data) if form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        entries = selectors.audit_entries().none()
    else:
        entries = selectors.audit_entries(**filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"filter_form": form, "page_obj": page})


class ShokoLoginView(auth_views.LoginView):
    """Sign-in for the business portal (default) or the back office (``face="staff"``)."""

    template_name = "core/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    face = "my"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.face == "staff":
            context.update(
                face_template="staff/base.html",
                login_title=_("職員ログイン"),
                login_lead=_("区の職員・相談員・審査員の方はこちらからログインしてください。"),
                other_login_url=reverse("core:login"),
                other_login_label=_("事業者の方はこちら"),
            )
        else:
            context.update(
                face_template="my/base.html",
                login_title=_("事業者ログイン"),
                login_lead=_(
                    "事業者・商店街の方は、登録したメールアドレスでログインしてください。"
                ),
                other_login_url=reverse("core:staff-login"),
                other_login_label=_("区の職員の方はこちら"),
            )
        return context


class ShokoPasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("core:password-reset-done")
    extra_email_context = {"site_name": settings.SHOKO_SITE_NAME}


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: is the database answering?"""
    checks: dict[str, str] = {}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
        status = 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "checks": checks,
            "database_vendor": connection.vendor,
            "time": timezone.now().isoformat(),
        },
        status=status,
    )


def lockout(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Shown by django-axes when a sign-in is throttled."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "core/lockout.html", {"cooloff_minutes": minutes}, status=429)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, resolving ``next`` in the language of its own prefix.

    Requests to /i18n/setlang/ run in the default language, so Django alone cannot translate a
    ``next`` such as ``/ko/…`` (it does not resolve in Japanese) and leaves the visitor there.
    """
    next_url = request.POST.get("next", request.GET.get("next", ""))
    path_language = translation.get_language_from_path(next_url.split("?")[0])
    with translation.override(path_language or settings.LANGUAGE_CODE):
        return django_set_language(request)

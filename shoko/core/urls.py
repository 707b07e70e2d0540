from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from shoko.core import signup_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_home, name="my-home"),
    path("my/login/", views.ShokoLoginView.as_view(), name="login"),
    path("my/signup/", signup_views.sign_up, name="signup"),
    path("my/signup/sent/", signup_views.sign_up_sent, name="signup-sent"),
    path("my/signup/verify/<uidb64>/<token>/", signup_views.verify, name="signup-verify"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/login/", views.ShokoLoginView.as_view(face="staff"), name="staff-login"),
    path("staff/audit/", views.audit_log, name="audit-log"),
    path("accounts/after-login/", views.after_login, name="after-login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("core:password-change-done")
        ),
        name="password-change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("accounts/password/reset/", views.ShokoPasswordResetView.as_view(), name="password-reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("core:password-reset-complete")
        ),
        name="password-reset-confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]

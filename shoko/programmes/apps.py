from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    """Programmes (支援事業): programme definitions as data and the one application workflow."""

    name = "shoko.programmes"
    label = "programmes"
    verbose_name = _("支援事業")

    def ready(self) -> None:
        from shoko.core import navigation
        from shoko.core.roles import OFFICIAL_ROLES, Role, register_role_permissions

        config = [
            "programme",
            "expensecategory",
            "requireddocument",
            "formsection",
            "formquestion",
            "rubriccriterion",
            "applicationwindow",
            "programmebudget",
        ]
        records = ["application", "applicationdocument", "documentrequest", "review", "notice"]
        official = [f"programmes.{verb}_{m}" for m in config for verb in ("view", "add", "change")]
        official += [f"programmes.{verb}_{m}" for m in records for verb in ("view", "change")]
        official += ["programmes.view_transitionlog"]
        for role in OFFICIAL_ROLES:
            register_role_permissions(role, *official)
        register_role_permissions(
            Role.ADMIN,
            *(f"programmes.delete_{m}" for m in config if m != "programmebudget"),
        )
        register_role_permissions(
            Role.JUDGE,
            "programmes.view_application",
            "programmes.add_review",
            "programmes.change_review",
        )

        reviewers = OFFICIAL_ROLES | {Role.JUDGE}
        navigation.register(
            "staff", _("支援事業の申請"), "programmes:staff-queue", roles=reviewers, order=30
        )
        navigation.register(
            "staff",
            _("支援事業と予算"),
            "programmes:staff-programmes",
            roles=OFFICIAL_ROLES,
            order=31,
        )
        navigation.register("my", _("補助金・支援の申請"), "programmes:my-programmes", order=30)
        navigation.register("my", _("申請の状況"), "programmes:my-applications", order=31)

        if apps.is_installed("shoko.plan"):
            from shoko.programmes.indicators import register_all

            register_all()

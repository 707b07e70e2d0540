from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    """Contests: calls for entries, large video entries, judging with bias correction, awards."""

    name = "shoko.contests"
    label = "contests"
    verbose_name = _("コンテスト")

    def ready(self) -> None:
        from shoko.core import navigation
        from shoko.core.roles import OFFICIAL_ROLES, Role, register_role_permissions

        official_permissions = [
            f"contests.{action}_{model}"
            for model in ("call", "category", "entry", "round", "award", "awardwinner")
            for action in ("view", "add", "change")
        ]
        for role in OFFICIAL_ROLES:
            register_role_permissions(role, *official_permissions)
        register_role_permissions(
            Role.JUDGE, "contests.view_scoresheet", "contests.change_scoresheet"
        )

        navigation.register("public", _("アニメコンペ・コンテスト"), "contests:calls", order=40)
        navigation.register("my", _("コンテストへの応募"), "contests:my-entries", order=40)
        navigation.register(
            "staff", _("コンテスト"), "contests:staff-calls", roles=OFFICIAL_ROLES, order=40
        )
        navigation.register(
            "staff", _("審査（採点）"), "contests:judging", roles={Role.JUDGE}, order=41
        )

        if apps.is_installed("shoko.plan"):
            from shoko.contests.indicators import register_all

            register_all()

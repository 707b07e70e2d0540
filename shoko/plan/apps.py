from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    """計画 — action plans, fiscal-year targets, live actuals, dashboard and reports."""

    name = "shoko.plan"
    label = "plan"
    verbose_name = _("計画")

    def ready(self) -> None:
        from shoko.core import navigation
        from shoko.core.roles import OFFICIAL_ROLES, Role, register_role_permissions
        from shoko.plan import access

        read = ("plan.view_actionplan", "plan.view_target", "plan.view_manualactual")
        write = (
            "plan.add_actionplan",
            "plan.change_target",
            "plan.add_manualactual",
            "plan.change_manualactual",
        )
        for role in OFFICIAL_ROLES:
            register_role_permissions(role, *read, *write)
        register_role_permissions(Role.CONSULTANT, *read)
        navigation.register(
            "staff", _("計画の進捗"), "plan:dashboard", roles=access.READERS, order=10
        )
        navigation.register("public", _("計画の進捗"), "plan:public", order=80)

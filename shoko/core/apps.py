from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Core: people, roles, organisations, audit and the Japanese conventions every app shares."""

    name = "shoko.core"
    label = "core"
    verbose_name = _("基盤")

    def ready(self) -> None:
        from shoko.core import audit, checks, roles  # noqa: F401  (registers checks and audit)

        # Every app's post_migrate: permissions of apps listed after core exist only later.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="shoko_sync_roles")

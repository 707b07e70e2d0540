from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Operations (運用): what running Shoko for a city needs beyond its pages — deploy checks,
    the worker's heartbeat, backups and restores, metrics."""

    name = "shoko.operations"
    label = "operations"
    verbose_name = _("運用")

    def ready(self) -> None:
        from shoko.operations import checks  # noqa: F401  (registers the checks)

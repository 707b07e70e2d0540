from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Directory (名簿): businesses, shopping streets, shops, vacant shops and areas."""

    name = "shoko.directory"
    label = "directory"
    verbose_name = _("名簿（事業者・商店街・個店）")

    def ready(self) -> None:
        from shoko.core import navigation
        from shoko.core.tasks import worker_started
        from shoko.directory.imports.tasks import fail_interrupted_jobs

        worker_started.connect(fail_interrupted_jobs, dispatch_uid="directory-interrupted-imports")
        from shoko.core.roles import OFFICIAL_ROLES, Role, register_role_permissions

        models = ["business", "shoppingstreet", "shop", "vacantshop", "area", "shopcategory"]
        official_perms = [
            f"directory.{verb}_{m}" for m in models for verb in ("view", "add", "change")
        ]
        official_perms += [
            "directory.view_shopchangerequest",
            "directory.change_shopchangerequest",
            "directory.view_importjob",
            "directory.add_importjob",
            "directory.view_businessmerge",
            "directory.add_businessmerge",
            "directory.view_industrydivision",
        ]
        for role in OFFICIAL_ROLES:
            register_role_permissions(role, *official_perms)
        register_role_permissions(
            Role.ADMIN, "directory.delete_shop", "directory.delete_vacantshop"
        )

        navigation.register(
            "staff", _("事業者"), "directory:staff-business-list", roles=OFFICIAL_ROLES, order=20
        )
        navigation.register(
            "staff",
            _("商店街・個店"),
            "directory:staff-street-list",
            roles=OFFICIAL_ROLES,
            order=21,
        )
        navigation.register(
            "staff", _("取込・書出"), "directory:staff-import", roles=OFFICIAL_ROLES, order=22
        )
        navigation.register("my", _("事業者情報"), "directory:my-business-list", order=20)

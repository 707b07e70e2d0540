from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Public portal (商店街の魅力発信, 13-5 ☆): streets, shops, stories, search, open data."""

    name = "shoko.portal"
    label = "portal"
    verbose_name = _("公開ポータル")

    def ready(self) -> None:
        from shoko.core import navigation
        from shoko.core.roles import OFFICIAL_ROLES, Role, register_role_permissions
        from shoko.portal import blocks, providers, signals
        from shoko.portal.registry import register_search_provider

        for role in OFFICIAL_ROLES:
            register_role_permissions(
                role, "portal.view_story", "portal.add_story", "portal.change_story"
            )
        register_role_permissions(Role.ADMIN, "portal.delete_story")
        register_role_permissions(Role.BUSINESS_MEMBER, "portal.view_story", "portal.add_story")

        register_search_provider(providers.StreetProvider())
        register_search_provider(providers.StoryProvider())
        register_search_provider(providers.ShopProvider())
        blocks.register_portal_blocks()
        signals.connect()

        navigation.register("public", _("商店街"), "portal:street-list", order=10)
        navigation.register("public", _("地図"), "portal:map", order=20)
        navigation.register("public", _("記事"), "portal:story-list", order=30)
        navigation.register("public", _("検索"), "portal:search", order=40)
        navigation.register("public", _("この事業について"), "portal:about", order=90)
        navigation.register(
            "staff", _("記事"), "portal:staff-story-list", roles=OFFICIAL_ROLES, order=40
        )
        navigation.register(
            "staff", _("翻訳の状況"), "portal:staff-translations", roles=OFFICIAL_ROLES, order=41
        )
        navigation.register(
            "staff", _("QRポスター"), "portal:staff-posters", roles=OFFICIAL_ROLES, order=42
        )
        navigation.register("my", _("商店街の記事"), "portal:my-story-list", order=40)

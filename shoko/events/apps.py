from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events: seminars, consultations, machi-zemi courses, fairs and street events."""

    name = "shoko.events"
    label = "events"
    verbose_name = _("イベント")

    def ready(self) -> None:
        from shoko.core import navigation
        from shoko.core.roles import OFFICIAL_ROLES, Role, register_role_permissions

        official_permissions = [
            f"events.{action}_{model}"
            for model in (
                "venue",
                "series",
                "event",
                "session",
                "sessionarea",
                "question",
                "registration",
                "certificate",
                "consultationslot",
                "consultationbooking",
                "surveyresponse",
                "registrantmessage",
            )
            for action in ("view", "add", "change", "delete")
        ]
        for role in OFFICIAL_ROLES:
            register_role_permissions(role, *official_permissions)
        register_role_permissions(
            Role.CONSULTANT,
            "events.view_consultationslot",
            "events.add_consultationslot",
            "events.change_consultationslot",
            "events.view_consultationbooking",
            "events.change_consultationbooking",
        )
        register_role_permissions(
            Role.BUSINESS_MEMBER, "events.view_registration", "events.view_consultationbooking"
        )

        navigation.register("public", _("イベント・セミナー"), "events:list", order=20)
        navigation.register("my", _("予約・申込"), "events:my-bookings", order=20)
        navigation.register("my", _("個別相談の予約"), "events:my-consultations", order=21)
        navigation.register(
            "staff", _("イベント"), "events:staff-calendar", roles=OFFICIAL_ROLES, order=20
        )
        navigation.register(
            "staff",
            _("個別相談"),
            "events:staff-consultations",
            roles=OFFICIAL_ROLES | {Role.CONSULTANT},
            order=21,
        )

        if apps.is_installed("shoko.portal"):
            from shoko.events import portal

            portal.register()

        if apps.is_installed("shoko.plan"):
            from shoko.events.indicators import register_all

            register_all()

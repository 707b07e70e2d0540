"""``manage.py events_anonymise --days 365``: erase personal data of old sign-ups."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shoko.core.models import User
from shoko.events import services


class Command(BaseCommand):
    help = (
        "Anonymise registrations for sessions that ended more than --days ago (names, emails, "
        "phone numbers and answers are erased; counts and attendance stay)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=365, help="Retention period in days.")
        parser.add_argument("--actor", help="Email of the official running it (for the audit).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 30:
            raise CommandError("--days must be at least 30: registrants may still need their link")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"no user with the email {options['actor']!r}")
        count = services.anonymise_registrations(retention_days=options["days"], actor=actor)
        self.stdout.write(f"anonymised {count} registration(s)")

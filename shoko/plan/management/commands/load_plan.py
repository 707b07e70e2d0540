"""``manage.py load_plan FILE``: load or update an action plan from its plan file (YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shoko.core.models import User
from shoko.plan import services
from shoko.plan.planfile import PlanFileError, read_plan_file


class Command(BaseCommand):
    help = (
        "Load or update an action plan from a plan file (YAML), idempotently. The file is "
        "validated first; any problem is reported with its line and nothing is loaded."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "file", help="path of the plan file, e.g. data/plans/nerima-2018-strategy-13.yaml"
        )
        parser.add_argument("--user", help="email of the user the change is recorded as (audit)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot read the plan file ({error})") from None
        user = None
        if options.get("user"):
            user = User.objects.filter(email=options["user"]).first()
            if user is None:
                raise CommandError(f"no user with email {options['user']!r}")
        try:
            spec = read_plan_file(text, name=str(path))
            report = services.load_plan(spec=spec, source_file=path.name, user=user)
        except PlanFileError as error:
            error.name = str(path)
            raise CommandError(
                f"{path}: not loaded, nothing changed.\n{error.describe()}"
            ) from None
        self.stdout.write(self.style.SUCCESS(f"{path}: {report}"))

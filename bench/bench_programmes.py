"""Concurrent approvals against one budget: no overspend, however many staff press at once.

Fifty applications wait under review, each for an 800,000-yen grant; the budget holds thirty.
Fifty threads (fifty database connections, several staff users) approve them at the same
moment through ``services.approve_application``. The budget row is locked for each approval,
so exactly thirty succeed and twenty are refused with the budget message; the committed total
never passes the budget. Prints the figures.

Run against PostgreSQL (the case that matters in production)::

    DATABASE_URL=postgres://postgres@127.0.0.1:54330/shoko_programmes \
        .venv/bin/python bench/bench_programmes.py

Without DATABASE_URL it runs on the SQLite file in var/ (writers queue on its lock).
Options: --approvals N (default 50), --fits N (how many the budget holds, default 30).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoko.settings")

import django

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from shoko.core.japan import FiscalYear  # noqa: E402
from shoko.core.models import Organisation, User  # noqa: E402
from shoko.core.roles import Role, sync_roles  # noqa: E402
from shoko.directory import services as directory_services  # noqa: E402
from shoko.directory.models import Business  # noqa: E402
from shoko.programmes import services  # noqa: E402
from shoko.programmes.models import (  # noqa: E402
    Application,
    Division,
    ExpenseCategory,
    Programme,
    ProgrammeBudget,
    Status,
)

GRANT = 800_000


def prepare(run: str, approvals: int, fits: int, staff_count: int) -> tuple[Programme, list]:
    sync_roles()
    fy = FiscalYear.current().year
    programme = Programme.objects.create(
        code=f"bench_{run}",
        name=f"ベンチマーク {run}",
        division=Division.COMMERCE,
        rate_numerator=2,
        rate_denominator=3,
        cap_yen=1_000_000,
        plan_item="13-3(2)",
        is_published=False,
    )
    ExpenseCategory.objects.create(programme=programme, code="construction", name="工事費")
    ProgrammeBudget.objects.create(programme=programme, fiscal_year=fy, amount_yen=GRANT * fits)
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"ベンチ商店 {run}-{i}") for i in range(approvals)
    )
    businesses = []
    for org in orgs:
        business = Business(organisation=org, name=org.name, address="東京都練馬区豊玉北6-12-1")
        directory_services.refresh_business_keys(business)
        businesses.append(business)
    businesses = Business.objects.bulk_create(businesses)
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            programme=programme,
            fiscal_year=fy,
            business=business,
            status=Status.UNDER_REVIEW,
            number=f"B{run}-{i:03d}",
            title="入口の改修",
            applicant_name=business.name,
            eligible_expense_yen=1_200_000,
            requested_yen=GRANT,
            submitted_at=now,
        )
        for i, business in enumerate(businesses)
    )
    group = Group.objects.get(name=Role.COMMERCE_STAFF.value)
    staff = []
    for i in range(staff_count):
        user = User.objects.create_user(email=f"bench-{run}-{i}@bench.shoko.example")
        user.groups.add(group)
        staff.append(user)
    return programme, staff


def approve_all(programme: Programme, staff: list) -> dict[str, object]:
    applications = list(Application.objects.filter(programme=programme).order_by("pk"))
    barrier = threading.Barrier(len(applications))
    outcomes: dict[int, str] = {}
    busy_retries = [0]
    lock = threading.Lock()

    def approve(application: Application, person: User) -> None:
        try:
            barrier.wait()
            while True:
                try:
                    services.approve_application(actor=person, application=application)
                except ValidationError as error:
                    if error.code == "busy":  # the person clicks again
                        with lock:
                            busy_retries[0] += 1
                        time.sleep(0.005)
                        continue
                    outcomes[application.pk] = error.code or "refused"
                else:
                    outcomes[application.pk] = "approved"
                return
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(app, staff[i % len(staff)]))
        for i, app in enumerate(applications)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"outcomes": outcomes, "elapsed": elapsed, "busy_retries": busy_retries[0]}


def clean(programme: Programme, staff: list) -> None:
    businesses = list(Business.objects.filter(pk__in=programme.applications.values("business_id")))
    Application.objects.filter(programme=programme).delete()
    programme.delete()
    organisation_ids = [b.organisation_id for b in businesses]
    Business.objects.filter(pk__in=[b.pk for b in businesses]).delete()
    Organisation.objects.filter(pk__in=organisation_ids).delete()
    User.objects.filter(pk__in=[u.pk for u in staff]).delete()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--approvals", type=int, default=50)
    parser.add_argument("--fits", type=int, default=30)
    parser.add_argument("--staff", type=int, default=5)
    options = parser.parse_args()
    if options.approvals > 90 and connection.vendor == "postgresql":
        print("keep --approvals under 90: each thread holds its own PostgreSQL connection")
        return 2
    call_command("migrate", verbosity=0)
    run = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        programme, staff = prepare(run, options.approvals, options.fits, options.staff)
        try:
            result = approve_all(programme, staff)
            budget = ProgrammeBudget.objects.get(programme=programme)
            approved = Application.objects.filter(programme=programme, status=Status.APPROVED)
            outcomes = list(result["outcomes"].values())
            granted_total = sum(a.approved_yen for a in approved)
            notices = sum(a.notices.count() for a in approved)
            print(f"database            {connection.vendor} ({connection.settings_dict['NAME']})")
            print(
                f"concurrent threads  {options.approvals} approving at once, {options.staff} staff"
            )
            print(f"budget              {budget.amount_yen:>13,} yen (room for {options.fits})")
            print(f"committed           {budget.committed_yen:>13,} yen")
            print(f"granted (sum)       {granted_total:>13,} yen in {approved.count()} approvals")
            print(f"approved            {outcomes.count('approved'):>5}")
            print(f"refused (budget)    {outcomes.count('budget_exceeded'):>5}")
            others = len(outcomes) - outcomes.count("approved") - outcomes.count("budget_exceeded")
            print(f"other outcomes      {others:>5}")
            print(f"busy retries        {result['busy_retries']:>5}")
            print(f"notices issued      {notices:>5}")
            print(
                f"elapsed             {result['elapsed']:.2f} s "
                f"({options.approvals / result['elapsed']:.1f} decisions/s)"
            )
            overspent = budget.committed_yen > budget.amount_yen
            consistent = granted_total == budget.committed_yen
            print(f"overspend           {'YES' if overspent else 'none'}")
            print(f"ledger consistent   {'yes' if consistent else 'NO'}")
            return 0 if not overspent and consistent and len(outcomes) == options.approvals else 1
        finally:
            clean(programme, staff)


if __name__ == "__main__":
    sys.exit(main())

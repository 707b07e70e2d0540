"""Loading the plan leaves audit rows that the back office's audit views can show."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from tests.plan.factories import load_seed

pytestmark = pytest.mark.django_db


def test_plan_audit_rows_record_fields_not_reverse_relations(client, official):
    load_seed()
    keys = set()
    for entry in LogEntry.objects.all():
        keys |= set(entry.changes_dict)
    assert not keys & {
        "items",
        "rows",
        "measures",
        "strategies",
        "baselines",
        "cells",
        "successors",
    }
    client.force_login(official)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/audit/").status_code == 200

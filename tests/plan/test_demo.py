"""The demo seed loads the Nerima plan and starts a current plan period copied from it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from shoko.plan.demo import CURRENT_SLUG
from shoko.plan.models import ActionPlan, ManualActual, TargetRow

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_plan_and_a_current_period_idempotently():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "nerima-2018" in out.getvalue()
    assert set(ActionPlan.objects.values_list("slug", flat=True)) == {"nerima-2018", CURRENT_SLUG}
    current = ActionPlan.objects.get(slug=CURRENT_SLUG)
    assert (current.first_fy, current.last_fy) == (2026, 2027)
    assert TargetRow.objects.filter(item__measure__strategy__plan=current).count() == 14
    counts = (TargetRow.objects.count(), ManualActual.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (TargetRow.objects.count(), ManualActual.objects.count()) == counts

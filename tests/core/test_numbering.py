"""Application, notice and certificate numbers come from one gap-free counter per key, and the
counters the apps had kept carried on in core when they moved there."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from shoko.core.models import NumberSequence
from shoko.core.numbering import next_number


@pytest.mark.django_db
def test_each_key_counts_on_its_own_from_one():
    assert [next_number("application:2026") for _ in range(3)] == [1, 2, 3]
    assert next_number("certificate:2026") == 1
    assert next_number("application:2027") == 1
    assert next_number("application:2026") == 4


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_number_back():
    def issue_then_fail() -> None:
        with transaction.atomic():
            next_number("notice:2026:経")
            raise RuntimeError("the notice was not issued")

    next_number("notice:2026:経")
    with pytest.raises(RuntimeError):
        issue_then_fail()
    assert next_number("notice:2026:経") == 2
    assert NumberSequence.objects.get(key="notice:2026:経").last == 2


@pytest.mark.django_db(transaction=True)
def test_the_apps_counters_move_to_core_and_numbering_carries_on():
    executor = MigrationExecutor(connection)
    before = [("events", "0002_venue_area"), ("programmes", "0001_initial")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("events", "CertificateSequence").objects.create(fiscal_year=2025, last_serial=7)
    old.get_model("programmes", "NumberSequence").objects.create(key="application:2025", last=41)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert next_number("certificate:2025") == 8
    assert next_number("application:2025") == 42

    executor = MigrationExecutor(connection)
    executor.migrate(before)  # and back: the counters return to their apps
    old = MigrationExecutor(connection).loader.project_state(before).apps
    assert (
        old.get_model("events", "CertificateSequence").objects.get(fiscal_year=2025).last_serial
        == 8
    )
    assert (
        old.get_model("programmes", "NumberSequence").objects.get(key="application:2025").last == 42
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

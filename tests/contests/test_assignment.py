"""Who scores what: seeded, reproducible, balanced, and never against a declared conflict."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shoko.contests.assignment import assign, replacement

ENTRIES = [(f"e{i}", "anime" if i % 3 else "kids") for i in range(12)]
JUDGES = ["a", "b", "c", "d", "e"]


def test_all_and_by_category():
    everyone = assign(ENTRIES, JUDGES, mode="all")
    assert len(everyone.pairs) == 60
    split = assign(
        ENTRIES, JUDGES, mode="by_category", judge_categories={"a": {"kids"}, "b": {"anime"}}
    )
    assert {e for j, e in split.pairs if j == "a"} == {e for e, c in ENTRIES if c == "kids"}
    assert {e for j, e in split.pairs if j == "c"} == {e for e, _c in ENTRIES}  # none given: all


def test_balanced_gives_each_work_k_judges_and_shares_the_load():
    plan = assign(ENTRIES, JUDGES, mode="balanced", k=3, seed=7)
    per_entry = {e: sum(1 for _j, x in plan.pairs if x == e) for e, _c in ENTRIES}
    assert set(per_entry.values()) == {3}
    loads = plan.load()
    assert max(loads.values()) - min(loads.values()) <= 1
    assert plan == assign(ENTRIES, JUDGES, mode="balanced", k=3, seed=7)
    assert plan.pairs != assign(ENTRIES, JUDGES, mode="balanced", k=3, seed=8).pairs


def test_conflicts_are_never_assigned_and_shortfalls_are_reported():
    conflicts = {("a", "e0"), ("b", "e0"), ("c", "e0")}
    plan = assign(ENTRIES, ["a", "b", "c", "d"], mode="balanced", k=2, seed=1, conflicts=conflicts)
    assert not plan.pairs & conflicts
    assert {j for j, e in plan.pairs if e == "e0"} == {"d"}
    assert plan.short == {"e0": 1}


def test_replacement_takes_the_least_loaded_free_judge():
    chosen = replacement(
        "e1",
        "anime",
        JUDGES,
        current={"a", "b"},
        load={"c": 5, "d": 2, "e": 2},
        seed=3,
        conflicts={("d", "e1")},
    )
    assert chosen == "e"
    assert replacement("e1", "anime", ["a"], current={"a"}, load={}, seed=3) is None


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 30),
    st.integers(1, 8),
    st.integers(1, 5),
    st.integers(0, 10_000),
    st.sets(st.tuples(st.integers(0, 7), st.integers(0, 29)), max_size=20),
)
def test_balanced_properties(n_entries, n_judges, k, seed, raw_conflicts):
    entries = [(i, "c") for i in range(n_entries)]
    judges = list(range(n_judges))
    conflicts = {(j, e) for j, e in raw_conflicts if j < n_judges and e < n_entries}
    plan = assign(entries, judges, mode="balanced", k=k, seed=seed, conflicts=conflicts)
    assert not plan.pairs & conflicts
    for entry, _c in entries:
        free = sum(1 for j in judges if (j, entry) not in conflicts)
        got = sum(1 for _j, e in plan.pairs if e == entry)
        assert got == min(k, free)
        assert (entry in plan.short) == (got < k)
    if not conflicts:
        loads = [plan.load().get(j, 0) for j in judges]
        assert max(loads) - min(loads) <= 1
    assert (
        plan.pairs
        == assign(entries, judges, mode="balanced", k=k, seed=seed, conflicts=conflicts).pairs
    )

"""Which judge scores which entry in a round — a pure function, seeded and reproducible.

Three ways, as juries work (FilmFreeway and Award Force offer the same):

- ``all``: every judge scores every entry;
- ``by_category``: a judge scores the entries of the categories they are given (none given:
  all categories);
- ``balanced``: each entry gets ``k`` judges chosen at random among those who may score it,
  always the least loaded first, so that the work is shared evenly (loads differ by at most one
  when nothing else restricts the choice). The same seed gives the same assignment.

A declared conflict of interest (judge, entry) is never assigned. An entry that cannot get
``k`` judges is reported, not silently under-judged.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

J = TypeVar("J", bound=Hashable)
E = TypeVar("E", bound=Hashable)
C = TypeVar("C", bound=Hashable)


@dataclass
class Plan(Generic[J, E]):
    pairs: set[tuple[J, E]] = field(default_factory=set)
    #: entries with fewer judges than wanted, and how many they got
    short: dict[E, int] = field(default_factory=dict)

    def load(self) -> dict[J, int]:
        counts: dict[J, int] = {}
        for judge, _entry in self.pairs:
            counts[judge] = counts.get(judge, 0) + 1
        return counts


def _may_score(
    judge: J,
    entry: E,
    category: C,
    judge_categories: Mapping[J, Collection[C]],
    conflicts: Collection[tuple[J, E]],
) -> bool:
    wanted = judge_categories.get(judge) or ()
    return (judge, entry) not in conflicts and (not wanted or category in wanted)


def assign(
    entries: Sequence[tuple[E, C]],
    judges: Sequence[J],
    *,
    mode: str,
    k: int = 3,
    seed: int = 0,
    judge_categories: Mapping[J, Collection[C]] | None = None,
    conflicts: Collection[tuple[J, E]] = (),
) -> Plan[J, E]:
    """Pairs (judge, entry) for a round; ``entries`` are (entry, category) pairs."""
    categories: Mapping[J, Collection[C]] = judge_categories or {}
    plan: Plan[J, E] = Plan()
    if mode == "all":
        plan.pairs = {(j, e) for e, _c in entries for j in judges if (j, e) not in conflicts}
        return plan
    if mode == "by_category":
        plan.pairs = {
            (j, e) for e, c in entries for j in judges if _may_score(j, e, c, categories, conflicts)
        }
        return plan
    if mode != "balanced":
        raise ValueError(f"unknown assignment mode {mode!r}")
    rng = random.Random(seed)  # noqa: S311 — fairness, not secrecy: reproducible on purpose
    order = list(entries)
    rng.shuffle(order)
    tiebreak = {j: rng.random() for j in judges}
    load = dict.fromkeys(judges, 0)
    for entry, category in order:
        candidates = [j for j in judges if _may_score(j, entry, category, categories, conflicts)]
        candidates.sort(key=lambda j: (load[j], tiebreak[j]))
        chosen = candidates[:k]
        for judge in chosen:
            plan.pairs.add((judge, entry))
            load[judge] += 1
        if len(chosen) < k:
            plan.short[entry] = len(chosen)
    return plan


def replacement(
    entry: E,
    category: C,
    judges: Sequence[J],
    *,
    current: Collection[J],
    load: Mapping[J, int],
    seed: int,
    judge_categories: Mapping[J, Collection[C]] | None = None,
    conflicts: Collection[tuple[J, E]] = (),
) -> J | None:
    """The judge to take over an entry after a recusal: the least loaded who may score it and
    is not already on it (ties broken by the round's seed); None if nobody can."""
    rng = random.Random(f"{seed}:{entry}")  # noqa: S311 — reproducible on purpose
    tiebreak = {j: rng.random() for j in judges}
    candidates = [
        j
        for j in judges
        if j not in current and _may_score(j, entry, category, judge_categories or {}, conflicts)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda j: (load.get(j, 0), tiebreak[j]))

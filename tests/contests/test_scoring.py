"""The jury's arithmetic: hand-computed cases, then properties that must hold for any scores."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shoko.contests.scoring import (
    explain,
    judge_stats,
    normalised_means,
    ranking,
    raw_means,
    ties,
    weighted_score,
)

SD = math.sqrt(8 / 3)  # population sd of (8, 6, 4); (5, 6, 7) has SD / 2, so ±1 is ±2/SD

# Three judges, three works. A is generous to x, B to z, C gives high marks to x and y.
PANEL = [
    ("A", "x", 8),
    ("A", "y", 6),
    ("A", "z", 4),
    ("B", "x", 5),
    ("B", "y", 6),
    ("B", "z", 7),
    ("C", "x", 9),
    ("C", "y", 9),
    ("C", "z", 3),
]


def test_hand_computed_panel_where_the_correction_ties_two_works():
    # z-scores: A (mean 6) → x +2/SD, y 0, z −2/SD; B (mean 6) mirrored → x −2/SD, y 0,
    # z +2/SD; C (mean 7, sd √8) → x +1/√2, y +1/√2, z −√2. Mean z: x = y = (1/√2)/3, z = −√2/3.
    assert judge_stats(PANEL)["C"].stdev == pytest.approx(math.sqrt(8))
    raw = raw_means(PANEL)
    assert raw == pytest.approx({"x": 22 / 3, "y": 7.0, "z": 14 / 3})
    result = normalised_means(PANEL)
    # Rescaled onto [min raw, max raw] = [14/3, 22/3]: x and y share the top, z the bottom.
    assert result == pytest.approx({"x": 22 / 3, "y": 22 / 3, "z": 14 / 3})
    assert ties(result) == [["x", "y"]]
    assert [(rank, entry) for rank, entry, _v in ranking(result)] == [(1, "x"), (1, "y"), (3, "z")]


def test_a_judge_with_fewer_than_three_scores_is_flagged_and_counts_as_z_zero():
    scores = [*PANEL, ("D", "x", 10)]
    stats = judge_stats(scores)
    assert stats["D"].flagged
    assert stats["D"].reason == "too_few"
    result = normalised_means(scores)
    z_x = (2 / SD - 2 / SD + 1 / math.sqrt(2) + 0) / 4  # D's 10 counts as z = 0
    z_y = (1 / math.sqrt(2)) / 3
    z_z = -math.sqrt(2) / 3
    low, high = 14 / 3, 8.0  # raw means: x = 32/4 = 8 is now the highest
    expected_x = low + (z_x - z_z) * (high - low) / (z_y - z_z)
    assert result == pytest.approx({"x": expected_x, "y": high, "z": low})
    # Raw means put x first; once D's lone 10 no longer counts for more than it should, y leads.
    assert raw_means(scores)["x"] > raw_means(scores)["y"]
    assert result["y"] > result["x"]


def test_a_judge_who_gives_everyone_the_same_score_is_flagged():
    scores = [*PANEL, ("E", "x", 5), ("E", "y", 5), ("E", "z", 5)]
    assert judge_stats(scores)["E"].reason == "no_spread"
    assert normalised_means(scores)["z"] == pytest.approx(min(raw_means(scores).values()))


def test_when_nothing_tells_the_works_apart_each_gets_the_mean_of_all_scores():
    scores = [("A", "x", 7), ("A", "y", 7), ("A", "z", 7), ("B", "x", 2)]
    assert normalised_means(scores) == pytest.approx({"x": 23 / 4, "y": 23 / 4, "z": 23 / 4})


def test_no_scores_no_means_and_bad_numbers_are_refused():
    assert normalised_means([]) == {}
    with pytest.raises(ValueError, match="finite"):
        normalised_means([("A", "x", float("nan"))])


def test_explain_names_who_pulled_each_work():
    rows = {row.entry: row for row in explain(PANEL)}
    assert rows["x"].raw_rank == 1
    assert rows["y"].raw_rank == 2
    assert rows["y"].normalised_rank == 1
    assert rows["y"].moved == 1
    pulls = {c.judge: c.z for c in rows["z"].contributions}
    assert pulls["B"] == pytest.approx(2 / SD)
    assert pulls["C"] == pytest.approx(-math.sqrt(2))


def test_weighted_score_stays_on_the_rubric_scale():
    weights = {"idea": 1.0, "animation": 2.0, "direction": 1.0}
    assert (
        weighted_score({"idea": 6, "animation": 9, "direction": 3}, weights, scale=(1, 10)) == 6.75
    )
    with pytest.raises(ValueError, match="scale"):
        weighted_score({"idea": 11}, weights, scale=(1, 10))


# --- Properties -----------------------------------------------------------------------------------

JUDGES = ["j1", "j2", "j3", "j4", "j5"]
ENTRIES = ["e1", "e2", "e3", "e4", "e5", "e6"]


@st.composite
def rounds(draw: st.DrawFn) -> list[tuple[str, str, float]]:
    """Each judge scores a random subset of the works (1–10), as balanced rounds do."""
    triples = []
    for judge in JUDGES[: draw(st.integers(1, len(JUDGES)))]:
        for entry in ENTRIES[: draw(st.integers(2, len(ENTRIES)))]:
            if draw(st.booleans()):
                triples.append((judge, entry, float(draw(st.integers(1, 10)))))
    assume(len({e for _j, e, _s in triples}) >= 2)
    return triples


def _spread(values: dict[str, float]) -> float:
    return max(values.values()) - min(values.values())


def _positions(values: dict[str, float]) -> dict[str, float]:
    low, width = min(values.values()), _spread(values)
    return {k: (v - low) / width for k, v in values.items()}


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_results_lie_between_the_lowest_and_highest_raw_means(scores):
    result, raw = normalised_means(scores), raw_means(scores)
    assert set(result) == set(raw)
    for value in result.values():
        assert min(raw.values()) - 1e-9 <= value <= max(raw.values()) + 1e-9
    if _spread(result) > 1e-9:
        assert min(result.values()) == pytest.approx(min(raw.values()))
        assert max(result.values()) == pytest.approx(max(raw.values()))


@settings(max_examples=200, deadline=None)
@given(rounds(), st.floats(0.1, 10), st.floats(-50, 50), st.sampled_from(JUDGES))
def test_rescaling_one_judge_keeps_every_works_place_on_the_scale(scores, a, b, judge):
    """A judge who scores 2x+3 instead of x has the same habit, only louder: the works' relative
    positions after correction do not change (only the raw range they are mapped onto)."""
    changed = [(j, e, a * s + b if j == judge else s) for j, e, s in scores]
    before, after = normalised_means(scores), normalised_means(changed)
    assume(_spread(before) > 1e-6 and _spread(after) > 1e-6)
    assert _positions(after) == pytest.approx(_positions(before), abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(rounds(), st.floats(0.1, 10), st.floats(-50, 50))
def test_rescaling_every_judge_alike_rescales_the_results_alike(scores, a, b):
    changed = [(j, e, a * s + b) for j, e, s in scores]
    before, after = normalised_means(scores), normalised_means(changed)
    assert after == pytest.approx({k: a * v + b for k, v in before.items()}, rel=1e-6, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(rounds(), st.randoms(use_true_random=False))
def test_the_order_of_the_scores_does_not_matter(scores, rng: random.Random):
    shuffled = list(scores)
    rng.shuffle(shuffled)
    assert normalised_means(shuffled) == pytest.approx(normalised_means(scores))


@settings(max_examples=100, deadline=None)
@given(rounds(), st.integers(1, 10))
def test_what_a_flagged_judge_gives_cannot_reorder_the_works(scores, value):
    """A judge with fewer than three scores counts z = 0 whatever they give."""
    scores = [t for t in scores if t[0] != "lone"]
    base = [*scores, ("lone", scores[0][1], 1.0)]
    other = [*scores, ("lone", scores[0][1], float(value))]
    before, after = normalised_means(base), normalised_means(other)
    assume(_spread(before) > 1e-6 and _spread(after) > 1e-6)
    assert _positions(after) == pytest.approx(_positions(before), abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 10), min_size=3, max_size=6), st.integers(1, 4))
def test_identical_judges_who_see_everything_leave_raw_means_as_they_are(marks, judges):
    assume(len(set(marks)) > 1)
    scores = [(f"j{j}", f"e{i}", float(m)) for j in range(judges) for i, m in enumerate(marks)]
    assert normalised_means(scores) == pytest.approx(raw_means(scores))

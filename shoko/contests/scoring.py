"""Bias-corrected scores (採点の補正): the jury's arithmetic, as pure functions.

Judges differ: one gives 8 to everything, another 3 to 9. Comparing raw means rewards entries
that happened to meet a generous judge, most of all when each judge sees only a subset of the
entries. ``normalised_means`` standardises each judge within the round and puts the result back
on the scale people know:

1. per judge, z = (x − judge mean) / judge population standard deviation, over that judge's
   scores in the round;
2. a judge with fewer than ``MIN_SCORES_PER_JUDGE`` scores, or whose scores are all equal,
   cannot be standardised: the judge is *flagged* and each of their scores counts as z = 0;
3. per entry, the mean of its z-scores;
4. rescaled linearly so that the lowest and highest normalised means equal the lowest and highest
   raw means (the entries' plain averages); if all normalised means are equal, each entry gets
   the mean of all raw scores.

(The method is Evalato's and HeroX's z-score normalisation — see docs/architecture.md.)
``explain`` gives the same numbers per score so that staff can see why the two rankings differ.
Nothing here touches the database: the jury's page and the tests call the same functions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

J = TypeVar("J", bound=Hashable)
E = TypeVar("E", bound=Hashable)

#: A judge needs this many scores in the round to be standardised.
MIN_SCORES_PER_JUDGE = 3
#: Means closer than this are a tie (floating-point noise is not a difference).
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class JudgeStats:
    """One judge's scores in the round: how many, their mean and population standard deviation,
    and whether the judge is flagged (too few scores or no spread: every z counts as 0)."""

    count: int
    mean: float
    stdev: float
    flagged: bool
    reason: str  # "" | "too_few" | "no_spread"

    def z(self, score: float) -> float:
        return 0.0 if self.flagged else (score - self.mean) / self.stdev


def _as_list(scores: Iterable[tuple[J, E, float]]) -> list[tuple[J, E, float]]:
    out = []
    for judge, entry, score in scores:
        value = float(score)
        if not math.isfinite(value):
            raise ValueError(f"score of {judge!r} for {entry!r} is not a finite number")
        out.append((judge, entry, value))
    return out


def judge_stats(scores: Iterable[tuple[J, E, float]]) -> dict[J, JudgeStats]:
    """Per judge: count, mean, population standard deviation, flagged or not."""
    by_judge: dict[J, list[float]] = defaultdict(list)
    for judge, _entry, score in _as_list(scores):
        by_judge[judge].append(score)
    stats: dict[J, JudgeStats] = {}
    for judge, values in by_judge.items():
        n = len(values)
        mean = math.fsum(values) / n
        stdev = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / n)
        if n < MIN_SCORES_PER_JUDGE:
            stats[judge] = JudgeStats(n, mean, stdev, True, "too_few")
        elif stdev <= 1e-12 * max(1.0, abs(mean)):
            stats[judge] = JudgeStats(n, mean, 0.0, True, "no_spread")
        else:
            stats[judge] = JudgeStats(n, mean, stdev, False, "")
    return stats


def raw_means(scores: Iterable[tuple[J, E, float]]) -> dict[E, float]:
    """Each entry's plain average of the scores it received."""
    by_entry: dict[E, list[float]] = defaultdict(list)
    for _judge, entry, score in _as_list(scores):
        by_entry[entry].append(score)
    return {entry: math.fsum(values) / len(values) for entry, values in by_entry.items()}


def normalised_means(scores: Iterable[tuple[J, E, float]]) -> dict[E, float]:
    """``{entry: normalised mean}`` from ``(judge, entry, score)`` triples of one round.

    Each judge's scores are standardised within the round (population standard deviation), the
    z-scores averaged per entry, and the averages rescaled linearly onto the range of the raw
    means. A judge with fewer than 3 scores or zero spread counts z = 0 for each score. If all
    normalised means are equal, every entry gets the mean of all raw scores.
    """
    triples = _as_list(scores)
    if not triples:
        return {}
    stats = judge_stats(triples)
    z_by_entry: dict[E, list[float]] = defaultdict(list)
    for judge, entry, score in triples:
        z_by_entry[entry].append(stats[judge].z(score))
    z_means = {entry: math.fsum(zs) / len(zs) for entry, zs in z_by_entry.items()}
    raws = raw_means(triples)
    z_low, z_high = min(z_means.values()), max(z_means.values())
    if z_high - z_low <= TIE_TOLERANCE:
        overall = math.fsum(score for _j, _e, score in triples) / len(triples)
        return dict.fromkeys(z_means, overall)
    raw_low, raw_high = min(raws.values()), max(raws.values())
    scale = (raw_high - raw_low) / (z_high - z_low)
    return {entry: raw_low + (z - z_low) * scale for entry, z in z_means.items()}


def ranking(means: Mapping[E, float]) -> list[tuple[int, E, float]]:
    """(rank, entry, mean), best first; tied entries share a rank (1, 2, 2, 4)."""
    ordered = sorted(means.items(), key=lambda item: -item[1])
    ranked: list[tuple[int, E, float]] = []
    for position, (entry, value) in enumerate(ordered, start=1):
        if ranked and abs(ranked[-1][2] - value) <= TIE_TOLERANCE:
            ranked.append((ranked[-1][0], entry, value))
        else:
            ranked.append((position, entry, value))
    return ranked


def ties(means: Mapping[E, float]) -> list[list[E]]:
    """Groups of two or more entries with the same mean, best group first: the jury breaks
    these by discussion, not by the arithmetic."""
    groups: list[list[E]] = []
    last: float | None = None
    for _rank, entry, value in ranking(means):
        if last is not None and abs(last - value) <= TIE_TOLERANCE:
            groups[-1].append(entry)
        else:
            groups.append([entry])
        last = value
    return [group for group in groups if len(group) > 1]


@dataclass(frozen=True)
class Contribution:
    """One judge's score for one entry, as the two rankings see it."""

    judge: Hashable
    score: float
    z: float
    judge_mean: float
    flagged: bool

    @property
    def pull(self) -> float:
        """How far this judge lifted (+) or lowered (−) the entry against the judge's own
        habit, in standard deviations (0 for a flagged judge)."""
        return self.z


@dataclass(frozen=True)
class EntryExplanation:
    entry: Hashable
    raw_mean: float
    normalised_mean: float
    raw_rank: int
    normalised_rank: int
    contributions: Sequence[Contribution]

    @property
    def moved(self) -> int:
        """Places gained (+) or lost (−) by the correction."""
        return self.raw_rank - self.normalised_rank

    @property
    def strict_judges(self) -> list[Contribution]:
        """Judges whose habit is to score low: their scores lift the entry once corrected."""
        return [c for c in self.contributions if not c.flagged and c.score < c.judge_mean]


def explain(scores: Iterable[tuple[J, E, float]]) -> list[EntryExplanation]:
    """Both rankings side by side, with every judge's contribution per entry, ordered by the
    normalised ranking: staff read why an entry moved (which judges pulled it)."""
    triples = _as_list(scores)
    if not triples:
        return []
    stats = judge_stats(triples)
    raws = raw_means(triples)
    normalised = normalised_means(triples)
    raw_rank = {entry: rank for rank, entry, _v in ranking(raws)}
    norm_rank = {entry: rank for rank, entry, _v in ranking(normalised)}
    contributions: dict[E, list[Contribution]] = defaultdict(list)
    for judge, entry, score in triples:
        s = stats[judge]
        contributions[entry].append(Contribution(judge, score, s.z(score), s.mean, s.flagged))
    return [
        EntryExplanation(
            entry=entry,
            raw_mean=raws[entry],
            normalised_mean=value,
            raw_rank=raw_rank[entry],
            normalised_rank=norm_rank[entry],
            contributions=sorted(contributions[entry], key=lambda c: -abs(c.z)),
        )
        for _rank, entry, value in ranking(normalised)
    ]


def weighted_score(
    values: Mapping[str, float], weights: Mapping[str, float], *, scale: tuple[float, float]
) -> float:
    """A judge's one score for an entry from the rubric: the weighted mean of the criteria, on
    the rubric's scale (so a 1–10 rubric gives a 1–10 score whatever the weights)."""
    low, high = scale
    total_weight = math.fsum(weights[code] for code in values)
    if total_weight <= 0:
        raise ValueError("the criteria scored have no weight")
    score = math.fsum(values[code] * weights[code] for code in values) / total_weight
    if not low - 1e-9 <= score <= high + 1e-9:
        raise ValueError("a criterion score is outside the rubric's scale")
    return score

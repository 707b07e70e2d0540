"""Reads, named as the people who use them speak: the calls the public sees, my entries, the
review queue, a judge's sheets, progress per judge, the jury's ranking, the results. Selectors
never change state and never import services."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from shoko.contests import scoring
from shoko.contests.models import (
    Award,
    AwardWinner,
    Call,
    Category,
    Entry,
    EntryStatus,
    Round,
    RoundStatus,
    ScoreSheet,
    Still,
)
from shoko.core.models import User
from shoko.core.permissions import organisation_ids_of


def public_calls() -> QuerySet[Call]:
    """Published calls, newest first, with their categories."""
    return Call.objects.filter(published=True).prefetch_related("categories")


def public_call(slug: str) -> Call:
    try:
        return public_calls().prefetch_related("declarations").get(slug=slug)
    except Call.DoesNotExist as exc:
        raise Http404 from exc


def my_entries(user: User) -> QuerySet[Entry]:
    """The user's own entries and their studios' (businesses') entries."""
    orgs = organisation_ids_of(user)
    return (
        Entry.objects.filter(Q(entrant=user) | Q(organisation_id__in=orgs))
        .select_related("call", "category", "video", "organisation")
        .order_by("-created_at", "-pk")
    )


def my_entry(user: User, pk: int) -> Entry:
    """One of the user's entries, else 404 (never revealing another entrant's)."""
    try:
        return my_entries(user).get(pk=pk)
    except Entry.DoesNotExist as exc:
        raise Http404 from exc


def staff_entries(
    call: Call, *, status: str | None = None, category: int | None = None
) -> QuerySet[Entry]:
    entries = (
        call.entries.exclude(status=EntryStatus.DRAFT)
        .select_related("category", "video", "entrant")
        .annotate(still_count=Count("stills", distinct=True))
        .order_by("number", "pk")
    )
    if status:
        entries = entries.filter(status=status)
    if category:
        entries = entries.filter(category_id=category)
    return entries


@dataclass(frozen=True)
class CallFigures:
    by_status: dict[str, int]
    by_category: list[tuple[Category, int]]
    drafts: int


def call_figures(call: Call) -> CallFigures:
    """Entries per state and per category (two queries), for the staff dashboard's charts."""
    rows = call.entries.values_list("status", "category_id")
    by_status: Counter[str] = Counter()
    by_category: Counter[int] = Counter()
    for status, category_id in rows:
        by_status[status] += 1
        if status not in (EntryStatus.DRAFT, EntryStatus.WITHDRAWN):
            by_category[category_id] += 1
    categories = list(call.categories.all())
    return CallFigures(
        by_status=dict(by_status),
        by_category=[(c, by_category.get(c.pk, 0)) for c in categories],
        drafts=by_status.get(EntryStatus.DRAFT, 0),
    )


def comments_for_entrant(entry: Entry) -> list[str]:
    """The jury's comments an entrant reads: from submitted, counting sheets, round by round
    (never the judges' private notes, never who wrote them)."""
    return [
        text.strip()
        for text in ScoreSheet.objects.counting()
        .filter(entry=entry)
        .exclude(comment_to_entrant="")
        .order_by("round__order", "pk")
        .values_list("comment_to_entrant", flat=True)
        if text.strip()
    ]


# --- Judging --------------------------------------------------------------------------------------


def judge_rounds(user: User) -> QuerySet[Round]:
    """The rounds a judge sits on, open ones first, with their sheet counts."""
    return (
        Round.objects.filter(panel__judge=user)
        .select_related("call")
        .annotate(
            sheet_count=Count(
                "sheets", filter=Q(sheets__judge=user, sheets__recused_at__isnull=True)
            ),
            done_count=Count(
                "sheets",
                filter=Q(
                    sheets__judge=user,
                    sheets__recused_at__isnull=True,
                    sheets__submitted_at__isnull=False,
                ),
            ),
        )
        .order_by("status", "-call__closes_at", "order")
    )


def judge_sheets(user: User, round_: Round) -> QuerySet[ScoreSheet]:
    return (
        round_.sheets.filter(judge=user)
        .select_related("entry__category", "entry__video")
        .order_by("recused_at", "submitted_at", "entry__number")
    )


def judge_sheet(user: User, pk: int) -> ScoreSheet:
    """A judge's own sheet, else 404."""
    try:
        return ScoreSheet.objects.select_related(
            "round__call", "entry__category", "entry__video"
        ).get(pk=pk, judge=user)
    except ScoreSheet.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class JudgeProgress:
    judge: User
    assigned: int
    submitted: int
    recused: int

    @property
    def to_do(self) -> int:
        return self.assigned - self.submitted

    @property
    def percent(self) -> int:
        return int(self.submitted * 100 / self.assigned) if self.assigned else 100


def judge_progress(round_: Round) -> list[JudgeProgress]:
    """Per judge of the round: sheets assigned (not recused), submitted, recused (two queries)."""
    counts: dict[int, dict[str, int]] = {}
    for row in round_.sheets.values("judge_id").annotate(
        assigned=Count("pk", filter=Q(recused_at__isnull=True)),
        submitted=Count("pk", filter=Q(recused_at__isnull=True, submitted_at__isnull=False)),
        recused=Count("pk", filter=Q(recused_at__isnull=False)),
    ):
        counts[int(row["judge_id"])] = {
            key: int(row[key]) for key in ("assigned", "submitted", "recused")
        }
    out = []
    for seat in round_.panel.select_related("judge").order_by("judge__full_name", "judge_id"):
        figures = counts.get(seat.judge_id, {})
        out.append(
            JudgeProgress(
                judge=seat.judge,
                assigned=figures.get("assigned", 0),
                submitted=figures.get("submitted", 0),
                recused=figures.get("recused", 0),
            )
        )
    return out


def round_scores(round_: Round) -> list[tuple[int, int, float]]:
    """(judge, entry, weighted score) of every counting sheet of the round."""
    return [
        (judge, entry, float(total))
        for judge, entry, total in round_.sheets.counting().values_list(
            "judge_id", "entry_id", "total"
        )
        if total is not None
    ]


@dataclass
class RankedEntry:
    entry: Entry
    raw_mean: float
    normalised_mean: float
    raw_rank: int
    normalised_rank: int
    contributions: list[dict[str, Any]]
    sheets: int

    @property
    def moved(self) -> int:
        return self.raw_rank - self.normalised_rank


@dataclass
class CategoryRanking:
    category: Category
    rows: list[RankedEntry] = field(default_factory=list)
    ties: list[list[Entry]] = field(default_factory=list)
    unscored: list[Entry] = field(default_factory=list)


@dataclass
class RoundRanking:
    round: Round
    categories: list[CategoryRanking]
    flagged: list[tuple[User, scoring.JudgeStats]]
    judges: dict[int, User]


def round_ranking(round_: Round) -> RoundRanking:
    """Both rankings per category: judges standardised over the whole round (a judge's habit
    shows across categories), entries then ranked within their category by
    ``scoring.normalised_means``, raw means beside, ties listed, flagged judges named, and for
    each entry every judge's pull (z) so that staff see why the two rankings differ."""
    triples = round_scores(round_)
    normalised = scoring.normalised_means(triples)
    raws = scoring.raw_means(triples)
    stats = scoring.judge_stats(triples)
    explanations = {e.entry: e for e in scoring.explain(triples)}
    field_entries = list(
        Entry.objects.filter(rounds__round=round_)
        .select_related("category", "video")
        .order_by("category__order", "number")
    )
    judges = {
        u.pk: u
        for u in User.objects.filter(
            pk__in={j for j, _e, _s in triples}
            | set(round_.panel.values_list("judge_id", flat=True))
        )
    }
    sheet_counts = Counter(e for _j, e, _s in triples)
    by_category: dict[int, CategoryRanking] = {}
    for entry in field_entries:
        group = by_category.setdefault(entry.category_id, CategoryRanking(entry.category))
        if entry.pk not in normalised:
            group.unscored.append(entry)
    for category_id, group in by_category.items():
        members = {e.pk: e for e in field_entries if e.category_id == category_id}
        norm = {pk: v for pk, v in normalised.items() if pk in members}
        raw = {pk: v for pk, v in raws.items() if pk in members}
        raw_rank = {e: r for r, e, _v in scoring.ranking(raw)}
        for rank, pk, value in scoring.ranking(norm):
            explanation = explanations[pk]
            group.rows.append(
                RankedEntry(
                    entry=members[pk],
                    raw_mean=raw[pk],
                    normalised_mean=value,
                    raw_rank=raw_rank[pk],
                    normalised_rank=rank,
                    sheets=sheet_counts[pk],
                    contributions=[
                        {
                            "judge": judges.get(int(str(c.judge))),
                            "score": c.score,
                            "z": c.z,
                            "judge_mean": c.judge_mean,
                            "flagged": c.flagged,
                        }
                        for c in explanation.contributions
                    ],
                )
            )
        group.ties = [[members[pk] for pk in tie] for tie in scoring.ties(norm)]
    ordered = sorted(by_category.values(), key=lambda g: (g.category.order, g.category.pk))
    flagged = [(judges[j], s) for j, s in stats.items() if s.flagged and j in judges]
    return RoundRanking(round=round_, categories=ordered, flagged=flagged, judges=judges)


def open_rounds_for(call: Call) -> QuerySet[Round]:
    return call.rounds.filter(status=RoundStatus.SCORING)


# --- Results --------------------------------------------------------------------------------------


def results(call: Call) -> list[Award]:
    """Awards in order with their winners, each winner's entry, video and stills."""
    return list(
        call.awards.select_related("category").prefetch_related(
            Prefetch(
                "winners",
                queryset=AwardWinner.objects.select_related(
                    "entry__category", "entry__video"
                ).prefetch_related(
                    Prefetch("entry__stills", queryset=Still.objects.order_by("order", "pk")),
                    "entry__members",
                ),
            )
        )
    )


def public_entry_ids(call: Call) -> set[int]:
    """Entries whose work the public may see: winners, once the results are published."""
    if not call.results_published:
        return set()
    return set(AwardWinner.objects.filter(award__call=call).values_list("entry_id", flat=True))


def results_rows(call: Call) -> list[dict[str, Any]]:
    """One row per award given, for the open data (CSV/JSON)."""
    rows = []
    for award in results(call):
        for winner in award.winners.all():
            entry = winner.entry
            rows.append(
                {
                    "call": call.title,
                    "fiscal_year": int(call.fiscal_year),
                    "category": entry.category.name,
                    "award": award.name,
                    "entry_number": entry.number,
                    "title": entry.title,
                    "title_en": entry.title_en,
                    "credit": entry.credit,
                    "members": [{"name": m.credit, "role": m.role} for m in entry.members.all()],
                    "duration_seconds": entry.video.duration_seconds if entry.video else None,
                    "jury_comment": winner.jury_comment,
                    "screened": winner.screened,
                }
            )
    return rows


def sheets_for_entry(entry: Entry) -> Sequence[ScoreSheet]:
    """Every sheet of an entry (staff), with judges and rounds."""
    return list(
        entry.sheets.select_related("judge", "round").order_by("round__order", "judge__full_name")
    )


def entries_grouped_by_round(round_: Round) -> dict[int, list[ScoreSheet]]:
    grouped: dict[int, list[ScoreSheet]] = defaultdict(list)
    for sheet in round_.sheets.select_related("judge"):
        grouped[sheet.entry_id].append(sheet)
    return grouped

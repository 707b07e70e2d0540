"""Reads of programmes and applications, in the words staff and applicants use.

Lists return querysets that select what their pages show, so that the number of queries does
not grow with the number of rows; pages and API lists assert it in tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _g

from shoko.core import permissions
from shoko.core.japan import FiscalYear
from shoko.core.models import Membership
from shoko.core.roles import OFFICIAL_ROLES, Role
from shoko.directory.models import Business
from shoko.programmes import eligibility, workflow
from shoko.programmes.models import (
    GRANTED_STATUSES,
    WAITING_FOR_STAFF,
    Application,
    ApplicationDocument,
    ApplicationWindow,
    DocumentRequest,
    ExpenseCategory,
    ExpenseLine,
    FormQuestion,
    FormSection,
    Programme,
    ProgrammeBudget,
    QuestionKind,
    RequiredDocument,
    Review,
    RubricCriterion,
    Stage,
    Status,
    choice_label,
)
from shoko.programmes.workflow import Actor

if TYPE_CHECKING:
    from shoko.core.permissions import AnyUser


# --- Who is acting --------------------------------------------------------------------------------


def is_programme_staff(user: AnyUser | None, programme: Programme) -> bool:
    """The programme's division staff (or an admin): they decide its applications."""
    return permissions.has_role(user, Role.ADMIN, programme.staff_role)


def is_applicant_editor(user: AnyUser | None, business: Business) -> bool:
    """A representative or manager of the business (read-only members may only look)."""
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user,
        organisation_id=business.organisation_id,
        role__in=[Membership.Role.REPRESENTATIVE, Membership.Role.MANAGER],
    ).exists()


def actor_kinds(user: AnyUser | None, application: Application) -> frozenset[Actor]:
    """As whom ``user`` may act on ``application``: applicant, staff, proxy (staff filing for
    the applicant)."""
    kinds: set[Actor] = set()
    if is_programme_staff(user, application.programme):
        kinds |= {Actor.STAFF, Actor.PROXY}
    if is_applicant_editor(user, application.business):
        kinds.add(Actor.APPLICANT)
    return frozenset(kinds)


def may_act_for_applicant(user: AnyUser | None, application: Application) -> bool:
    return bool(actor_kinds(user, application) & workflow.APPLICANT_SIDE)


def is_reviewer(user: AnyUser | None, application: Application) -> bool:
    """Reviewers: the programme's staff and judges (審査員)."""
    return is_programme_staff(user, application.programme) or permissions.has_role(user, Role.JUDGE)


# --- Programmes -----------------------------------------------------------------------------------


def programmes() -> QuerySet[Programme]:
    return Programme.objects.all()


def published_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True).prefetch_related(
        Prefetch("windows", queryset=ApplicationWindow.objects.order_by("opens_on"))
    )


def window_open_on(programme: Programme, on: dt.date) -> ApplicationWindow | None:
    """From prefetched windows: the window open on ``on``, if any."""
    return next((w for w in programme.windows.all() if w.opens_on <= on <= w.closes_on), None)


def next_window(programme: Programme, on: dt.date) -> ApplicationWindow | None:
    return next((w for w in programme.windows.all() if w.opens_on > on), None)


def open_window(programme: Programme, on: dt.date | None = None) -> ApplicationWindow | None:
    """The programme's window open today (or on ``on``), read from the database."""
    on = on or timezone.localdate()
    return (
        programme.windows.filter(opens_on__lte=on, closes_on__gte=on).order_by("closes_on").first()
    )


@dataclass
class ProgrammeCard:
    """A programme as one business sees it: open or not, eligible or not and why."""

    programme: Programme
    window: ApplicationWindow | None
    upcoming: ApplicationWindow | None
    verdict: eligibility.Verdict | None

    @property
    def can_apply(self) -> bool:
        return self.window is not None and (self.verdict is None or self.verdict.ok)


def programme_cards(business: Business | None, *, on: dt.date | None = None) -> list[ProgrammeCard]:
    """Every published programme, with eligibility for ``business`` (a fixed number of
    queries, whatever the number of programmes)."""
    on = on or timezone.localdate()
    facts = eligibility.facts_for(business, on=on) if business is not None else None
    cards = []
    for programme in published_programmes():
        cards.append(
            ProgrammeCard(
                programme=programme,
                window=window_open_on(programme, on),
                upcoming=next_window(programme, on),
                verdict=eligibility.evaluate(programme, facts) if facts else None,
            )
        )
    return cards


def programme_card(
    programme: Programme, business: Business | None, *, on: dt.date | None = None
) -> ProgrammeCard:
    on = on or timezone.localdate()
    facts = eligibility.facts_for(business, on=on) if business is not None else None
    return ProgrammeCard(
        programme=programme,
        window=window_open_on(programme, on),
        upcoming=next_window(programme, on),
        verdict=eligibility.evaluate(programme, facts) if facts else None,
    )


def budgets_by_programme(fiscal_year: int) -> dict[int, ProgrammeBudget]:
    return {b.programme_id: b for b in ProgrammeBudget.objects.filter(fiscal_year=fiscal_year)}


def staff_programmes(fiscal_year: int) -> list[tuple[Programme, ProgrammeBudget | None, int]]:
    """Programmes with their budget for ``fiscal_year`` and the number of applications waiting
    for staff (three queries)."""
    budgets = budgets_by_programme(fiscal_year)
    waiting = dict(
        Application.objects.filter(fiscal_year=fiscal_year, status__in=workflow_waiting())
        .values_list("programme")
        .annotate(n=Count("pk"))
    )
    return [(p, budgets.get(p.pk), waiting.get(p.pk, 0)) for p in Programme.objects.all()]


def workflow_waiting() -> list[str]:
    return [str(s) for s in WAITING_FOR_STAFF]


# --- Applications ---------------------------------------------------------------------------------


def _with_related(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related("programme", "business", "assigned_to", "area")


def applications_for_user(user: AnyUser) -> QuerySet[Application]:
    """The applications a person may see in the portal: their organisations' (officials: all)."""
    return permissions.scope_to_user(
        _with_related(Application.objects.all()),
        user,
        organisation_field="business__organisation",
    )


def staff_applications(user: AnyUser) -> QuerySet[Application]:
    """What the back office may open: officials everything; judges what is under review."""
    qs = _with_related(Application.objects.all())
    if permissions.has_role(user, *OFFICIAL_ROLES):
        return qs
    if permissions.has_role(user, Role.JUDGE):
        return qs.filter(status=Status.UNDER_REVIEW)
    return qs.none()


def queue(
    user: AnyUser,
    *,
    programme: Programme | None = None,
    fiscal_year: int | None = None,
    status: str | None = None,
    assigned: str | None = None,
    q: str | None = None,
) -> QuerySet[Application]:
    """審査の一覧 — filtered, with review counts; ``assigned`` is ``me``, ``none`` or empty."""
    qs = staff_applications(user).annotate(
        review_count=Count("reviews", filter=Q(reviews__conflict_declared=False), distinct=True),
    )
    if programme is not None:
        qs = qs.filter(programme=programme)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if status == "waiting":
        qs = qs.filter(status__in=workflow_waiting())
    elif status:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=Status.DRAFT)
    if assigned == "me":
        qs = qs.filter(assigned_to=user)
    elif assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    for word in (q or "").split():
        qs = qs.filter(
            Q(number__icontains=word) | Q(title__icontains=word) | Q(applicant_name__icontains=word)
        )
    return qs.order_by("-submitted_at", "-pk")


# --- One application ------------------------------------------------------------------------------


@dataclass
class ChecklistRow:
    requirement: RequiredDocument
    current: ApplicationDocument | None
    versions: list[ApplicationDocument]
    open_requests: list[DocumentRequest]


def document_checklist(application: Application, stage: str | None = None) -> list[ChecklistRow]:
    """提出書類の確認表: each required document, its current file and earlier versions."""
    requirements = application.programme.required_documents.all()
    if stage:
        requirements = requirements.filter(stage=stage)
    files = list(
        application.documents.select_related("uploaded_by").order_by("requirement_id", "-version")
    )
    requests = list(application.document_requests.filter(fulfilled_at__isnull=True))
    rows = []
    for requirement in requirements:
        versions = [f for f in files if f.requirement_id == requirement.pk]
        rows.append(
            ChecklistRow(
                requirement=requirement,
                current=next((f for f in versions if f.is_current), None),
                versions=versions,
                open_requests=[r for r in requests if r.requirement_id in (None, requirement.pk)],
            )
        )
    return rows


@dataclass
class ReviewSummary:
    criteria: list[RubricCriterion]
    reviews: list[Review]
    scored: list[tuple[Review, int, int]] = field(default_factory=list)  # review, total, max

    def total_of(self, review: Review) -> int | None:
        return next((total for r, total, _top in self.scored if r.pk == review.pk), None)

    @property
    def rows(self) -> list[tuple[Review, int | None]]:
        return [(review, self.total_of(review)) for review in self.reviews]

    @property
    def top(self) -> int:
        return sum(c.weight * c.max_score for c in self.criteria)

    @property
    def average_percent(self) -> int | None:
        if not self.scored:
            return None
        return round(sum(total * 100 / top for _r, total, top in self.scored) / len(self.scored))


def review_summary(application: Application) -> ReviewSummary:
    """Weighted totals per reviewer (recused reviewers listed, not counted)."""
    criteria = list(application.programme.rubric.all())
    reviews = list(application.reviews.select_related("reviewer"))
    top = sum(c.weight * c.max_score for c in criteria) or 1
    summary = ReviewSummary(criteria=criteria, reviews=reviews)
    for review in reviews:
        if review.conflict_declared or not review.scores:
            continue
        total = sum(c.weight * int(review.scores.get(c.code, 0)) for c in criteria)
        summary.scored.append((review, total, top))
    return summary


def available_transitions(user: AnyUser, application: Application) -> list[workflow.Transition]:
    return workflow.transitions_from(application.status, actor_kinds(user, application))


def document_open(application: Application, requirement: RequiredDocument) -> bool:
    """May the applicant upload ``requirement`` now? Report documents after the work is done;
    the others while the application is editable, or when staff asked for them."""
    if requirement.stage == Stage.REPORT:
        return application.status == Status.WORK_COMPLETED
    if application.is_editable:
        return True
    return application.document_requests.filter(
        Q(requirement=requirement) | Q(requirement__isnull=True), fulfilled_at__isnull=True
    ).exists()


def history(application: Application) -> QuerySet:
    return application.transitions.select_related("actor")


# --- Budgets --------------------------------------------------------------------------------------


CHART_ROW = 40  # px per bar in the budget chart
CHART_BAR_WIDTH = 360  # px of the longest bar


@dataclass
class BudgetView:
    """予算の状況 — one programme and fiscal year, for the budget page and its chart."""

    programme: Programme
    fiscal_year: FiscalYear
    budget: ProgrammeBudget | None
    requested_pending: int
    counts: dict[str, int]

    @property
    def amount(self) -> int:
        return self.budget.amount_yen if self.budget else 0

    @property
    def committed(self) -> int:
        return self.budget.committed_yen if self.budget else 0

    @property
    def confirmed(self) -> int:
        return self.budget.confirmed_yen if self.budget else 0

    @property
    def paid(self) -> int:
        return self.budget.paid_yen if self.budget else 0

    @property
    def remaining(self) -> int:
        return self.amount - self.committed

    def bars(self) -> list[dict[str, Any]]:
        """Rows of the chart and of its table alternative (percent of the budget)."""
        top = max(self.amount, self.committed + self.requested_pending, 1)
        rows = [
            ("budget", _g("予算額"), self.amount),
            ("committed", _g("交付決定済み"), self.committed),
            ("confirmed", _g("額の確定済み"), self.confirmed),
            ("paid", _g("支払済み"), self.paid),
            ("remaining", _g("残額"), self.remaining),
            ("pending", _g("審査待ちの申請額"), self.requested_pending),
        ]
        return [
            {
                "key": key,
                "label": label,
                "value": value,
                "percent": round(value * 100 / top, 1),
                "y": index * CHART_ROW,
                "width": round(value * CHART_BAR_WIDTH / top, 1),
            }
            for index, (key, label, value) in enumerate(rows)
        ]

    @property
    def chart_height(self) -> int:
        return 6 * CHART_ROW + 8


def budget_view(programme: Programme, fiscal_year: int) -> BudgetView:
    budget = ProgrammeBudget.objects.filter(programme=programme, fiscal_year=fiscal_year).first()
    apps = Application.objects.filter(programme=programme, fiscal_year=fiscal_year)
    pending = (
        apps.filter(
            status__in=[Status.SUBMITTED, Status.RESUBMITTED, Status.UNDER_REVIEW]
        ).aggregate(total=Sum("requested_yen"))["total"]
        or 0
    )
    counts = dict(apps.values_list("status").annotate(n=Count("pk")))
    return BudgetView(
        programme=programme,
        fiscal_year=FiscalYear(fiscal_year),
        budget=budget,
        requested_pending=pending,
        counts=counts,
    )


def granted(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.filter(status__in=[str(s) for s in GRANTED_STATUSES])


def fiscal_years_with_data() -> list[int]:
    years = set(ProgrammeBudget.objects.values_list("fiscal_year", flat=True))
    years |= set(ApplicationWindow.objects.values_list("fiscal_year", flat=True))
    years.add(FiscalYear.current().year)
    return sorted(years, reverse=True)


def businesses_for_applicant(user: AnyUser) -> Sequence[Business]:
    """The businesses a portal user may apply for (representative or manager)."""
    if user is None or not user.is_authenticated:
        return []
    org_ids = Membership.objects.filter(
        user=user, role__in=[Membership.Role.REPRESENTATIVE, Membership.Role.MANAGER]
    ).values_list("organisation_id", flat=True)
    return list(Business.objects.filter(organisation_id__in=org_ids).order_by("name"))


__all__ = [
    "BudgetView",
    "ChecklistRow",
    "ProgrammeCard",
    "ReviewSummary",
    "Stage",
    "applications_for_user",
    "available_transitions",
    "budget_view",
    "document_checklist",
    "programme_cards",
    "queue",
    "review_summary",
    "staff_applications",
]


# --- What an applicant reads ----------------------------------------------------------------------


def submission_problems(application: Application) -> list[str]:
    """What still stands in the way of submitting (for the preview), all at once."""
    guard = workflow.guard_submit if application.status == Status.DRAFT else workflow.guard_resubmit
    try:
        guard(application, {})
    except ValidationError as error:
        return list(error.messages)
    return []


def report_problems(application: Application) -> list[str]:
    try:
        workflow.guard_report(application, {})
    except ValidationError as error:
        return list(error.messages)
    return []


def answers_for_display(application: Application) -> list[tuple[Any, list[tuple[Any, str]]]]:
    """(section, [(question label, answer as the reader reads it)])."""
    answers = application.answers or {}
    shown = []
    for section in FormSection.objects.filter(programme=application.programme).prefetch_related(
        "questions"
    ):
        rows = []
        for question in section.questions.all():
            value = answers.get(question.code, "")
            if question.kind == QuestionKind.CHOICE:
                value = choice_label(question, value)
            elif question.kind == QuestionKind.YES_NO and value:
                value = _g("はい") if value == "yes" else _g("いいえ")
            elif question.kind == QuestionKind.YEN and value != "":
                value = f"{int(value):,}"
            rows.append((question.label, str(value) if value != "" else "—"))
        shown.append((section, rows))
    return shown


def expense_lines(application: Application, stage: str) -> list[Any]:
    return list(application.expenses.filter(stage=stage).select_related("category"))


# --- The programme's lists, as staff edit them ----------------------------------------------------


@dataclass(frozen=True)
class ListReferences:
    """What submitted applications (past 下書き) of a programme refer to: expense categories
    by their lines, documents by files and requests, questions by answer keys, criteria by score
    keys. Such items are fixed (see ``services.delete_list_item``)."""

    category_ids: frozenset[int]
    document_ids: frozenset[int]
    question_codes: frozenset[str]
    criterion_codes: frozenset[str]

    def in_use(self, item: Any) -> bool:
        if isinstance(item, ExpenseCategory):
            return item.pk in self.category_ids
        if isinstance(item, RequiredDocument):
            return item.pk in self.document_ids
        if isinstance(item, FormQuestion):
            return item.code in self.question_codes
        if isinstance(item, FormSection):
            return any(question.code in self.question_codes for question in item.questions.all())
        if isinstance(item, RubricCriterion):
            return item.code in self.criterion_codes
        raise TypeError(f"not a list item: {type(item).__name__}")


def list_references(programme: Programme) -> ListReferences:
    """Four queries, however many applications and items (answers and scores are small)."""
    submitted = Application.objects.filter(programme=programme).exclude(status=Status.DRAFT)
    documents = set(
        ApplicationDocument.objects.filter(application__in=submitted, requirement__isnull=False)
        .values_list("requirement_id", flat=True)
        .distinct()
    ) | set(
        DocumentRequest.objects.filter(application__in=submitted, requirement__isnull=False)
        .values_list("requirement_id", flat=True)
        .distinct()
    )
    answered: set[str] = set()
    for answers in submitted.values_list("answers", flat=True):
        answered.update(answers or {})
    scored: set[str] = set()
    for scores in Review.objects.filter(application__in=submitted).values_list("scores", flat=True):
        scored.update(scores or {})
    return ListReferences(
        category_ids=frozenset(
            ExpenseLine.objects.filter(application__in=submitted)
            .values_list("category_id", flat=True)
            .distinct()
        ),
        document_ids=frozenset(documents),
        question_codes=frozenset(answered),
        criterion_codes=frozenset(scored),
    )


@dataclass
class ListRow:
    """One item as its list shows it: fixed by submissions or not, and where it can move."""

    item: Any
    in_use: bool
    first: bool
    last: bool
    children: list[ListRow] = field(default_factory=list)


def _rows(items: Sequence[Any], references: ListReferences, group: Any = None) -> list[ListRow]:
    """Rows in order; ``group`` (a document's stage) splits the list into runs that move apart."""
    key = group or (lambda item: None)
    return [
        ListRow(
            item=item,
            in_use=references.in_use(item),
            first=index == 0 or key(items[index - 1]) != key(item),
            last=index == len(items) - 1 or key(items[index + 1]) != key(item),
        )
        for index, item in enumerate(items)
    ]


@dataclass
class ProgrammeLists:
    """A programme's editable lists in display order (sections carry their questions)."""

    categories: list[ListRow]
    documents: list[ListRow]
    sections: list[ListRow]
    rubric: list[ListRow]


def programme_lists(programme: Programme) -> ProgrammeLists:
    """Nine queries, however long the lists and however many applications."""
    references = list_references(programme)
    sections = list(
        FormSection.objects.filter(programme=programme)
        .order_by("order", "pk")
        .prefetch_related("questions")
    )
    section_rows = _rows(sections, references)
    for row in section_rows:
        row.children = _rows(list(row.item.questions.all()), references)
    return ProgrammeLists(
        categories=_rows(list(programme.expense_categories.order_by("order", "pk")), references),
        documents=_rows(
            list(programme.required_documents.order_by("stage", "order", "pk")),
            references,
            group=lambda document: document.stage,
        ),
        sections=section_rows,
        rubric=_rows(list(programme.rubric.order_by("order", "pk")), references),
    )

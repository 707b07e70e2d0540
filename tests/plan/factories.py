"""Plans for tests: the real seed file, and small plan files written on the spot."""

from __future__ import annotations

import copy
from pathlib import Path

import factory
import yaml

from shoko.plan import services
from shoko.plan.models import ActionPlan, ManualActual, TargetRow
from shoko.plan.planfile import read_plan_file
from tests.factories import UserFactory

SEED_FILE = Path(__file__).resolve().parents[2] / "data" / "plans" / "nerima-2018-strategy-13.yaml"
SOURCE_JA = SEED_FILE.parent / "sources" / "action-plan-13.ja.txt"  # the authority, verbatim


def load_text(text: str, *, user=None) -> ActionPlan:
    return services.load_plan(spec=read_plan_file(text), user=user).plan


def load_seed(*, user=None) -> ActionPlan:
    return load_text(SEED_FILE.read_text(encoding="utf-8"), user=user)


def small_plan_data(
    *,
    slug: str = "test-plan",
    years: tuple[int, ...] = (2018, 2019),
    indicators: list[str] | None = None,
    kind: str = "held",
    number: int | None = None,
    rows: int = 1,
    items: int = 1,
) -> dict:
    """A one-measure plan as data (``yaml.safe_dump`` it to get a plan file)."""
    cell: dict = {"kind": kind, "text": {"ja": "開催", "en": "held"}}
    if number is not None:
        cell = {
            "kind": kind,
            "number": number,
            "unit": {"ja": "地域", "en": "areas"},
            "breakdown": {"continuing": number, "new": 0},
            "text": {"ja": f"{number}地域 (継続)", "en": f"{number} areas (continuing)"},
        }
    return {
        "plan": {
            "slug": slug,
            "title": {"ja": "テスト計画", "en": "Test plan"},
            "fiscal_years": list(years),
            "baselines": [{"fiscal_year": 2017, "caption": {"ja": "前期計画終了時"}}],
            "strategies": [
                {
                    "number": "13",
                    "title": {"ja": "テスト戦略"},
                    "measures": [
                        {
                            "number": "13-9",
                            "title": {"ja": "テスト取組", "en": "Test measure"},
                            "divisions": {"ja": "産業経済部 経済課"},
                            "items": [
                                {
                                    "number": f"({i + 1})",
                                    "goal": {"ja": f"項目{i + 1}", "en": f"item {i + 1}"},
                                    "rows": [
                                        {
                                            "label": {"ja": f"行{i}-{r}", "en": f"row {i}-{r}"},
                                            "indicators": list(indicators or []),
                                            "baselines": {2017: {"text": {"ja": "—"}}},
                                            "targets": {fy: copy.deepcopy(cell) for fy in years},
                                            "total": copy.deepcopy(cell),
                                        }
                                        for r in range(rows)
                                    ],
                                }
                                for i in range(items)
                            ],
                        }
                    ],
                }
            ],
        }
    }


def small_plan_yaml(**kwargs) -> str:
    return yaml.safe_dump(small_plan_data(**kwargs), allow_unicode=True, sort_keys=False)


class ManualActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManualActual

    row = factory.LazyFunction(lambda: TargetRow.objects.first())
    fiscal_year = 2018
    value = 1
    note = "テスト"
    entered_by = factory.SubFactory(UserFactory)

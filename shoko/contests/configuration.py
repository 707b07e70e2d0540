"""A competition's configuration as data: ``data/contests/<name>.yaml`` holds the call's texts,
categories (rules, durations, formats), declarations, checklist, awards and rounds; ``load_call``
creates one edition from it through the services (the demo and tests use it; a ward adds its
own file for a poster contest or a shop-front award)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from shoko.contests.models import Call, Category, Round
from shoko.contests.services import calls as call_services
from shoko.contests.services import judging, results
from shoko.core.models import User
from shoko.core.translation import field_suffix

DATA = Path(__file__).resolve().parents[2] / "data" / "contests"
ANIME_COMPETITION = DATA / "anime-competition-nerima.yaml"


def read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a contest configuration is a mapping")
    return data


def _texts(name: str, value: Any) -> dict[str, str]:
    """``{"ja": "…", "en": "…"}`` → ``{"name": "…", "name_en": "…"}`` (ja is the field itself)."""
    if isinstance(value, str):
        return {name: value.strip()}
    out: dict[str, str] = {}
    for language, text in (value or {}).items():
        key = name if language == "ja" else f"{name}_{field_suffix(str(language))}"
        out[key] = str(text).strip()
    return out


def load_call(
    *,
    actor: User,
    path: Path = ANIME_COMPETITION,
    slug: str,
    edition: int,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    age_reference_date: dt.date,
    published: bool = True,
) -> Call:
    config = read(path)
    data: dict[str, Any] = {
        "slug": slug,
        "edition": edition,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "age_reference_date": age_reference_date,
        "published": published,
        "division": config.get("division", "commerce"),
        "plan_item": config.get("plan_item", ""),
        "entries_per_person": config.get("entries_per_person", 1),
    }
    for name in ("title", "summary", "description", "organiser", "contact"):
        if name in config:
            data.update(_texts(name, config[name]))
    call = call_services.create_call(actor=actor, data=data)
    categories: dict[str, Category] = {}
    for order, item in enumerate(config.get("categories") or [], start=1):
        category_data: dict[str, Any] = {"code": item["code"], "order": order * 10}
        for name in ("name", "description", "task_brief"):
            if name in item:
                category_data.update(_texts(name, item[name]))
        for name in (
            "formats",
            "rules",
            "entries_per_person",
            "max_group_size",
            "work_kind",
            "stills_required",
            "stills_max",
        ):
            if name in item:
                category_data[name] = item[name]
        for name in ("min_seconds", "max_seconds"):
            if item.get(name) is not None:
                category_data[name] = Decimal(str(item[name]))
        categories[item["code"]] = call_services.save_category(
            actor=actor, call=call, data=category_data
        )
    call_services.set_declarations(
        actor=actor,
        call=call,
        rows=[
            {
                "code": d["code"],
                "text": d["text"]["ja"],
                "text_en": d["text"].get("en", ""),
                "category": categories.get(d.get("category", "")),
            }
            for d in config.get("declarations") or []
        ],
    )
    call_services.set_checklist(
        actor=actor,
        call=call,
        rows=[
            {"code": c["code"], "label": c["label"]["ja"], "label_en": c["label"].get("en", "")}
            for c in config.get("checklist") or []
        ],
    )
    for order, award in enumerate(config.get("awards") or [], start=1):
        results.save_award(
            actor=actor,
            call=call,
            data={
                **_texts("name", award["name"]),
                "category": categories.get(award.get("category", "")),
                "places": award.get("places", 1),
                "order": order * 10,
            },
        )
    return call


def round_definitions(path: Path = ANIME_COMPETITION) -> list[Mapping[str, Any]]:
    return list(read(path).get("rounds") or [])


def create_round(*, actor: User, call: Call, definition: Mapping[str, Any], seed: int) -> Round:
    """A round of ``call`` from a definition of the configuration (name, assignment, rubric)."""
    round_ = judging.create_round(
        actor=actor,
        call=call,
        data={
            **_texts("name", definition["name"]),
            "assignment": definition.get("assignment", "all"),
            "judges_per_entry": definition.get("judges_per_entry", 3),
            "seed": seed,
        },
    )
    judging.set_criteria(
        actor=actor,
        round_=round_,
        criteria=[
            {"code": c["code"], **_texts("name", c["name"]), "weight": str(c.get("weight", 1))}
            for c in definition.get("criteria") or []
        ],
    )
    return round_

"""Reference data shipped as files in ``data/directory/``: JSIC divisions, the city's areas and
the shop categories. Loaded by migration 0002 and ``manage.py load_directory_reference``
(idempotent: codes are the keys, names are refreshed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from shoko.config import BASE_DIR

LANG_FIELDS = {"ja": "ja", "en": "en", "zh-hans": "zh_hans", "zh-hant": "zh_hant", "ko": "ko"}


def _data_dir() -> Path:
    return Path(BASE_DIR) / "data" / "directory"


def read(name: str) -> Any:
    with (_data_dir() / name).open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def load_jsic(division_model: Any) -> int:
    count = 0
    for major in read("jsic.yaml"):
        parent, _created = division_model.objects.update_or_create(
            code=major["code"],
            defaults={
                "level": "major",
                "parent": None,
                "name": major["ja"],
                "name_ja": major["ja"],
                "name_en": major["en"],
            },
        )
        count += 1
        for code, ja, en in major["medium"]:
            division_model.objects.update_or_create(
                code=code,
                defaults={
                    "level": "medium",
                    "parent": parent,
                    "name": ja,
                    "name_ja": ja,
                    "name_en": en,
                },
            )
            count += 1
    return count


def _load_named(model: Any, name: str, extra: dict[str, Any] | None = None) -> int:
    rows = read(name)
    for order, row in enumerate(rows, start=1):
        defaults = {"name": row["ja"], "order": order * 10}
        defaults |= {f"name_{field}": row.get(lang, "") for lang, field in LANG_FIELDS.items()}
        defaults["translation_states"] = {
            lang: "reviewed" for lang in LANG_FIELDS if lang != "ja" and row.get(lang)
        }
        if "kana" in row and extra and "kana" in extra:
            defaults[extra["kana"]] = row["kana"]
        model.objects.update_or_create(code=row["code"], defaults=defaults)
    return len(rows)


def load_areas(area_model: Any) -> int:
    return _load_named(area_model, "areas.yaml", {"kana": "name_kana"})


def load_categories(category_model: Any) -> int:
    return _load_named(category_model, "shop_categories.yaml")


def load_all(get_model: Any) -> dict[str, int]:
    return {
        "jsic": load_jsic(get_model("directory", "IndustryDivision")),
        "areas": load_areas(get_model("directory", "Area")),
        "categories": load_categories(get_model("directory", "ShopCategory")),
    }

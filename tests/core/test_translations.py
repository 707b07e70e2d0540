"""Japanese is the source language; en, zh-hans, zh-hant and ko catalogues must be complete,
and every string marked in code or templates must be in its app's catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

SHOKO = Path(__file__).resolve().parents[2] / "shoko"
TRANSLATED = ["ja", "en", "zh_Hans", "zh_Hant", "ko"]
APPS = sorted(p.parent for p in SHOKO.glob("*/apps.py"))

PY_MARKED = re.compile(r"""\b_\(\s*"((?:[^"\\]|\\.)+)"\s*\)""")
TEMPLATE_MARKED = re.compile(
    r"""{%\s*(?:translate|trans)\s+"([^"]+)"(?:\s+(?:as|noop|context)\b[^%]*)?\s*%}"""
)


def catalogue(app: Path, lang: str):
    path = app / "locale" / lang / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run `make makemessages` and translate it"
    with path.open("rb") as f:
        return read_po(f)


def marked_strings(app: Path) -> set[str]:
    found: set[str] = set()
    for source in app.rglob("*.py"):
        if "migrations" in source.parts:
            continue
        found |= {
            m.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            for m in PY_MARKED.findall(source.read_text(encoding="utf-8"))
        }
    for template in app.rglob("*.html"):
        found |= set(TEMPLATE_MARKED.findall(template.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_is_complete(app, lang):
    messages = [m for m in catalogue(app, lang) if m.id]
    untranslated = [
        m.id for m in messages if not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [], f"{app.name}/{lang}: {len(untranslated)} untranslated"
    assert fuzzy == [], f"{app.name}/{lang}: fuzzy entries {fuzzy[:5]}"


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_every_marked_string_is_in_the_catalogue(app):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(app, "en") if m.id}
    missing = sorted(marked_strings(app) - ids)
    assert missing == [], f"run `make makemessages`; not in {app.name}'s catalogue: {missing[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED[1:])
def test_a_msgid_has_one_translation_across_apps(lang):
    """gettext merges every app's catalogue and the first app wins, so two apps translating the
    same Japanese differently would show whichever app is listed first."""
    seen: dict[str, dict[str, object]] = {}
    for app in APPS:
        for m in catalogue(app, lang):
            if m.id:
                key = m.id if isinstance(m.id, str) else m.id[0]
                seen.setdefault(key, {})[app.name] = m.string
    clashes = {mid: by for mid, by in seen.items() if len(set(by.values())) > 1}
    assert clashes == {}, f"{lang}: align these translations across apps: {list(clashes)[:10]}"

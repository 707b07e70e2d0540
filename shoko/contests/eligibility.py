"""Who may enter a category (応募資格): named rules stored as data on the category.

A category keeps ``[{"rule": "age_between", "min": 15}, {"rule": "local_connection", "kinds":
["live", "work", "studio"]}]``; ``validate_rules`` checks such a list against this registry when
staff save it, and ``evaluate`` answers for an entry with reasons in the reader's language. The
rules read only the entry (and the call's member studios, passed in), so checking costs no
query beyond loading those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shoko.contests.models import CareerStage, Entry, LocalConnection

UNKNOWN_RULE_MESSAGE = _("応募資格「%(rule)s」はありません（使えるもの: %(known)s）。")
RULES_NOT_A_LIST_MESSAGE = _("応募資格は、rule と設定の組を並べたリストで指定してください。")
BAD_NUMBER_MESSAGE = _(
    "応募資格「%(rule)s」の「%(param)s」は %(low)s〜%(high)s の整数にしてください。"
)
BAD_KINDS_MESSAGE = _("応募資格「%(rule)s」の kinds は %(known)s から選んでください。")
UNKNOWN_PARAM_MESSAGE = _("応募資格「%(rule)s」に「%(param)s」という設定はありません。")

NO_BIRTH_DATE_MESSAGE = _("生年月日を入力してください（年齢の条件があります）。")
TOO_YOUNG_MESSAGE = _("この部門は %(date)s 時点で満%(min)s歳以上の方が対象です（満%(age)s歳）。")
TOO_OLD_MESSAGE = _("この部門は %(date)s 時点で満%(max)s歳以下の方が対象です（満%(age)s歳）。")
NO_CONNECTION_MESSAGE = _("この部門は、%(kinds)s の方が対象です。")
NOT_MEMBER_STUDIO_MESSAGE = _("選んだスタジオは、この募集の会員スタジオではありません。")
CAREER_MESSAGE = _(
    "この部門は、原画を担当して%(years)s年以内の方、または原画を目指す動画の方が対象です。"
)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reasons: Sequence[str | Promise]


@dataclass(frozen=True)
class Context:
    """What the rules know besides the entry: the reference date and the member studios."""

    on: dt.date
    member_studio_ids: Collection[int]


Check = Callable[[Entry, Mapping[str, Any], Context], "str | Promise | None"]


@dataclass(frozen=True)
class Rule:
    code: str
    label: str | Promise
    params: Mapping[str, tuple[int, int]]  # numeric params and their bounds
    check: Check
    takes_kinds: bool = False

    def describe(self, params: Mapping[str, Any]) -> str:
        return str(DESCRIPTIONS[self.code](params))


def _age_between(entry: Entry, params: Mapping[str, Any], context: Context) -> str | Promise | None:
    age = entry.age_on(context.on)
    if age is None:
        return NO_BIRTH_DATE_MESSAGE
    day = date_format(context.on, "DATE_FORMAT")
    low, high = params.get("min"), params.get("max")
    if low is not None and age < int(low):
        return TOO_YOUNG_MESSAGE % {"date": day, "min": low, "age": age}
    if high is not None and age > int(high):
        return TOO_OLD_MESSAGE % {"date": day, "max": high, "age": age}
    return None


def _kinds_label(kinds: Sequence[str]) -> str:
    labels = dict(LocalConnection.choices)
    return "・".join(str(labels[k]) for k in kinds if k in labels)


def _local_connection(
    entry: Entry, params: Mapping[str, Any], context: Context
) -> str | Promise | None:
    kinds = list(params.get("kinds") or [])
    declared = set(entry.connections or []) & set(kinds)
    if not declared:
        return NO_CONNECTION_MESSAGE % {"kinds": _kinds_label(kinds)}
    if declared == {LocalConnection.STUDIO.value} and (
        entry.studio_id is None or entry.studio_id not in context.member_studio_ids
    ):
        return NOT_MEMBER_STUDIO_MESSAGE
    return None


def _career_within_years(
    entry: Entry, params: Mapping[str, Any], context: Context
) -> str | Promise | None:
    years = int(params.get("years", 3))
    if entry.career_stage == CareerStage.IN_BETWEEN:
        return None
    if (
        entry.career_stage == CareerStage.KEY_ANIMATION
        and entry.first_key_animation_year is not None
        and context.on.year - entry.first_key_animation_year <= years
    ):
        return None
    return CAREER_MESSAGE % {"years": years}


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("age_between", _("年齢"), {"min": (0, 120), "max": (0, 120)}, _age_between),
        Rule(
            "local_connection",
            _("区とのつながり"),
            {},
            _local_connection,
            takes_kinds=True,
        ),
        Rule("career_within_years", _("経歴"), {"years": (0, 50)}, _career_within_years),
    )
}


def _describe_age(params: Mapping[str, Any]) -> str:
    low, high = params.get("min"), params.get("max")
    if low is not None and high is not None:
        return str(_("満%(min)s〜%(max)s歳") % {"min": low, "max": high})
    if low is not None:
        return str(_("満%(min)s歳以上") % {"min": low})
    return str(_("満%(max)s歳以下") % {"max": high})


DESCRIPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "age_between": _describe_age,
    "local_connection": lambda p: _kinds_label(list(p.get("kinds") or [])),
    "career_within_years": lambda p: str(
        _("原画%(years)s年以内、または原画を目指す動画") % {"years": p.get("years", 3)}
    ),
}


def validate_rules(rules: Any) -> list[dict[str, Any]]:
    """Check stored rules against the registry; every problem at once."""
    if not isinstance(rules, list):
        raise ValidationError(RULES_NOT_A_LIST_MESSAGE, code="rules_not_list")
    errors: list[ValidationError] = []
    cleaned: list[dict[str, Any]] = []
    for item in rules:
        if not isinstance(item, dict) or "rule" not in item:
            errors.append(ValidationError(RULES_NOT_A_LIST_MESSAGE, code="rules_not_list"))
            continue
        code = str(item["rule"])
        rule = RULES.get(code)
        if rule is None:
            errors.append(
                ValidationError(
                    UNKNOWN_RULE_MESSAGE,
                    code="unknown_rule",
                    params={"rule": code, "known": ", ".join(RULES)},
                )
            )
            continue
        out: dict[str, Any] = {"rule": code}
        for param, value in item.items():
            if param == "rule":
                continue
            if param == "kinds" and rule.takes_kinds:
                known = [k.value for k in LocalConnection]
                if not isinstance(value, list) or not value or set(value) - set(known):
                    errors.append(
                        ValidationError(
                            BAD_KINDS_MESSAGE,
                            code="bad_kinds",
                            params={"rule": code, "known": ", ".join(known)},
                        )
                    )
                else:
                    out["kinds"] = list(value)
                continue
            if param not in rule.params:
                errors.append(
                    ValidationError(
                        UNKNOWN_PARAM_MESSAGE,
                        code="unknown_param",
                        params={"rule": code, "param": param},
                    )
                )
                continue
            low, high = rule.params[param]
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                errors.append(
                    ValidationError(
                        BAD_NUMBER_MESSAGE,
                        code="bad_number",
                        params={"rule": code, "param": param, "low": low, "high": high},
                    )
                )
                continue
            out[param] = value
        if rule.takes_kinds and "kinds" not in out and not errors:
            errors.append(
                ValidationError(
                    BAD_KINDS_MESSAGE,
                    code="bad_kinds",
                    params={"rule": code, "known": ", ".join(k.value for k in LocalConnection)},
                )
            )
        cleaned.append(out)
    if errors:
        raise ValidationError(errors)
    return cleaned


def evaluate(entry: Entry, rules: Sequence[Mapping[str, Any]], context: Context) -> Verdict:
    """All reasons an entry does not meet the rules (none: eligible)."""
    reasons: list[str | Promise] = []
    for item in rules:
        rule = RULES.get(str(item.get("rule")))
        if rule is None:
            continue
        reason = rule.check(entry, item, context)
        if reason is not None:
            reasons.append(reason)
    return Verdict(ok=not reasons, reasons=reasons)


def describe(rules: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(label, description) per rule, for the public call page."""
    out = []
    for item in rules:
        rule = RULES.get(str(item.get("rule")))
        if rule is not None:
            out.append((str(rule.label), rule.describe(item)))
    return out

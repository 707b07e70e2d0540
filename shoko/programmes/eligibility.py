"""Who may apply (申請資格): a small registry of named rules over the applying business.

A programme stores its rules as data — ``[{"rule": "founded_within_years", "params":
{"years": 5}}]`` — validated against this registry. Each rule answers with (ok, reason) in the
reader's language, so the portal can say not only "not eligible" but why. Rules read
``Facts``, gathered once per business with a fixed number of queries, so that checking seven
programmes costs no more than checking one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shoko.directory.models import VacantShop

if TYPE_CHECKING:
    from shoko.directory.models import Business, Shop, ShoppingStreet
    from shoko.programmes.models import Application, Programme

UNKNOWN_RULE_MESSAGE = _("申請資格「%(rule)s」はありません（使えるもの: %(known)s）。")
RULES_NOT_A_LIST_MESSAGE = _(
    "申請資格は、規則のコード（rule）と設定（params）の組を並べたリストで指定してください。"
)
BAD_PARAM_MESSAGE = _(
    "申請資格「%(rule)s」の「%(param)s」は %(low)s〜%(high)s の整数にしてください。"
)
UNKNOWN_PARAM_MESSAGE = _("申請資格「%(rule)s」に「%(param)s」という設定はありません。")


@dataclass(frozen=True)
class RuleResult:
    ok: bool
    message: str | Promise


@dataclass
class Facts:
    """What the rules need to know about a business, read once."""

    business: Business
    on: dt.date
    shops_in_streets: list[Shop]
    association_streets: list[ShoppingStreet]
    application: Application | None = None

    @property
    def member_shops(self) -> list[Shop]:
        return [shop for shop in self.shops_in_streets if shop.is_association_member]


def facts_for(
    business: Business, *, on: dt.date | None = None, application: Application | None = None
) -> Facts:
    """Two queries whatever the number of rules or programmes asked about."""
    return Facts(
        business=business,
        on=on or timezone.localdate(),
        shops_in_streets=list(
            business.shops.filter(street__isnull=False).select_related("street", "street__area")
        ),
        association_streets=list(business.associated_streets.select_related("area")),
        application=application,
    )


@dataclass(frozen=True)
class Param:
    label: str | Promise
    low: int
    high: int
    default: int


@dataclass(frozen=True)
class Rule:
    code: str
    label: str | Promise
    check: Callable[..., RuleResult]
    params: Mapping[str, Param] = field(default_factory=dict)


RULES: dict[str, Rule] = {}


def rule(
    code: str, label: str | Promise, **params: Param
) -> Callable[[Callable[..., RuleResult]], Callable[..., RuleResult]]:
    def decorator(check: Callable[..., RuleResult]) -> Callable[..., RuleResult]:
        RULES[code] = Rule(code=code, label=label, check=check, params=params)
        return check

    return decorator


# --- The rules ------------------------------------------------------------------------------------


@rule("located_in_city", _("区内に所在する事業者"))
def located_in_city(facts: Facts) -> RuleResult:
    if facts.business.is_in_city:
        return RuleResult(True, _("区内に所在しています。"))
    return RuleResult(
        False, _("事業者の所在地が区内ではありません（事業者情報の所在地を確認してください）。")
    )


@rule("shop_in_city_street", _("区内の商店街にある個店"))
def shop_in_city_street(facts: Facts) -> RuleResult:
    application = facts.application
    if application is not None and application.shop_id:
        if application.shop.street_id:
            return RuleResult(True, _("対象の個店は商店街にあります。"))
        return RuleResult(False, _("対象の個店が商店街に登録されていません。"))
    if facts.shops_in_streets:
        return RuleResult(True, _("商店街にある個店があります。"))
    return RuleResult(
        False,
        _("区内の商店街にある個店が登録されていません（事業者情報で個店を登録してください）。"),
    )


@rule("street_association", _("商店街の団体（商店会）"))
def street_association(facts: Facts) -> RuleResult:
    if facts.business.is_association and facts.association_streets:
        return RuleResult(True, _("商店街を運営する団体です。"))
    return RuleResult(False, _("商店街を運営する団体（商店会など）だけが申請できます。"))


@rule(
    "founded_within_years",
    _("創業から一定年数以内"),
    years=Param(_("年数"), 1, 50, 5),
)
def founded_within_years(facts: Facts, *, years: int) -> RuleResult:
    if facts.business.founded_within(years, on=facts.on):
        return RuleResult(True, _("創業から%(years)s年以内です。") % {"years": years})
    if not (facts.business.startup_since or facts.business.founded_on):
        return RuleResult(
            False, _("創業日が登録されていません（事業者情報に創業・設立日を入力してください）。")
        )
    return RuleResult(
        False, _("創業から%(years)s年以内の事業者だけが申請できます。") % {"years": years}
    )


@rule("member_of_street_association", _("商店会の会員"))
def member_of_street_association(facts: Facts) -> RuleResult:
    application = facts.application
    if application is not None and application.shop_id:
        if application.shop.is_association_member:
            return RuleResult(True, _("対象の個店は商店会の会員です。"))
        return RuleResult(False, _("対象の個店が商店会の会員ではありません。"))
    if facts.member_shops:
        return RuleResult(True, _("商店会の会員です。"))
    return RuleResult(False, _("商店会に加入している個店だけが申請できます。"))


@rule("uses_vacant_shop", _("空き店舗への入居"))
def uses_vacant_shop(facts: Facts) -> RuleResult:
    application = facts.application
    if application is None:
        return RuleResult(True, _("申請書で、入居する空き店舗を選んでください。"))
    vacant = application.vacant_shop
    if vacant is None:
        return RuleResult(False, _("入居する空き店舗を選んでください。"))
    if vacant.status == VacantShop.Status.WITHDRAWN or not vacant.street_id:
        return RuleResult(
            False, _("選んだ空き店舗は対象になりません（募集が終了しているか商店街外です）。")
        )
    return RuleResult(True, _("登録された商店街の空き店舗に入居します。"))


# --- Validation and evaluation --------------------------------------------------------------------


def validate_rules(rules: Any) -> list[dict[str, Any]]:
    """Check a programme's stored rules against the registry; returns them normalised."""
    if not isinstance(rules, list):
        raise ValidationError(RULES_NOT_A_LIST_MESSAGE, code="not_a_list")
    errors: list[ValidationError] = []
    normalised: list[dict[str, Any]] = []
    for entry in rules:
        if isinstance(entry, str):
            entry = {"rule": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str):
            errors.append(ValidationError(RULES_NOT_A_LIST_MESSAGE, code="not_a_list"))
            continue
        definition = RULES.get(entry["rule"])
        if definition is None:
            errors.append(
                ValidationError(
                    UNKNOWN_RULE_MESSAGE,
                    code="unknown_rule",
                    params={"rule": entry["rule"], "known": ", ".join(sorted(RULES))},
                )
            )
            continue
        given = entry.get("params") or {}
        if not isinstance(given, dict):
            errors.append(ValidationError(RULES_NOT_A_LIST_MESSAGE, code="not_a_list"))
            continue
        params: dict[str, int] = {}
        for name in given:
            if name not in definition.params:
                errors.append(
                    ValidationError(
                        UNKNOWN_PARAM_MESSAGE,
                        code="unknown_param",
                        params={"rule": definition.code, "param": name},
                    )
                )
        for name, spec in definition.params.items():
            value = given.get(name, spec.default)
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not (spec.low <= value <= spec.high)
            ):
                errors.append(
                    ValidationError(
                        BAD_PARAM_MESSAGE,
                        code="bad_param",
                        params={
                            "rule": definition.code,
                            "param": name,
                            "low": spec.low,
                            "high": spec.high,
                        },
                    )
                )
                continue
            params[name] = value
        normalised.append({"rule": definition.code, "params": params})
    if errors:
        raise ValidationError(errors)
    return normalised


@dataclass(frozen=True)
class Verdict:
    """The answer for one programme and business: eligible or not, rule by rule."""

    results: Sequence[tuple[Rule, RuleResult]]

    @property
    def ok(self) -> bool:
        return all(result.ok for _rule, result in self.results)

    @property
    def reasons(self) -> list[str]:
        return [str(result.message) for _rule, result in self.results if not result.ok]


def evaluate(programme: Programme, facts: Facts) -> Verdict:
    results = []
    for entry in programme.eligibility_rules or []:
        definition = RULES.get(entry.get("rule", ""))
        if definition is None:  # validated on save; a rule removed from code since fails closed
            results.append(
                (
                    Rule(entry.get("rule", "?"), entry.get("rule", "?"), located_in_city),
                    RuleResult(
                        False, UNKNOWN_RULE_MESSAGE % {"rule": entry.get("rule"), "known": ""}
                    ),
                )
            )
            continue
        results.append((definition, definition.check(facts, **(entry.get("params") or {}))))
    return Verdict(results=results)


def describe(programme: Programme) -> list[str]:
    """The rules as people read them: ``創業から一定年数以内 (年数: 5)``."""
    lines = []
    for entry in programme.eligibility_rules or []:
        definition = RULES.get(entry.get("rule", ""))
        if definition is None:
            continue
        params = entry.get("params") or {}
        detail = ", ".join(
            f"{definition.params[name].label}: {value}"
            for name, value in params.items()
            if name in definition.params
        )
        lines.append(f"{definition.label} ({detail})" if detail else str(definition.label))
    return lines

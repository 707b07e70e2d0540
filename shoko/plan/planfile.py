"""Reading and validating a plan file (計画ファイル, YAML) before anything touches the database.

``read_plan_file(text)`` returns a ``PlanSpec`` or raises ``PlanFileError`` listing every problem
with its line in the file. The format is documented in ``data/plans/nerima-2018-strategy-13.yaml``
and in docs/architecture.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils.translation import gettext_lazy as _

from shoko.core.japan import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, FiscalYear
from shoko.plan import indicators
from shoko.plan.models import TargetKind

LANGUAGES = ("ja", "en", "zh-hans", "zh-hant", "ko")

E_YAML = _("YAMLとして読めません: %(detail)s")
E_NOT_MAPPING = _("「%(field)s」は「キー: 値」の形で書いてください")
E_NOT_LIST = _("「%(field)s」はリスト（- で始まる行）で書いてください")
E_DUPLICATE_KEY = _("キー「%(key)s」が重複しています")
E_REQUIRED = _("「%(field)s」がありません")
E_UNKNOWN_KEY = _("「%(key)s」は「%(field)s」に書けない項目です")
E_NOT_TEXT = _("「%(field)s」は文字列で書いてください")
E_NO_JAPANESE = _("「%(field)s」に日本語（ja）の記載がありません")
E_UNKNOWN_LANGUAGE = _(
    "「%(field)s」の言語「%(lang)s」は使えません（ja, en, zh-hans, zh-hant, ko）"
)
E_BAD_FY = _("「%(value)s」は年度（西暦の数字、例: 2019）として読めません")
E_PERIOD = _("計画期間は連続した年度で、古い順に書いてください")
E_MISSING_FY = _("%(fy)sの目標がありません")
E_OUTSIDE_PERIOD = _("%(fy)sは計画期間（%(first)s〜%(last)s）の外です")
E_MISSING_BASELINE = _("%(fy)s末の現況がありません")
E_UNKNOWN_BASELINE = _("%(fy)s末の現況は計画の「baselines」にありません")
E_DUPLICATE_NUMBER = _("番号「%(number)s」が重複しています")
E_UNKNOWN_INDICATOR = _("指標「%(code)s」は登録されていません")
E_UNKNOWN_KIND = _("目標の種類「%(kind)s」は使えません（held, run, started, enlarged, count）")
E_COUNT_WITHOUT_NUMBER = _("数値目標（count）には数値（number）が必要です")
E_NOT_NUMBER = _("「%(field)s」は0以上の整数で書いてください")
E_NUMBER_DISAGREES = _("数値 %(number)s が記載「%(text)s」と一致しません")
E_NUMBER_MISSING = _("記載「%(text)s」には数値がありますが、数値（number）がありません")
E_BREAKDOWN_DISAGREES = _("内訳 %(breakdown)s が記載「%(text)s」と一致しません")
E_BREAKDOWN_SUM = _("内訳の合計 %(sum)s が数値 %(number)s と一致しません")
E_BAD_SLUG = _("識別名（slug）は半角英数字とハイフンで書いてください")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class PlanFileError(Exception):
    """A plan file that cannot be loaded; ``problems`` say where and why."""

    def __init__(self, problems: Iterable[Problem], *, name: str = "") -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        self.name = name
        super().__init__(self.describe())

    def describe(self) -> str:
        prefix = f"{self.name}:" if self.name else "line "
        return "\n".join(
            f"{prefix}{p.line}: {p.message}" if self.name else str(p) for p in self.problems
        )


# --- YAML with line numbers ----------------------------------------------------------------------


class LineDict(dict):
    """A mapping that remembers the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in data.key_lines:
            raise PlanFileError([Problem(line, str(E_DUPLICATE_KEY % {"key": key}))])
        data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Any:
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


# --- What a plan file says -----------------------------------------------------------------------

Texts = dict[str, str]  # language → text; "ja" always present


@dataclass
class CellSpec:
    line: int
    text: Texts
    kind: str = TargetKind.NONE
    number: int | None = None
    unit: Texts = field(default_factory=dict)
    breakdown: dict[str, int] = field(default_factory=dict)


@dataclass
class RowSpec:
    line: int
    label: Texts
    indicators: list[str]
    baselines: dict[int, CellSpec]
    targets: dict[int, CellSpec]
    total: CellSpec


@dataclass
class ItemSpec:
    line: int
    number: str
    goal: Texts
    description: Texts
    priority: bool
    rows: list[RowSpec]


@dataclass
class MeasureSpec:
    line: int
    number: str
    title: Texts
    description: Texts
    divisions: Texts
    priority: bool
    items: list[ItemSpec]


@dataclass
class StrategySpec:
    line: int
    number: str
    title: Texts
    work_so_far: Texts
    measures: list[MeasureSpec]


@dataclass
class PlanSpec:
    slug: str
    title: Texts
    fiscal_years: list[int]
    era_of: str
    vision_target: Texts
    baselines: list[tuple[int, Texts]]
    strategies: list[StrategySpec]


# --- Numbers in the plan's words -----------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_CONTINUING = re.compile(r"継続\s*(\d+)")
_NEW = re.compile(r"新規\s*(\d+)")


def numbers_in(text: str) -> tuple[int | None, dict[str, int]]:
    """What a cell says in numbers: ``5地域 (継続4地域、新規1地域)`` → (5, {continuing: 4, new: 1});
    ``3地域 (継続)`` → (3, {continuing: 3, new: 0}); ``実施`` → (None, {})."""
    plain = unicodedata.normalize("NFKC", text)
    first = _DIGITS.search(plain)
    if first is None:
        return None, {}
    number = int(first.group())
    continuing = _CONTINUING.search(plain)
    new = _NEW.search(plain)
    breakdown: dict[str, int] = {}
    if continuing or new:
        breakdown = {
            "continuing": int(continuing.group(1)) if continuing else 0,
            "new": int(new.group(1)) if new else 0,
        }
    elif "(継続)" in plain.replace(" ", ""):
        breakdown = {"continuing": number, "new": 0}
    return number, breakdown


def cell_problems(
    *, text: str, kind: str, number: int | None, breakdown: dict[str, int]
) -> list[str]:
    """Why a cell's number, breakdown and kind disagree with its words (empty when they agree).

    Shared by the plan file and the target-editing form."""
    problems: list[str] = []
    said, said_breakdown = numbers_in(text)
    if kind == TargetKind.COUNT and number is None:
        problems.append(str(E_COUNT_WITHOUT_NUMBER))
    if number is not None and said != number:
        problems.append(str(E_NUMBER_DISAGREES % {"number": number, "text": text}))
    elif number is None and said is not None:
        problems.append(str(E_NUMBER_MISSING % {"text": text}))
    if number is not None and said == number and (breakdown or said_breakdown):
        if breakdown != said_breakdown:
            shown = ", ".join(f"{k}={v}" for k, v in sorted(breakdown.items())) or "—"
            problems.append(str(E_BREAKDOWN_DISAGREES % {"breakdown": shown, "text": text}))
        elif sum(breakdown.values()) != number:
            problems.append(
                str(E_BREAKDOWN_SUM % {"sum": sum(breakdown.values()), "number": number})
            )
    return problems


# --- The reader ----------------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, line: int, message: Any, **params: Any) -> None:
        self.problems.append(Problem(line, str(message % params) if params else str(message)))

    # Primitive checks ---------------------------------------------------------------------

    def mapping(self, value: Any, name: str, line: int, allowed: set[str]) -> LineDict | None:
        if not isinstance(value, LineDict):
            self.problem(line, E_NOT_MAPPING, field=name)
            return None
        for key in value:
            if key not in allowed:
                self.problem(value.key_lines[key], E_UNKNOWN_KEY, key=key, field=name)
        return value

    def line_of(self, data: LineDict, key: str) -> int:
        return data.key_lines.get(key, data.line)

    def required(self, data: LineDict, key: str) -> Any:
        if key not in data or data[key] is None:
            self.problem(data.line, E_REQUIRED, field=key)
            return None
        return data[key]

    def texts(self, data: LineDict, key: str, *, required: bool = True) -> Texts:
        if key not in data or data[key] is None:
            if required:
                self.problem(data.line, E_REQUIRED, field=key)
            return {}
        value = data[key]
        line = self.line_of(data, key)
        if isinstance(value, str):
            value = {"ja": value}
        if not isinstance(value, dict):
            self.problem(line, E_NOT_MAPPING, field=key)
            return {}
        result: Texts = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.problem(line, E_UNKNOWN_LANGUAGE, field=key, lang=lang)
            elif not isinstance(text, str):
                self.problem(line, E_NOT_TEXT, field=f"{key}.{lang}")
            else:
                result[lang] = text.strip()
        if not result.get("ja"):
            self.problem(line, E_NO_JAPANESE, field=key)
        return result

    def fiscal_year(self, value: Any, line: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(line, E_BAD_FY, value=value)
            return None
        if not FISCAL_YEAR_MIN <= value <= FISCAL_YEAR_MAX:
            self.problem(line, E_BAD_FY, value=value)
            return None
        return value

    def items_of(self, data: LineDict, key: str) -> list[tuple[int, Any]]:
        value = self.required(data, key)
        if value is None:
            return []
        if not isinstance(value, LineList):
            self.problem(self.line_of(data, key), E_NOT_LIST, field=key)
            return []
        return list(zip(value.item_lines, value, strict=True))

    def unique(self, seen: set[str], number: str, line: int) -> None:
        if number in seen:
            self.problem(line, E_DUPLICATE_NUMBER, number=number)
        seen.add(number)

    # The plan ------------------------------------------------------------------------------

    def plan(self, root: Any) -> PlanSpec | None:
        extras = {k for k in root if str(k).startswith("x-")} if isinstance(root, dict) else set()
        top = self.mapping(root, "file", 1, {"plan"} | extras)
        if top is None:
            return None
        data = self.mapping(
            self.required(top, "plan"),
            "plan",
            top.line,
            {
                "slug",
                "title",
                "fiscal_years",
                "era_of",
                "vision_target",
                "baselines",
                "strategies",
            },
        )
        if data is None:
            return None
        slug = self.required(data, "slug")
        if slug is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(slug)):
            self.problem(self.line_of(data, "slug"), E_BAD_SLUG)
        years = self.period(data)
        era_of = data.get("era_of", "end")
        if era_of not in ("start", "end"):
            self.problem(self.line_of(data, "era_of"), E_UNKNOWN_KEY, key=era_of, field="era_of")
        baselines: list[tuple[int, Texts]] = []
        for line, entry in self.items_of(data, "baselines"):
            entry = self.mapping(entry, "baselines", line, {"fiscal_year", "caption"})
            if entry is None:
                continue
            fy = self.fiscal_year(self.required(entry, "fiscal_year"), entry.line)
            caption = self.texts(entry, "caption", required=False)
            if fy is not None:
                baselines.append((fy, caption))
        baseline_years = [fy for fy, _ in baselines]
        strategies = []
        seen: set[str] = set()
        for line, entry in self.items_of(data, "strategies"):
            strategy = self.strategy(entry, line, years, baseline_years)
            if strategy:
                self.unique(seen, strategy.number, strategy.line)
                strategies.append(strategy)
        return PlanSpec(
            slug=str(slug or ""),
            title=self.texts(data, "title"),
            fiscal_years=years,
            era_of=str(era_of),
            vision_target=self.texts(data, "vision_target", required=False),
            baselines=baselines,
            strategies=strategies,
        )

    def period(self, data: LineDict) -> list[int]:
        line = self.line_of(data, "fiscal_years")
        value = self.required(data, "fiscal_years")
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.problem(line, E_NOT_LIST, field="fiscal_years")
            return []
        years = [self.fiscal_year(v, line) for v in value]
        if any(y is None for y in years):
            return []
        if years != list(range(years[0], years[0] + len(years))):
            self.problem(line, E_PERIOD)
            return []
        return years  # type: ignore[return-value]

    def strategy(
        self, entry: Any, line: int, years: list[int], baseline_years: list[int]
    ) -> StrategySpec | None:
        data = self.mapping(
            entry, "strategies", line, {"number", "title", "work_so_far", "measures"}
        )
        if data is None:
            return None
        measures = []
        seen: set[str] = set()
        for m_line, m_entry in self.items_of(data, "measures"):
            measure = self.measure(m_entry, m_line, years, baseline_years)
            if measure:
                self.unique(seen, measure.number, measure.line)
                measures.append(measure)
        return StrategySpec(
            line=data.line,
            number=str(self.required(data, "number") or ""),
            title=self.texts(data, "title"),
            work_so_far=self.texts(data, "work_so_far", required=False),
            measures=measures,
        )

    def measure(
        self, entry: Any, line: int, years: list[int], baseline_years: list[int]
    ) -> MeasureSpec | None:
        data = self.mapping(
            entry,
            "measures",
            line,
            {
                "number",
                "title",
                "description",
                "divisions",
                "priority",
                "items",
            },
        )
        if data is None:
            return None
        items = []
        seen: set[str] = set()
        for i_line, i_entry in self.items_of(data, "items"):
            item = self.item(i_entry, i_line, years, baseline_years)
            if item:
                self.unique(seen, item.number or "—", item.line)
                items.append(item)
        return MeasureSpec(
            line=data.line,
            number=str(self.required(data, "number") or ""),
            title=self.texts(data, "title"),
            description=self.texts(data, "description", required=False),
            divisions=self.texts(data, "divisions", required=False),
            priority=bool(data.get("priority", False)),
            items=items,
        )

    def item(
        self, entry: Any, line: int, years: list[int], baseline_years: list[int]
    ) -> ItemSpec | None:
        data = self.mapping(
            entry, "items", line, {"number", "goal", "description", "priority", "rows"}
        )
        if data is None:
            return None
        rows = []
        for r_line, r_entry in self.items_of(data, "rows"):
            row = self.row(r_entry, r_line, years, baseline_years)
            if row:
                rows.append(row)
        number = data.get("number") or ""
        return ItemSpec(
            line=self.line_of(data, "number") if number else data.line,
            number=str(number),
            goal=self.texts(data, "goal"),
            description=self.texts(data, "description", required=False),
            priority=bool(data.get("priority", False)),
            rows=rows,
        )

    def row(
        self, entry: Any, line: int, years: list[int], baseline_years: list[int]
    ) -> RowSpec | None:
        data = self.mapping(
            entry, "rows", line, {"label", "indicators", "baselines", "targets", "total"}
        )
        if data is None:
            return None
        codes = data.get("indicators") or []
        if not isinstance(codes, list):
            self.problem(self.line_of(data, "indicators"), E_NOT_LIST, field="indicators")
            codes = []
        for code in codes:
            if not indicators.is_registered(str(code)):
                self.problem(self.line_of(data, "indicators"), E_UNKNOWN_INDICATOR, code=code)
        baselines = self.cells(data, "baselines", baseline_years, E_MISSING_BASELINE, baseline=True)
        targets = self.cells(data, "targets", years, E_MISSING_FY, baseline=False)
        total_entry = self.required(data, "total")
        total = self.cell(total_entry, self.line_of(data, "total")) if total_entry else None
        if total is None:
            return None
        return RowSpec(
            line=data.line,
            label=self.texts(data, "label"),
            indicators=[str(c) for c in codes],
            baselines=baselines,
            targets=targets,
            total=total,
        )

    def cells(
        self, data: LineDict, key: str, years: list[int], missing: Any, *, baseline: bool
    ) -> dict[int, CellSpec]:
        line = self.line_of(data, key)
        value = self.required(data, key)
        if value is None:
            return {}
        if not isinstance(value, LineDict):
            self.problem(line, E_NOT_MAPPING, field=key)
            return {}
        result: dict[int, CellSpec] = {}
        for fy, cell in value.items():
            cell_line = value.key_lines[fy]
            year = self.fiscal_year(fy, cell_line)
            if year is None:
                continue
            if years and year not in years:
                if baseline:
                    self.problem(cell_line, E_UNKNOWN_BASELINE, fy=FiscalYear(year).label("ja"))
                else:
                    self.problem(
                        cell_line,
                        E_OUTSIDE_PERIOD,
                        fy=FiscalYear(year).label("ja"),
                        first=FiscalYear(years[0]).label("ja"),
                        last=FiscalYear(years[-1]).label("ja"),
                    )
                continue
            spec = self.cell(cell, cell_line)
            if spec is not None:
                result[year] = spec
        for year in years:
            if year not in result and year not in value:
                self.problem(line, missing, fy=FiscalYear(year).label("ja"))
        return result

    def cell(self, entry: Any, line: int) -> CellSpec | None:
        if not isinstance(entry, LineDict):
            self.problem(line, E_NOT_MAPPING, field="text")
            return None
        for key in entry:
            if key not in {"text", "kind", "number", "unit", "breakdown"}:
                self.problem(line, E_UNKNOWN_KEY, key=key, field="cell")
        text = self.texts(entry, "text")
        kind = str(entry.get("kind", TargetKind.NONE))
        if kind not in TargetKind.values or (kind == TargetKind.NONE and "kind" in entry):
            self.problem(line, E_UNKNOWN_KIND, kind=kind)
        number = entry.get("number")
        if number is not None and (
            isinstance(number, bool) or not isinstance(number, int) or number < 0
        ):
            self.problem(line, E_NOT_NUMBER, field="number")
            number = None
        breakdown = entry.get("breakdown") or {}
        if not isinstance(breakdown, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in breakdown.values()
        ):
            self.problem(line, E_NOT_NUMBER, field="breakdown")
            breakdown = {}
        if text.get("ja"):
            for message in cell_problems(
                text=text["ja"], kind=kind, number=number, breakdown=dict(breakdown)
            ):
                self.problems.append(Problem(line, message))
        return CellSpec(
            line=line,
            text=text,
            kind=kind,
            number=number,
            unit=self.texts(entry, "unit", required=False) if "unit" in entry else {},
            breakdown={str(k): int(v) for k, v in breakdown.items()},
        )


def read_plan_file(text: str, *, name: str = "") -> PlanSpec:
    """Parse and validate a plan file; every problem is reported at once, with its line."""
    try:
        root = yaml.load(text, Loader=_Loader)  # noqa: S506 — _Loader is a SafeLoader
    except PlanFileError as error:
        raise PlanFileError(error.problems, name=name) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        detail = getattr(error, "problem", None) or str(error)
        raise PlanFileError([Problem(line, str(E_YAML % {"detail": detail}))], name=name) from None
    reader = _Reader()
    spec = reader.plan(root)
    if reader.problems or spec is None:
        raise PlanFileError(
            reader.problems or [Problem(1, str(E_REQUIRED % {"field": "plan"}))], name=name
        )
    return spec

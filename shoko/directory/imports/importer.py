"""Import and export of the directory: a dry run that says row by row what would be created,
updated or refused and why, then the real import in one transaction per file (all or nothing);
export writes the same columns, so an exported file re-imports unchanged.

``import_file`` is what the background task and ``manage.py import_directory`` call.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from shoko.core.exports import XLSX_CONTENT_TYPE, csv_bytes
from shoko.core.models import User
from shoko.core.text import fold_for_search, normalize_company_name
from shoko.directory import records, services
from shoko.directory.hours import parse_weekly
from shoko.directory.imports.columns import (
    COLUMNS,
    MODELS,
    Column,
    exceptions_read,
    header_index,
    header_key,
    hours_read,
)
from shoko.directory.imports.tabular import (
    FORMULA_MESSAGE,
    FileRefused,
    Formula,
    Table,
    cell_text,
    protect_cell,
    read_table,
)
from shoko.directory.models import Business, Shop, ShoppingStreet, VacantShop

UNKNOWN_HEADER_MESSAGE = _(
    "知らない列見出しがあります: %(headers)s。テンプレートの見出しを使ってください。"
)
MISSING_COLUMN_MESSAGE = _("必須の列がありません: %(headers)s")
DUPLICATE_HEADER_MESSAGE = _("同じ列が2回あります: %(header)s")
ID_NOT_FOUND_MESSAGE = _(
    "ID %(id)s の記録はありません（新しく登録する行では ID を空にしてください）。"
)
SAME_AS_ROW_MESSAGE = _("%(row)s 行目と同じ記録を指しています。1行にまとめてください。")
CORPORATE_NUMBER_TAKEN_MESSAGE = _("法人番号 %(number)s は別の事業者（ID %(id)s）に登録済みです。")
NOTHING_IMPORTED_MESSAGE = _(
    "エラーのある行があるため、何も取り込みませんでした。エラーを直してもう一度お試しください。"
)
WRITE_FAILED_MESSAGE = _("書き込み中にエラーが起きたため、何も取り込みませんでした: %(detail)s")

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"
ACTION_LABELS = {
    CREATE: _("新規登録"),
    UPDATE: _("更新"),
    UNCHANGED: _("変更なし"),
    REFUSED: _("エラー"),
}
SERVICES = {
    "business": (services.create_business, services.update_business, "business"),
    "street": (services.create_street, services.update_street, "street"),
    "shop": (services.create_shop, services.update_shop, "shop"),
    "vacant_shop": (services.create_vacant_shop, services.update_vacant_shop, "vacant_shop"),
}
HOURS_KEYS = records.HOURS_KEYS
Progress = Callable[[str, int, int], None]


@dataclass
class RowReport:
    row: int
    action: str
    label: str = ""
    messages: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    pk: int | None = None
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "action": self.action,
            "label": self.label,
            "messages": self.messages,
            "changes": self.changes,
            "pk": self.pk,
        }


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    rows: list[RowReport] = field(default_factory=list)
    error: str = ""
    error_row: int | None = None
    empty_rows: int = 0
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def ok(self) -> bool:
        return not self.error and self.count(REFUSED) == 0


# --- Keys: how a row finds the record it updates -----------------------------------------------------  # noqa: E501


def _natural_key(kind: str, values: dict[str, Any], record: models.Model | None = None) -> Any:
    get = (lambda k: getattr(record, k)) if record is not None else (lambda k: values.get(k, ""))
    if kind == "business":
        name = get("name") or ""
        return (
            "name",
            normalize_company_name(name),
            records.address_key(
                get("postal_code") or "", get("address") or "", get("building") or ""
            )
            if get("address")
            else "",
        )
    if kind == "street":
        return "".join(fold_for_search(get("name_ja") or "").split())
    if kind == "shop":
        business = get("business")
        return (
            business.pk if business is not None else None,
            "".join(fold_for_search(get("name_ja") or "").split()),
            records.address_key(
                get("postal_code") or "", get("address") or "", get("building") or ""
            )
            if get("address")
            else "",
        )
    return records.address_key(
        get("postal_code") or "", get("address") or "", get("building") or ""
    )


def _key_index(kind: str) -> dict[Any, int]:
    """Natural key → pk for every existing record of ``kind`` (values only: fast at 100k)."""
    index: dict[Any, int] = {}
    if kind == "business":
        for pk, number, name_key, addr_key in Business.objects.values_list(
            "pk", "corporate_number", "name_key", "address_key"
        ):
            if number:
                index[("number", number)] = pk
            index.setdefault(("name", name_key, addr_key), pk)
    elif kind == "street":
        for pk, name_key in ShoppingStreet.objects.values_list("pk", "name_key"):
            index.setdefault(name_key, pk)
    elif kind == "shop":
        for pk, business_id, name_key, postal, address, building in Shop.objects.values_list(
            "pk", "business_id", "name_key", "postal_code", "address", "building"
        ):
            addr = records.address_key(postal, address, building) if address else ""
            index.setdefault((business_id, name_key, addr), pk)
    else:
        for pk, addr_key in VacantShop.objects.values_list("pk", "address_key"):
            index.setdefault(addr_key, pk)
    return index


def _fetch(kind: str, pk: int) -> models.Model | None:
    qs = MODELS[kind]._default_manager.all()
    if kind == "shop":
        qs = qs.prefetch_related("opening_periods", "opening_exceptions")
    return qs.filter(pk=pk).first()


def _messages(error: ValidationError, header_of: dict[str, str]) -> list[str]:
    if hasattr(error, "error_dict"):
        found = []
        for name, errors in error.error_dict.items():
            prefix = header_of.get(name, "" if name == "__all__" else name)
            for message in ValidationError(errors).messages:
                found.append(f"{prefix}: {message}" if prefix else message)
        return found
    return list(error.messages)


# --- Checking (the dry run) ---------------------------------------------------------------------------  # noqa: E501


def _columns_of(kind: str, table: Table) -> list[Column | None]:
    index = header_index(kind)
    columns: list[Column | None] = []
    unknown, seen = [], set()
    for header in table.header:
        if not header:
            columns.append(None)
            continue
        column = index.get(header_key(header))
        if column is None:
            unknown.append(header)
            columns.append(None)
            continue
        if column.key in seen:
            raise FileRefused(DUPLICATE_HEADER_MESSAGE, {"header": header}, row=table.header_row)
        seen.add(column.key)
        columns.append(column)
    if unknown:
        raise FileRefused(
            UNKNOWN_HEADER_MESSAGE, {"headers": "、".join(unknown)}, row=table.header_row
        )
    missing = [
        c.header(translation.get_language() or "ja")
        for c in COLUMNS[kind]
        if c.required and c.key not in seen
    ]
    if missing:
        raise FileRefused(
            MISSING_COLUMN_MESSAGE, {"headers": "、".join(missing)}, row=table.header_row
        )
    return columns


def check_rows(kind: str, table: Table, progress: Progress | None = None) -> list[RowReport]:
    """Parse and validate every row against the database without writing anything."""
    columns = _columns_of(kind, table)
    header_of = {c.key: table.header[i] for i, c in enumerate(columns) if c is not None}
    keys = _key_index(kind)
    model = MODELS[kind]
    existing_ids = set(model._default_manager.values_list("pk", flat=True))
    seen: dict[Any, int] = {}
    reports: list[RowReport] = []
    total = len(table.rows)
    step = max(1, total // 100)
    for done, (number, cells) in enumerate(table.rows, start=1):
        if progress and (done % step == 0 or done == total):
            progress("checking", done, total)
        report = RowReport(row=number, action=REFUSED)
        reports.append(report)
        for message, params in table.row_problems.get(number, []):
            report.messages.append(str(message) % params)
        values: dict[str, Any] = {}
        for position, column in enumerate(columns):
            if column is None or column.export_only:
                continue
            raw = cells[position] if position < len(cells) else None
            if isinstance(raw, Formula):
                report.messages.append(
                    str(FORMULA_MESSAGE) % {"column": table.header[position], "formula": raw.text}
                )
                continue
            try:
                values[column.key] = column.parse(cell_text(raw))
            except ValidationError as exc:
                report.messages.extend(f"{table.header[position]}: {m}" for m in exc.messages)
        report.label = str(
            values.get("name") or values.get("name_ja") or values.get("address") or ""
        )
        if report.messages:
            continue
        pk = values.pop("id", None)
        if pk is not None and pk not in existing_ids:
            report.messages.append(str(ID_NOT_FOUND_MESSAGE) % {"id": pk})
            continue
        natural = _natural_key(kind, values)
        number_key = (
            ("number", values.get("corporate_number")) if values.get("corporate_number") else None
        )
        if pk is None:
            pk = keys.get(number_key) if number_key else None
            pk = pk or keys.get(natural)
        elif number_key and keys.get(number_key, pk) != pk:
            report.messages.append(
                str(CORPORATE_NUMBER_TAKEN_MESSAGE)
                % {"number": values["corporate_number"], "id": keys[number_key]}
            )
            continue
        identity = pk if pk is not None else ("new", natural)
        if identity in seen:
            report.messages.append(str(SAME_AS_ROW_MESSAGE) % {"row": seen[identity]})
            continue
        seen[identity] = number
        if number_key and not pk:
            seen[number_key] = number
        record = _fetch(kind, pk) if pk is not None else model()
        hours = {k: values[k] for k in HOURS_KEYS if k in values}
        data = {k: v for k, v in values.items() if k not in HOURS_KEYS}
        changed = records.apply_changes(record, data)
        if pk is not None and hours:
            current = {
                "opening_hours": hours_read(record),
                "opening_exceptions": exceptions_read(record),
            }
            changed += [k for k, v in hours.items() if current[k] != v]
        else:
            changed += [k for k, v in hours.items() if v]
        if kind == "shop" and "opening_hours" in hours:
            record.holiday_rule = parse_weekly(hours["opening_hours"]).holiday_rule
        fk_names = [f.name for f in model._meta.concrete_fields if f.is_relation]
        try:
            records.validate_record(record, exclude=fk_names)
        except ValidationError as exc:
            report.messages.extend(_messages(exc, header_of))
            continue
        report.pk = pk
        if pk is None:
            report.action = CREATE
            report.data = values
        elif changed:
            report.action = UPDATE
            report.changes = [header_of.get(k, k) for k in changed]
            report.data = {k: values[k] for k in changed}
        else:
            report.action = UNCHANGED
    return reports


def write_rows(
    kind: str, reports: list[RowReport], actor: User | None, progress: Progress | None = None
) -> None:
    """Write checked rows in ONE transaction: any failure leaves the database as it was."""
    create, update, arg = SERVICES[kind]
    model = MODELS[kind]
    todo = [r for r in reports if r.action in (CREATE, UPDATE)]
    step = max(1, len(todo) // 100)
    if progress:
        progress("writing", 0, len(todo))
    with transaction.atomic():
        for done, report in enumerate(todo, start=1):
            if report.action == CREATE:
                record = create(actor=actor, data=report.data)
                report.pk = record.pk
            else:
                record = model._default_manager.get(pk=report.pk)
                update(actor=actor, data=report.data, **{arg: record})
            if progress and (done % step == 0 or done == len(todo)):
                progress("writing", done, len(todo))


def import_file(
    *,
    kind: str,
    fileobj: IO[bytes],
    filename: str,
    actor: User | None,
    dry_run: bool,
    language: str = "ja",
    progress: Progress | None = None,
) -> ImportResult:
    """Check (and unless ``dry_run``, import) one file; messages in ``language``."""
    if kind not in COLUMNS:
        raise ValueError(f"unknown kind {kind!r}")
    result = ImportResult(kind=kind, dry_run=dry_run)
    with translation.override(language):
        try:
            table = read_table(fileobj, filename)
            result.empty_rows = table.empty_rows
            result.rows = check_rows(kind, table, progress)
        except FileRefused as exc:
            result.error, result.error_row = exc.text(), exc.row
            return result
        if dry_run:
            return result
        if not result.ok:
            result.error = str(NOTHING_IMPORTED_MESSAGE)
            return result
        try:
            write_rows(kind, result.rows, actor, progress)
        except ValidationError as exc:
            result.error = str(WRITE_FAILED_MESSAGE) % {"detail": " ".join(exc.messages)}
            return result
        result.written = True
    return result


# --- Export -----------------------------------------------------------------------------------------------  # noqa: E501


def export_queryset(kind: str) -> models.QuerySet:
    qs = MODELS[kind]._default_manager.order_by("pk")
    if kind == "business":
        return qs.select_related("industry")
    if kind == "street":
        return qs.select_related("association", "area")
    if kind == "shop":
        return qs.select_related("business", "street", "category").prefetch_related(
            "opening_periods", "opening_exceptions"
        )
    return qs.select_related("street")


def export_columns(kind: str) -> list[Column]:
    return COLUMNS[kind]


def headers(kind: str, language: str = "ja") -> list[str]:
    return [c.header(language) for c in export_columns(kind)]


def export_rows(kind: str, records: Iterable[models.Model]) -> Iterable[list[Any]]:
    columns = export_columns(kind)
    for record in records:
        yield [protect_cell(column.cell(column.read(record))) for column in columns]


def template_rows(kind: str) -> list[list[Any]]:
    return [[c.example for c in export_columns(kind)]]


def to_csv(kind: str, rows: Iterable[list[Any]], language: str = "ja") -> bytes:
    return csv_bytes(headers(kind, language), rows)


def to_xlsx(kind: str, rows: Iterable[list[Any]], language: str = "ja") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=kind)
    bold = Font(bold=True)
    header_cells = []
    for text in headers(kind, language):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even when it starts with =
            elif hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "csv": "text/csv; charset=utf-8"}


def export_file(
    kind: str,
    fmt: str,
    *,
    language: str = "ja",
    records: Iterable[models.Model] | None = None,
    template: bool = False,
) -> bytes:
    rows = (
        template_rows(kind)
        if template
        else export_rows(
            kind,
            records if records is not None else export_queryset(kind).iterator(chunk_size=2000),
        )
    )
    return to_xlsx(kind, rows, language) if fmt == "xlsx" else to_csv(kind, rows, language)


def action_label(action: str) -> str:
    return _g(str(ACTION_LABELS[action]))

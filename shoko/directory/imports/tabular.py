"""Reading the spreadsheets staff really send: xlsx (read-only, fast), and CSV in UTF-8, UTF-8
with BOM or Shift_JIS (cp932), detected. Every way a file can be wrong becomes a
``FileRefused`` with a message (and the row, where there is one) — never a half-read file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

TOO_LARGE_MESSAGE = _("ファイルが大きすぎます（%(size)s MB）。%(limit)s MB 以下に分けてください。")
UNSUPPORTED_MESSAGE = _("xlsx（Excel）または CSV ファイルを選んでください。")
NOT_A_WORKBOOK_MESSAGE = _(
    "拡張子は .xlsx ですが、Excel ブックとして開けません。"
    "Excel で開いて「Excel ブック (*.xlsx)」として保存し直してください。"
)
EMPTY_FILE_MESSAGE = _("ファイルにデータがありません（見出し行が見つかりません）。")
MERGED_HEADER_MESSAGE = _(
    "見出し行に結合されたセル（%(ref)s）があります。結合を解除し、1列に1つの見出しにしてください。"
)
MERGED_ROW_MESSAGE = _("結合されたセル（%(ref)s）があります。結合を解除してください。")
FORMULA_MESSAGE = _(
    "「%(column)s」の列が数式（%(formula)s）です。値として貼り付けてから取り込んでください。"
)
ENCODING_MESSAGE = _(
    "%(row)s 行目に文字コードとして読めない文字があります"
    "（UTF-8 としても Shift_JIS としても読めません）。この行を直して保存し直してください。"
)
CSV_SYNTAX_MESSAGE = _("CSV の書式に誤りがあります（%(row)s 行目付近）: %(detail)s")

# A cell that starts like a formula is written with a leading apostrophe (CSV/formula
# injection); reading strips it again, so exported files re-import unchanged.
_FORMULA_START = ("=", "+", "@")


class FileRefused(Exception):
    """The whole file is refused; ``row`` says where, when one row is to blame."""

    def __init__(self, message: Any, params: dict[str, Any] | None = None, row: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.params = params or {}
        self.row = row

    def text(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass(frozen=True)
class Formula:
    text: str


@dataclass
class Table:
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (row number, cells)
    empty_rows: int = 0
    row_problems: dict[int, list[tuple[Any, dict[str, Any]]]] = field(default_factory=dict)


def protect_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def cell_text(value: Any) -> str:
    """A cell as text, whatever type Excel gave it (numbers without ``.0``, dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in _FORMULA_START:
        return text[1:]
    return text


def _size_of(fileobj: IO[bytes]) -> int:
    position = fileobj.tell()
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(position)
    return size


def check_size(size: int) -> None:
    limit = settings.SHOKO_UPLOAD_MAX_BYTES
    if size > limit:
        raise FileRefused(
            TOO_LARGE_MESSAGE,
            {"size": f"{size / 1024 / 1024:.1f}", "limit": f"{limit / 1024 / 1024:.0f}"},
        )


def read_table(fileobj: IO[bytes], filename: str) -> Table:
    """Read the first sheet (or the CSV) of ``fileobj``: size checked before any parsing."""
    check_size(_size_of(fileobj))
    name = filename.lower()
    fileobj.seek(0)
    if name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(fileobj)
    if name.endswith((".csv", ".txt")):
        return _read_csv(fileobj.read())
    raise FileRefused(UNSUPPORTED_MESSAGE)


# --- xlsx ---------------------------------------------------------------------------------------------  # noqa: E501

_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _merged_ranges(fileobj: IO[bytes], sheet_path: str) -> list[tuple[str, int, int]]:
    fileobj.seek(0)
    with zipfile.ZipFile(fileobj) as archive:
        data = archive.read(sheet_path)
    found = []
    for match in _MERGE_RE.finditer(data):
        first_row = int(match.group(2))
        last_row = int(match.group(4) or first_row)
        ref = match.group(0).split(b'"')[1].decode()
        found.append((ref, first_row, last_row))
    return found


def _read_xlsx(fileobj: IO[bytes]) -> Table:
    if not zipfile.is_zipfile(fileobj):
        raise FileRefused(NOT_A_WORKBOOK_MESSAGE)
    fileobj.seek(0)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        sheet_path = sheet._worksheet_path
    except Exception as exc:  # openpyxl raises many kinds for a zip that is not a workbook
        raise FileRefused(NOT_A_WORKBOOK_MESSAGE) from exc
    try:
        merged = _merged_ranges(fileobj, sheet_path)
        fileobj.seek(0)
        table: Table | None = None
        empty = 0
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells: list[Any] = []
            for cell in row:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or (
                    isinstance(value, str)
                    and value.startswith("=")
                    and len(value) > 1
                    and getattr(cell, "data_type", None) == "f"
                ):
                    cells.append(Formula(str(value)))
                else:
                    cells.append(value)
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                if table is not None:
                    empty += 1
                continue
            if table is None:
                for ref, first_row, last_row in merged:
                    if first_row <= number <= last_row:
                        raise FileRefused(MERGED_HEADER_MESSAGE, {"ref": ref}, row=number)
                table = Table(header=[cell_text(c) for c in cells], header_row=number)
                continue
            table.rows.append((number, cells))
        if table is None:
            raise FileRefused(EMPTY_FILE_MESSAGE)
        table.empty_rows = empty
        for ref, first_row, last_row in merged:
            for number in range(max(first_row, table.header_row + 1), last_row + 1):
                table.row_problems.setdefault(number, []).append((MERGED_ROW_MESSAGE, {"ref": ref}))
        return table
    finally:
        workbook.close()


# --- CSV ----------------------------------------------------------------------------------------------  # noqa: E501


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp932; a byte neither can read is reported by row."""
    encodings = ["utf-8-sig"] if data.startswith(b"\xef\xbb\xbf") else ["utf-8", "cp932"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Neither: find the first line that cp932 (or UTF-8 for a BOM file) cannot read.
    encoding = encodings[-1]
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode(encoding.replace("-sig", ""))
        except UnicodeDecodeError:
            raise FileRefused(ENCODING_MESSAGE, {"row": number}, row=number) from None
    raise FileRefused(ENCODING_MESSAGE, {"row": 1}, row=1)


def _read_csv(data: bytes) -> Table:
    text = decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    table: Table | None = None
    empty = 0
    try:
        for cells in reader:
            number = reader.line_num
            if not any(c.strip() for c in cells):
                if table is not None:
                    empty += 1
                continue
            if table is None:
                table = Table(header=[cell_text(c) for c in cells], header_row=number)
                continue
            table.rows.append((number, list(cells)))
    except csv.Error as exc:
        raise FileRefused(CSV_SYNTAX_MESSAGE, {"row": reader.line_num, "detail": str(exc)}) from exc
    if table is None:
        raise FileRefused(EMPTY_FILE_MESSAGE)
    table.empty_rows = empty
    return table

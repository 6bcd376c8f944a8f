"""Reading an uploaded file: encodings, delimiters, XLSX, limits, and the line numbers shown."""

from __future__ import annotations

import codecs
import io
import os
import zipfile

import pytest

from app.services import tabular
from app.services.errors import ImportRejected
from app.services.tabular import read_sheet
from tests.app.factories import as_xlsx

HEADERS = {"name", "code", "capacity", "min_size"}


def read(data: bytes, file: str = "tables.csv") -> tabular.Sheet:
    return read_sheet(data, file=file, known=lambda cell: cell.strip().lower() in HEADERS)


def problem(data: bytes, file: str = "tables.csv") -> str:
    with pytest.raises(ImportRejected) as caught:
        read(data, file)
    (only,) = caught.value.problems
    return str(only)


@pytest.mark.parametrize(
    "encoded",
    [
        "name,code\nPerú,PE\n".encode(),
        codecs.BOM_UTF8 + "name,code\nPerú,PE\n".encode(),
        "name,code\r\nPerú,PE\r\n".encode("utf-16"),  # with its byte-order mark
        "name\tcode\r\nPerú\tPE\r\n".encode("utf-16-le"),  # without one
        "name;code\nPerú;PE\n".encode("cp1252"),
        "name|code\nPerú|PE\n".encode("latin-1"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le", "cp1252", "latin-1"],
)
def test_common_encodings_and_delimiters(encoded: bytes) -> None:
    sheet = read(encoded)
    assert sheet.header == ["name", "code"]
    assert sheet.rows == [(2, ["Perú", "PE"])]


def test_the_delimiter_is_the_one_that_splits_the_header_into_known_names() -> None:
    # Commas inside the values would fool a count of delimiters.
    sheet = read(b'name;capacity\n"Table 1, by the window";4\n')
    assert sheet.rows == [(2, ["Table 1, by the window", "4"])]


def test_line_numbers_count_blank_lines_and_multi_line_cells() -> None:
    sheet = read(b'name,code\n\n"Two\nlines",A\n\nLast,B\n')
    assert [line for line, _cells in sheet.rows] == [3, 6]


def test_xlsx_cells_read_as_a_person_typed_them() -> None:
    sheet = read(as_xlsx([["name", "capacity"], ["Table 1", "4"], ["", ""], ["Table 2", "5"]]))
    assert sheet.rows == [(2, ["Table 1", "4"]), (4, ["Table 2", "5"])]


def test_empty_and_header_only_files() -> None:
    assert (
        problem(b"") == "tables.csv: the file is empty; it needs a header row and one row per entry"
    )
    assert problem(b"\n \n") == problem(b"")
    assert problem(b"name,capacity\n") == (
        "tables.csv, line 1: the file has a header but no rows; "
        "add one row per entry below the header"
    )


def test_files_over_the_size_limit() -> None:
    message = problem(b"name,capacity\n" + b"T,4\n" * (tabular.MAX_BYTES // 4))
    assert (
        message
        == "tables.csv: the file is 5.0 MB, over the 5 MB limit; split it into smaller files"
    )


def test_files_over_the_row_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    assert len(read(b"name\n1\n2\n3\n").rows) == 3
    assert problem(b"name\n1\n2\n3\n4\n") == (
        "tables.csv, line 5: the file has more than 3 rows; split it into smaller files"
    )


def test_binary_bytes_are_reported_on_their_line() -> None:
    assert problem(b"name,capacity\nT1,4\nT2,\x00\x9d\x01\nT3,4\n").startswith(
        "tables.csv, line 3: this line holds bytes that are not text"
    )
    # "\x89PNG" reads as Windows-1252 text; the control bytes start on the second line.
    picture = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01"
    assert problem(picture, "photo.csv") == (
        "photo.csv, line 2: this line holds bytes that are not text, so this is not a CSV file; "
        "save the sheet as CSV (UTF-8) or as XLSX"
    )


def test_other_spreadsheet_formats_are_named() -> None:
    assert "old Excel .xls format" in problem(tabular.XLS_MAGIC + b"\x00" * 100, "t.xls")
    assert "not a readable XLSX workbook" in problem(tabular.XLSX_MAGIC + b"junk", "t.xlsx")


# --- XLSX from a hostile or careless source --------------------------------------------------

SHEET = "xl/worksheets/sheet1.xml"


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def with_part(data: bytes, name: str, content: bytes, *, stored: bool = False) -> bytes:
    """The workbook with one part replaced (or added), as another tool might have written it."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item))
        target.writestr(name, content, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_stale_dimension_does_not_hide_rows() -> None:
    rows = [["name", "code"], *([f"Person {n}", f"P{n}"] for n in range(1, 2001))]
    book = as_xlsx(rows)
    sheet = part(book, SHEET)
    assert b'<dimension ref="A1:B2001" />' in sheet
    stale = with_part(book, SHEET, sheet.replace(b'ref="A1:B2001"', b'ref="A1:A1"'))
    read_back = read(stale, "participants.xlsx")
    assert len(read_back.rows) == 2000
    assert read_back.rows[-1] == (2001, ["Person 2000", "P2000"])


def test_a_zip_bomb_is_not_opened() -> None:
    book = as_xlsx([["name", "capacity"], ["T1", "4"]])
    padded = part(book, SHEET).replace(b"</worksheet>", b" " * (20 * 1024 * 1024) + b"</worksheet>")
    bomb = with_part(book, SHEET, padded)
    assert len(bomb) < 100_000
    message = problem(bomb, "tables.xlsx")
    assert message.startswith("tables.xlsx: the workbook's part xl/worksheets/sheet1.xml unpacks")
    assert "zip bomb" in message and "save the sheet again as XLSX or CSV" in message


def test_a_workbook_that_unpacks_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_UNPACKED", 1024 * 1024)
    book = as_xlsx([["name", "capacity"], ["T1", "4"]])
    padded = with_part(book, "xl/media/photo.bin", os.urandom(2 * 1024 * 1024), stored=True)
    assert problem(padded, "tables.xlsx") == (
        "tables.xlsx: the workbook unpacks to 2 MB, over the 1 MB an import may read; split it "
        "into smaller files or save it as CSV"
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (SHEET, b'<worksheet><sheetData><row r="1"><c r="A1"', "unclosed token"),
        (SHEET, b"<worksheet><sheetData></row></sheetData></worksheet>", "mismatched tag"),
        ("xl/workbook.xml", b"<workbook><sheets>", "no element found"),
        (
            SHEET,
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet>&b;</worksheet>',
            "its XML declares entities, which no spreadsheet needs",
        ),
    ],
    ids=["cut-short", "mismatched", "workbook", "entities"],
)
def test_malformed_xml_is_refused_with_the_reason(name: str, content: bytes, reason: str) -> None:
    book = with_part(as_xlsx([["name", "capacity"], ["T1", "4"]]), name, content)
    message = problem(book, "tables.xlsx")
    assert message.startswith("tables.xlsx: this XLSX workbook is damaged (")
    assert reason in message
    assert message.endswith("open it in Excel or LibreOffice and save it again")

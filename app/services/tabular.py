"""Read an uploaded spreadsheet, CSV or XLSX, into a header and numbered rows.

Organizers' files come from Excel, LibreOffice, Google Sheets and text editors, so the reader
guesses what they would not think to say: the encoding (UTF-8 with or without a byte-order
mark, UTF-16, or Windows-1252/Latin-1) and the delimiter (`,` `;` tab `|`, whichever splits the
header into known column names). Line numbers are the ones the organizer sees: the physical
line in a text editor where the row starts, or the row number in Excel.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils.exceptions import InvalidFileException

from ..i18n import _
from .errors import ImportRejected, RowProblem

MAX_BYTES = 5 * 1024 * 1024  # 5 MiB: thousands of participants take a few hundred KB
MAX_ROWS = 20_000
DELIMITERS = ",;\t|"
XLSX_MAGIC = b"PK\x03\x04"  # an XLSX file is a zip archive
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 Excel format


Lines = Generator[tuple[int, list[str]], None, None]  # (line number, cells)


@dataclass
class Sheet:
    file: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]  # (line, cells), blank rows left out


def _reject(file: str, line: int | None, message: str) -> ImportRejected:
    return ImportRejected([RowProblem(file, line, message)])


def read_sheet(data: bytes, *, file: str, known: Callable[[str], bool]) -> Sheet:
    """`known(header_cell)` tells whether a header cell names a column (to pick the delimiter)."""
    if len(data) > MAX_BYTES:
        raise _reject(
            file,
            None,
            _(
                "the file is {size:.1f} MB, over the {limit} MB limit; split it into smaller files"
            ).format(size=len(data) / 1024 / 1024, limit=MAX_BYTES // 1024 // 1024),
        )
    if data.startswith(XLS_MAGIC):
        raise _reject(
            file, None, _("this is the old Excel .xls format; save it as .xlsx or as CSV")
        )
    reader = (
        _xlsx_lines(data, file) if data.startswith(XLSX_MAGIC) else _csv_lines(data, file, known)
    )
    rows: list[tuple[int, list[str]]] = []
    with closing(reader):
        for number, cells in reader:
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            if len(rows) > MAX_ROWS:  # the header and MAX_ROWS rows are in already
                raise _reject(
                    file,
                    number,
                    _("the file has more than {limit} rows; split it into smaller files").format(
                        limit=MAX_ROWS
                    ),
                )
            rows.append((number, cells))
    if not rows:
        raise _reject(
            file, None, _("the file is empty; it needs a header row and one row per entry")
        )
    (header_line, header), body = rows[0], rows[1:]
    if not body:
        raise _reject(
            file,
            header_line,
            _("the file has a header but no rows; add one row per entry below the header"),
        )
    return Sheet(file=file, header=header, header_line=header_line, rows=body)


# --- CSV -------------------------------------------------------------------------------------


def _line_of(data: bytes | str, index: int) -> int:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, index) + 1  # type: ignore[arg-type]


def _not_text(file: str, line: int) -> ImportRejected:
    return _reject(
        file,
        line,
        _(
            "this line holds bytes that are not text, so this is not a CSV file; "
            "save the sheet as CSV (UTF-8) or as XLSX"
        ),
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: ASCII characters leave every other byte zero."""
    half = len(data) // 2
    if len(data) % 2 or half == 0:
        return None
    for codec, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if zeros.count(0) >= 0.9 * half:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def decode(data: bytes, file: str) -> str:
    """Text from bytes: a byte-order mark decides; else UTF-8; else Windows-1252."""
    text: str | None = None
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _not_text(file, _line_of(data, exc.start)) from exc
            break
    if text is None and b"\x00" in data:
        text = _utf16_without_bom(data)
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Not UTF-8: Excel on Windows writes Windows-1252, a superset of Latin-1's letters.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise _not_text(file, _line_of(data, exc.start)) from exc
    for index, char in enumerate(text):
        if char not in "\t\r\n" and unicodedata.category(char) == "Cc":
            raise _not_text(file, _line_of(text, index))
    return text


def _delimiter(text: str, known: Callable[[str], bool]) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")

    def fit(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return sum(known(cell) for cell in cells), len(cells)

    return max(DELIMITERS, key=fit)


def _csv_lines(data: bytes, file: str, known: Callable[[str], bool]) -> Lines:
    text = decode(data, file)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, known))
    while True:
        start = reader.line_num + 1  # a quoted cell may span lines: report where it starts
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _reject(
                file,
                start,
                _("unreadable CSV ({error}); check the quotes on this line").format(error=exc),
            ) from exc
        yield start, cells


# --- XLSX ------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


# A spreadsheet's XML shrinks ten to thirty times in its zip; a zip bomb, a thousand times.
MAX_UNPACKED = 100 * 1024 * 1024  # 100 MB of XML: far more than MAX_ROWS rows need
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024  # small parts (styles, empty sheets) may shrink more, harmlessly


def _check_zip(data: bytes, file: str) -> None:
    """Refuse a workbook that would unpack to far more than it weighs, before openpyxl opens it.
    The sizes checked are the ones the zip declares: Python's zipfile never unpacks more than
    the declared size of a part (a part that lies fails its checksum)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _reject(
            file, None, _("this is not a readable XLSX workbook; open it in Excel and save again")
        ) from exc
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        raise _reject(
            file,
            None,
            _(
                "the workbook unpacks to {size} MB, over the {limit} MB an import may read; "
                "split it into smaller files or save it as CSV"
            ).format(size=unpacked // 1024 // 1024, limit=MAX_UNPACKED // 1024 // 1024),
        )
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise _reject(
                file,
                None,
                _(
                    "the workbook's part {part} unpacks to {ratio} times its size, as no "
                    'spreadsheet does (a "zip bomb"), so it was not opened; save the sheet '
                    "again as XLSX or CSV"
                ).format(part=part.filename, ratio=part.file_size // max(part.compress_size, 1)),
            )


def _damaged(file: str, exc: BaseException) -> ImportRejected:
    # openpyxl wraps the parser's error in its own ("could not read worksheets"): name the first.
    while exc.__cause__ or exc.__context__:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    if isinstance(exc, DefusedXmlException):
        reason = _("its XML declares entities, which no spreadsheet needs")
    else:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return _reject(
        file,
        None,
        _(
            "this XLSX workbook is damaged ({reason}); open it in Excel or LibreOffice and "
            "save it again"
        ).format(reason=reason),
    )


def _xlsx_lines(data: bytes, file: str) -> Lines:
    _check_zip(data, file)
    # openpyxl parses with defusedxml when it is installed (a dependency of Ronda), so entity
    # expansions and external entities in a workbook's XML are refused, not followed.
    try:
        with warnings.catch_warnings():
            # Sheets written by other tools often lack a default style; openpyxl says so.
            warnings.filterwarnings("ignore", "Workbook contains no default style", UserWarning)
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        raise _reject(
            file, None, _("this is not a readable XLSX workbook; open it in Excel and save again")
        ) from exc
    except Exception as exc:  # openpyxl lets any error of a malformed part through
        raise _damaged(file, exc) from exc
    try:
        sheet = book.worksheets[0]
        # The sheet's <dimension> says which cells it holds, but tools write it stale (one row
        # of thousands): read the rows that are there instead.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        for number, row in enumerate(rows, start=1):
            yield number, [_cell(value) for value in row]
    except Exception as exc:  # broken XML in the sheet shows only as its rows are read
        raise _damaged(file, exc) from exc
    finally:
        book.close()

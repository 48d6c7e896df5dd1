"""Excel workbooks (contract section 6, "Excel workbooks").

A `<table>.xlsx` is read once per workbook, with python-calamine, into a cache
file of text records that the readers of both engines read like a CSV's
fields: record 1 is the header row, every later record a row, each a list of
cell texts by position (the header's width, then the extra cells up to the
row's last non-empty one). The file is a Parquet file in the cache folder
(CS_RAW_CACHE_DIR, never the raw folder), named by the table and the SHA-256
of the workbook's bytes (the macro workbook_cache_file), so a changed
workbook is never read from an old copy. It holds the records twice, with
`.` and with `,` as the decimal mark of number cells (the var
amount_decimal_separator picks one), so converting a workbook needs no var.

DuckDB converts on demand (the dbt-duckdb plugin inspects the folder through
cs_analytics.raw.files); dbt-spark cannot open a workbook, so
`python -m cs_analytics.raw.workbooks` converts the folder's workbooks before
a Spark build (`make run` and the nightly job's raw gate do), and the Spark
macros read the same file. A workbook that cannot be read leaves a note of
why (`<name>.refused.json`) beside the cache files, so that Spark refuses it
with the same sentence.

Cells become text as the contract says: a whole number as its digits,
another number in its shortest round-trip decimal form without exponent, a
date or date-time as `YYYY-MM-DD HH:MM:SS` rounded to the millisecond (with
`.ffffff` when a fraction remains), a time of day alone as `HH:MM:SS`, a
duration as its number of days, `true`/`false`, an error as its text
(`#N/A`), a formula as its cached value, an empty cell as null.
python-calamine reads an error cell as an empty one, so the error cells of
the worksheet are read from its XML (only when it holds any).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import posixpath
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from time import time as time_now
from typing import IO, Any
from xml.etree import ElementTree

from cs_analytics.raw.macros import RawFileError, default_macros, refusal
from cs_analytics.raw.tables import MAX_EXTRA_FIELDS, raw_tables
from cs_analytics.settings import RAW_CACHE_DIR, RAW_DIR

# An .xlsx file is a zip archive; an Excel 97-2003 workbook and an encrypted
# .xlsx are OLE2 compound files, the latter holding an EncryptedPackage stream.
ZIP_MARKER = b"PK\x03\x04"
OLE_MARKER = bytes.fromhex("d0cf11e0a1b11ae1")
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
CHUNK_BYTES = 1 << 20
# A cell whose type attribute is "e" (an error) in a worksheet's XML.
ERROR_TYPE = re.compile(rb"""\st\s*=\s*["']e["']""")
CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")
HEADER_ROW = 1
# Cache files that no build has read for this long are removed.
KEEP_DAYS = 7

Cell = str | None


class UnreadableWorkbook(Exception):  # noqa: N818 - a reason to refuse, not a bug
    """Why a file cannot be read as a workbook: a case of raw_file_message."""

    def __init__(self, case: str, reason: str = "") -> None:
        super().__init__(reason or case)
        self.case = case
        self.reason = reason


@dataclass(frozen=True)
class CachedWorkbook:
    """A workbook's records in the cache folder."""

    path: Path
    sheet: str

    def header(self, column: str) -> tuple[str, ...]:
        """The header row's names, trimmed, with `column`'s decimal mark."""
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(self.path)
        if parquet.metadata.num_rows == 0:
            return ()
        first = parquet.read_row_group(0, columns=[column]).column(0)[0].as_py()
        return tuple((name or "").strip() for name in first)


# --------------------------------------------------------------------------
# Cells as text
# --------------------------------------------------------------------------


def number_text(value: float, decimal_separator: str = ".") -> str:
    """A whole number as its digits; any other in its shortest round-trip
    decimal form, without exponent, with `decimal_separator` as its mark."""
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text:  # repr's shortest form, written out without the exponent
        text = format(Decimal(text), "f")
    return text if decimal_separator == "." else text.replace(".", decimal_separator)


def timestamp_text(value: datetime) -> str:
    """`YYYY-MM-DD HH:MM:SS`, rounded to the millisecond, with `.ffffff` when
    a fraction of a second remains."""
    if value.microsecond % 1000:
        value = value.replace(microsecond=0) + timedelta(
            milliseconds=round(value.microsecond / 1000)
        )
    return value.isoformat(sep=" ")


def time_text(value: time) -> str:
    """`HH:MM:SS` (a time of day alone), rounded as a timestamp."""
    moment = timestamp_text(datetime.combine(date(2000, 1, 1), value))
    # 23:59:59.9996 rounds to the next day's midnight: a whole day, 24:00:00.
    return moment[11:] if moment.startswith("2000-01-01") else "24:00:00"


# python-calamine's type of a cell -> its text with a decimal mark (contract
# section 6), looked up by exact type: a bool is not read as an int.
CELL_TEXT: dict[type, Callable[[Any, str], Cell]] = {
    str: lambda value, _: value or None,
    float: number_text,
    int: number_text,
    bool: lambda value, _: "true" if value else "false",
    datetime: lambda value, _: timestamp_text(value),
    date: lambda value, _: timestamp_text(datetime.combine(value, time())),
    time: lambda value, _: time_text(value),
    # A duration ([h]:mm) is a number: its days.
    timedelta: lambda value, mark: number_text(value / timedelta(days=1), mark),
}
# The cells whose text has a decimal mark.
DECIMAL_TYPES = (float, timedelta)


def cell_text(value: Any, decimal_separator: str = ".") -> Cell:
    """One cell, as python-calamine gives it, as text (contract section 6)."""
    if value is None:
        return None
    convert = CELL_TEXT.get(type(value))
    if convert is None:
        raise TypeError(f"a workbook cell of unexpected type {type(value).__name__}")
    return convert(value, decimal_separator)


def _is_blank(text: Cell) -> bool:
    return text is None or not text.strip()


def sheet_records(rows: Sequence[Sequence[Any]]) -> Iterator[tuple[list[Cell], list[Cell]]]:
    """The records of a worksheet's rows, each with `.` and with `,` as the
    decimal mark: the first row that is not empty is the header (up to its
    last non-empty cell); a later row that is empty (or only whitespace) is
    skipped; a record has the header's width, plus its cells beyond it up to
    its last non-empty one (at most MAX_EXTRA_FIELDS)."""
    width = None
    for row in rows:
        point = [cell_text(value) for value in row]
        last = len(point) - 1
        while last >= 0 and _is_blank(point[last]):
            last -= 1
        if last < 0:
            continue
        comma = point
        if any(type(value) in DECIMAL_TYPES for value in row):
            comma = [
                cell_text(value, ",") if type(value) in DECIMAL_TYPES else text
                for value, text in zip(row, point, strict=True)
            ]
        if width is None:
            width = last + 1
            yield [text or "" for text in point[:width]], [text or "" for text in comma[:width]]
            continue
        end = max(width, min(last + 1, width + MAX_EXTRA_FIELDS))
        padding = [None] * (end - len(point))
        yield point[:end] + padding, comma[:end] + padding


# --------------------------------------------------------------------------
# Reading a workbook
# --------------------------------------------------------------------------


def check_container(path: Path) -> None:
    """Refuse a file that is not an .xlsx before a reader opens it."""
    with path.open("rb") as handle:
        head = handle.read(len(OLE_MARKER))
    if head.startswith(ZIP_MARKER):
        return
    if head == OLE_MARKER:
        if _holds(path, ENCRYPTED_STREAM):
            raise UnreadableWorkbook("encrypted_workbook")
        raise UnreadableWorkbook("old_xls")
    raise UnreadableWorkbook("not_workbook", "it is not a zip archive, as every .xlsx file is")


def _holds(path: Path, needle: bytes) -> bool:
    overlap = len(needle) - 1
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            if needle in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def read_sheet(path: Path) -> tuple[str, list[list[Any]]]:
    """The first worksheet (tab order) of the workbook: its name and its rows,
    error cells as text, from its first column that holds a cell (the columns
    left of the table are not part of it)."""
    import python_calamine

    check_container(path)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise UnreadableWorkbook("encrypted_workbook") from None
    except Exception as error:  # noqa: BLE001 - any unreadable file is refused the same way
        raise UnreadableWorkbook("not_workbook", _reason(error)) from None
    try:
        names = [
            sheet.name
            for sheet in workbook.sheets_metadata
            if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if not names:
            raise UnreadableWorkbook("not_workbook", "it has no worksheet")
        rows = workbook.get_sheet_by_name(names[0]).to_python(skip_empty_area=False)
    except UnreadableWorkbook:
        raise
    except Exception as error:  # noqa: BLE001
        raise UnreadableWorkbook("not_workbook", _reason(error)) from None
    finally:
        workbook.close()
    rows = [list(row) for row in rows]
    for (row, column), text in error_cells(path, names[0]).items():
        while len(rows) <= row:
            rows.append([])
        cells = rows[row]
        if len(cells) <= column:
            cells.extend([None] * (column + 1 - len(cells)))
        cells[column] = text
    first = min(
        (
            next(index for index, value in enumerate(row) if not _is_empty(value))
            for row in rows
            if any(not _is_empty(value) for value in row)
        ),
        default=0,
    )
    return names[0], [row[first:] for row in rows]


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text.rstrip(".")


def error_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """(row, column) from A1 = (0, 0) -> the text of each error cell of the
    worksheet (#N/A, #DIV/0!): python-calamine reads them as empty cells."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet_name)
            if member is None:
                return {}
            with archive.open(member) as stream:
                if not _mentions_errors(stream):
                    return {}
            with archive.open(member) as stream:
                return _parse_error_cells(stream)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError):
        return {}


def _mentions_errors(stream: IO[bytes]) -> bool:
    tail = b""
    while chunk := stream.read(CHUNK_BYTES):
        if ERROR_TYPE.search(tail + chunk):
            return True
        tail = chunk[-32:]
    return False


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _parse_error_cells(stream: IO[bytes]) -> dict[tuple[int, int], str]:
    errors: dict[tuple[int, int], str] = {}
    row = column = -1
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                number = element.get("r")
                row = int(number) - 1 if number else row + 1
                column = -1
            elif tag == "c":
                match = CELL_REFERENCE.match(element.get("r") or "")
                column = _column_index(match.group(1)) if match else column + 1
            continue
        if tag == "c":
            if element.get("t") == "e":
                value = next((child.text for child in element if _local(child.tag) == "v"), None)
                if value:
                    errors[(row, column)] = value
            element.clear()
        elif tag == "row":
            element.clear()
    return errors


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target part) of the relationships of `part` ('' = the package)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    root = ElementTree.fromstring(archive.read(rels))
    found = {}
    for relation in root:
        target = relation.get("Target") or ""
        target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found[relation.get("Id") or ""] = (relation.get("Type") or "", posixpath.normpath(target))
    return found


def _sheet_member(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = next(
        (target for kind, target in _relationships(archive, "").values()
         if kind.endswith("/officeDocument")),
        None,
    )
    if workbook is None:
        return None
    targets = _relationships(archive, workbook)
    for element in ElementTree.fromstring(archive.read(workbook)).iter():
        if _local(element.tag) == "sheet" and element.get("name") == sheet_name:
            relation = next(
                (value for key, value in element.attrib.items() if _local(key) == "id"), None
            )
            return targets[relation][1] if relation in targets else None
    return None


# --------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def fields_column(decimal_separator: str) -> str:
    """The cached records whose number cells carry this decimal mark."""
    return str(default_macros().workbook_fields_column(decimal_separator))


def cache_dir() -> Path:
    return RAW_CACHE_DIR.path()


def prepare_workbook(path: Path, table: str, folder: Path | None = None) -> CachedWorkbook:
    """The workbook's records in the cache folder, converted when missing;
    raises the refusal's RawFileError when it cannot be read."""
    if path.stat().st_size == 0:
        raise refusal("empty", path=path)
    folder = folder or cache_dir()
    name = str(default_macros().workbook_cache_file(table, file_digest(path)))
    records = folder / f"{name}.parquet"
    refused = folder / f"{name}.refused.json"
    if records.is_file():
        os.utime(records)
        return CachedWorkbook(records, _sheet_of(records))
    if refused.is_file():
        os.utime(refused)
        note = json.loads(refused.read_text(encoding="utf-8"))
        raise refusal(note["case"], path=path, reason=note["reason"])
    folder.mkdir(parents=True, exist_ok=True)
    _prune(folder)
    try:
        sheet, rows = read_sheet(path)
    except UnreadableWorkbook as problem:
        _write_atomically(refused, json.dumps({"case": problem.case, "reason": problem.reason}))
        raise refusal(problem.case, path=path, reason=problem.reason) from None
    _write_records(records, sheet, rows)
    return CachedWorkbook(records, sheet)


def _sheet_of(records: Path) -> str:
    import pyarrow.parquet as pq

    metadata = pq.read_schema(records).metadata or {}
    return metadata.get(b"cs_sheet", b"").decode("utf-8")


def _write_records(target: Path, sheet: str, rows: Sequence[Sequence[Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    point: list[list[Cell]] = []
    comma: list[list[Cell]] = []
    for with_point, with_comma in sheet_records(rows):
        point.append(with_point)
        comma.append(with_comma)
    texts = pa.list_(pa.string())
    table = pa.table(
        {
            "record_id": pa.array(range(HEADER_ROW, HEADER_ROW + len(point)), pa.int64()),
            fields_column("."): pa.array(point, texts),
            fields_column(","): pa.array(comma, texts),
        }
    ).replace_schema_metadata({"cs_sheet": sheet})
    staged = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    pq.write_table(table, staged)
    os.replace(staged, target)


def _write_atomically(target: Path, text: str) -> None:
    staged = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, target)


def _prune(folder: Path) -> None:
    """Remove what no build has read for KEEP_DAYS (a file in use is touched
    each time a build finds it, so two builds on two raw folders sharing the
    cache never remove each other's workbooks)."""
    oldest = time_now() - KEEP_DAYS * 86400
    for old in folder.iterdir():
        try:
            if old.is_file() and old.stat().st_mtime < oldest:
                old.unlink(missing_ok=True)
        except OSError:
            continue


def prepare_folder(raw_dir: Path, folder: Path | None = None) -> list[str]:
    """Convert every `<table>.xlsx` of the raw folder; one line per workbook
    (its refusal when it cannot be read: the build will refuse it the same
    way)."""
    lines = []
    for table in raw_tables():
        path = raw_dir / f"{table}.xlsx"
        if not path.is_file():
            continue
        try:
            cached = prepare_workbook(path, table, folder)
        except RawFileError as error:
            lines.append(f"{path.name}: {error}")
        else:
            lines.append(f"{path.name}: worksheet '{cached.sheet}' read into {cached.path}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Read the raw folder's Excel workbooks into the cache folder "
        "(CS_RAW_CACHE_DIR), where dbt reads them; needed before a Spark build."
    )
    parser.add_argument("--raw-dir", type=Path, default=RAW_DIR.path())
    args = parser.parse_args(argv)
    for line in prepare_folder(args.raw_dir):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The raw folder: which file holds each table, whether it can be read, and how
DuckDB reads it (contract sections 1, 5 and 6).

This is the one definition of the raw-file reader for DuckDB. dbt's staging
reads through it (the dbt-duckdb plugin `cs_analytics.dbt_plugin` exposes
`inspect_folder` and `reader_select` to the macros as SQL functions), and so do
the Dagster raw gates, the preflight (`python -m cs_analytics.preflight`) and
the benchmark floor. Every problem with a file is one sentence that names the
file, the line where known, and what to do.

CSV is read as spreadsheets write it (RFC 4180): quoted values may hold commas,
doubled quotes and line breaks; LF or CRLF; a UTF-8 byte-order mark is
ignored; blank lines are skipped; a short row has nulls for its missing fields
and a long row keeps its extra fields in `raw_record` only.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cs_analytics.raw_tables import RawTable, raw_tables

FORMATS = ("csv", "parquet")
# Extra fields a long CSV row may carry beyond its header: they are kept in
# raw_record only; further ones are dropped (see DECISIONLOG.md).
MAX_EXTRA_FIELDS = 16
# A value the CSV reader reads as null: none. Empty fields stay '' (they are
# null after trimming in staging) so that a row's missing trailing fields
# (null) can be told from present empty ones, and blank lines skipped.
NEVER_NULL = "\x01"
# The row's position inside the records reader, named so that no raw column
# (a Parquet file names its own) can clash with it.
ROW_NUMBER = "cs_source_row_number"
OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
CHUNK_BYTES = 16 << 20
UTF8_BOM = codecs.BOM_UTF8
SAVE_AS_CSV = "save it as CSV UTF-8 with commas (in Excel: Save As > CSV UTF-8 (comma delimited))"
# A Parquet file begins and ends with these four bytes. Checked before the
# schema is read, so that a truncated or foreign file is refused with the same
# reason by every reader (the Spark macros check the same bytes).
PARQUET_MARKER = b"PAR1"
PARQUET_MARKER_REASON = "it does not begin and end with the Parquet marker PAR1"


class RawFileError(Exception):
    """A raw folder or file that cannot be read as the contract describes; the
    message is one sentence saying what is wrong and what to do."""


@dataclass(frozen=True)
class RawFile:
    """One table of the raw folder as it will be read.

    `columns` maps every contract column to the position of its field in the
    file's header (None when the file lacks it); `header` holds the file's own
    header names, trimmed, as `raw_record` keeps them.
    """

    table: str
    path: str | None
    format: str | None
    header: tuple[str, ...] = ()
    columns: Mapping[str, int | None] = field(default_factory=dict)
    source_names: tuple[str, ...] = ()
    column_types: tuple[str, ...] = ()
    declared_absent: bool = False

    @property
    def is_present(self) -> bool:
        return self.path is not None

    @property
    def missing_columns(self) -> tuple[str, ...]:
        return tuple(name for name, index in self.columns.items() if index is None)

    def to_json(self) -> str:
        payload = asdict(self)
        payload["columns"] = dict(self.columns)
        return json.dumps(payload, ensure_ascii=False)


# --------------------------------------------------------------------------
# Settings of section 6 that decide how files are read
# --------------------------------------------------------------------------


def check_table_names(names: Sequence[str], var: str) -> None:
    known = raw_tables()
    for name in names:
        if name not in known:
            raise RawFileError(
                f"The var {var} names the unknown table '{name}': use "
                f"{', '.join(known)}."
            )


def normalise_absent_tables(value: Any) -> tuple[str, ...]:
    if value in (None, "", "None"):
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence):
        raise RawFileError(
            "The var absent_tables must be a list of table names, e.g. [tickets, survey_responses]."
        )
    names = tuple(str(name).strip() for name in value)
    check_table_names(names, "absent_tables")
    return names


def normalise_column_names(value: Any) -> dict[str, dict[str, str]]:
    """raw_column_names: {table: {contract column: header in the file}}."""
    if value in (None, "", "None"):
        return {}
    if not isinstance(value, Mapping):
        raise RawFileError(
            "The var raw_column_names must map tables to {contract column: header}, "
            "e.g. {orders: {order_id: 'Mã đơn hàng'}}."
        )
    check_table_names([str(name) for name in value], "raw_column_names")
    known = raw_tables()
    mapping: dict[str, dict[str, str]] = {}
    for table, columns in value.items():
        if not isinstance(columns, Mapping):
            raise RawFileError(
                f"The var raw_column_names.{table} must map contract columns to headers, "
                f"e.g. {{{known[table].key}: 'Mã'}}."
            )
        for column, header in columns.items():
            if column not in known[table].column_names:
                raise RawFileError(
                    f"The var raw_column_names maps the unknown column '{table}.{column}': the "
                    f"columns of {table} are {', '.join(known[table].column_names)}."
                )
            if header is None or not str(header).strip():
                raise RawFileError(
                    f"The var raw_column_names maps {table}.{column} to an empty header: "
                    "give the header as the file writes it."
                )
        mapping[str(table)] = {str(c): str(h).strip() for c, h in columns.items()}
    return mapping


# --------------------------------------------------------------------------
# Finding and checking files
# --------------------------------------------------------------------------


def display(path: Path) -> str:
    return str(path)


def find_raw_file(raw_dir: Path, table: RawTable, absent_tables: Sequence[str] = ()) -> Path | None:
    """The one `<table>.csv` or `<table>.parquet` of the raw folder, or None
    for a table that may be (or is declared) absent."""
    found = [raw_dir / f"{table.name}.{extension}" for extension in FORMATS]
    found = [path for path in found if path.is_file()]
    if len(found) > 1:
        raise RawFileError(
            f"The raw folder '{raw_dir}' holds both {table.name}.csv and {table.name}.parquet: "
            "keep exactly one of them."
        )
    if table.name in absent_tables:
        if found:
            raise RawFileError(
                f"The raw folder '{raw_dir}' holds {found[0].name}, but the var absent_tables "
                f"declares {table.name} absent: remove the file, or remove {table.name} from "
                "absent_tables."
            )
        return None
    if not found:
        if table.optional_file:
            return None
        raise RawFileError(
            f"The raw file {table.name}.csv (or {table.name}.parquet) is missing from the raw "
            f"folder '{raw_dir}': add it, or point CS_RAW_DIR at the folder of your export."
        )
    return found[0]


def _line_of(path: Path, offset: int) -> int:
    """The 1-based physical line holding byte `offset`."""
    line = 1
    with path.open("rb") as handle:
        remaining = offset
        while remaining > 0:
            chunk = handle.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            line += chunk.count(b"\n")
            remaining -= len(chunk)
    return line


def _open_quote_line(path: Path) -> int:
    """The line of the quote still open at the end of the file (the file has
    an odd number of quote characters)."""
    inside = False
    opened_at = 1
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            quotes = line.count(b'"')
            if quotes % 2:
                inside = not inside
                if inside:
                    opened_at = number
    return opened_at


def check_csv_bytes(path: Path) -> None:
    """Refuse a CSV that cannot be read as one (contract section 5): 0 bytes,
    not UTF-8, or a quote that is never closed. One pass over the file."""
    if path.stat().st_size == 0:
        raise RawFileError(
            f"The raw file '{path}' is empty (0 bytes): export the table again with its header "
            "row (a header-only file is a valid empty table)."
        )
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    quotes = 0
    offset = 0
    with path.open("rb") as handle:
        first = True
        while chunk := handle.read(CHUNK_BYTES):
            if first:
                _refuse_utf16(path, chunk)
                first = False
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line = _line_of(path, offset + error.start)
                raise RawFileError(
                    f"The raw file '{path}' is not UTF-8 (line {line} "
                    f"holds bytes that are not): {SAVE_AS_CSV}."
                ) from None
            quotes += chunk.count(b'"')
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise RawFileError(
            f"The raw file '{path}' is not UTF-8 (it ends in the middle of a character): "
            f"{SAVE_AS_CSV}."
        ) from None
    if quotes % 2:
        raise RawFileError(
            f"The raw file '{path}' has a quote opened on line {_open_quote_line(path)} that is "
            'never closed: close it (a quote inside a value is written twice, "") or export the '
            "file again."
        )


def _refuse_utf16(path: Path, first_chunk: bytes) -> None:
    head = first_chunk[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        raise RawFileError(
            f"The raw file '{path}' is UTF-16 (or holds NUL bytes), not UTF-8: {SAVE_AS_CSV}."
        )


def read_csv_header(path: Path) -> tuple[str, ...]:
    """The header row's names, trimmed (a BOM is ignored); refuses another delimiter."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM) :]
    text = head.decode("utf-8", errors="replace")
    try:
        row = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        row = []
    if len(row) == 1:
        for delimiter, name in OTHER_DELIMITERS.items():
            if delimiter in row[0]:
                raise RawFileError(
                    f"The raw file '{path}' is separated by {name}, not commas: {SAVE_AS_CSV}."
                )
    return tuple(name.strip() for name in row)


def read_parquet_header(path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Column names (as written) and Arrow types of a Parquet file."""
    import pyarrow.parquet as pq

    try:
        if not _has_parquet_markers(path):
            raise ValueError(PARQUET_MARKER_REASON)
        schema = pq.read_schema(path)
    except Exception as error:  # noqa: BLE001 - any unreadable file is refused the same way
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise RawFileError(
            f"The raw file '{path}' cannot be read as Parquet ({reason}): export the table "
            "again, as Parquet or as CSV UTF-8 with commas."
        ) from None
    return (
        tuple(schema.names),
        tuple(str(schema.field(index).type) for index in range(len(schema.names))),
    )


def _has_parquet_markers(path: Path) -> bool:
    size = path.stat().st_size
    if size < 2 * len(PARQUET_MARKER):
        return False
    with path.open("rb") as handle:
        head = handle.read(len(PARQUET_MARKER))
        handle.seek(size - len(PARQUET_MARKER))
        return head == PARQUET_MARKER and handle.read() == PARQUET_MARKER


def match_columns(
    table: RawTable, path: Path, header: Sequence[str], mapping: Mapping[str, str]
) -> dict[str, int | None]:
    """Contract column -> position in the header (section 6 headers)."""
    positions: dict[str, int | None] = {}
    exact = {}
    folded = {}
    for index, name in enumerate(header):
        exact.setdefault(name, index)
        folded.setdefault(name.lower(), index)
    for column in table.column_names:
        if column in mapping:
            wanted = mapping[column]
            if wanted not in exact:
                raise RawFileError(
                    f"The raw file '{path}' has no column '{wanted}', which the var "
                    f"raw_column_names maps to {table.name}.{column}; its headers are: "
                    f"{', '.join(header) or '(none)'}."
                )
            positions[column] = exact[wanted]
        else:
            positions[column] = exact.get(column, folded.get(column.lower()))
    if positions[table.key] is None:
        shown = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")
        raise RawFileError(
            f"The raw file '{path}' has no {table.key} column in its first row ({shown}): its "
            "header row is missing or it is the wrong file; if the export names the column "
            f"differently, map it with the var raw_column_names ({{{table.name}: "
            f"{{{table.key}: '...'}}}})."
        )
    return positions


def inspect_table(
    raw_dir: Path,
    table: RawTable,
    absent_tables: Sequence[str] = (),
    column_names: Mapping[str, Mapping[str, str]] | None = None,
    *,
    check_bytes: bool = True,
) -> RawFile:
    """Find, check and describe one table's file; raises RawFileError."""
    path = find_raw_file(raw_dir, table, absent_tables)
    if path is None:
        return RawFile(
            table.name,
            None,
            None,
            columns={column: None for column in table.column_names},
            declared_absent=table.name in absent_tables,
        )
    mapping = dict((column_names or {}).get(table.name, {}))
    if path.suffix == ".csv":
        if check_bytes:
            check_csv_bytes(path)
        elif path.stat().st_size == 0:
            check_csv_bytes(path)
        header = read_csv_header(path)
        source_names: tuple[str, ...] = ()
        types: tuple[str, ...] = ()
        file_format = "csv"
    else:
        source_names, types = read_parquet_header(path)
        header = tuple(name.strip() for name in source_names)
        file_format = "parquet"
    columns = match_columns(table, path, header, mapping)
    return RawFile(table.name, str(path), file_format, header, columns, source_names, types)


def inspect_folder(
    raw_dir: Path,
    absent_tables: Any = (),
    column_names: Any = None,
    *,
    check_bytes: bool = True,
) -> dict[str, RawFile]:
    """Every table of the raw folder, checked; raises RawFileError on the first problem."""
    if not raw_dir.is_dir():
        raise RawFileError(
            f"The raw folder '{raw_dir}' does not exist: set CS_RAW_DIR to the folder of your "
            "export."
        )
    absent = normalise_absent_tables(absent_tables)
    mapping = normalise_column_names(column_names)
    return {
        name: inspect_table(raw_dir, table, absent, mapping, check_bytes=check_bytes)
        for name, table in raw_tables().items()
    }


# --------------------------------------------------------------------------
# The DuckDB reader
# --------------------------------------------------------------------------


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _field(index: int) -> str:
    return f"field_{index}"


def _extra(index: int) -> str:
    return f"extra_{index}"


def csv_reader(path: str, field_count: int) -> str:
    """DuckDB's read_csv for a raw CSV: every field as text, by position; the
    header line is skipped (its names come from read_csv_header). Not the
    parallel scanner: it cannot pad short rows when a quoted value holds a line
    break (measured: no slower on 10 million orders)."""
    names = [_field(index) for index in range(field_count)]
    names += [_extra(index) for index in range(1, MAX_EXTRA_FIELDS + 1)]
    columns = ", ".join(f"{quote_literal(name)}: 'varchar'" for name in names)
    return (
        f"read_csv({quote_literal(path)}, header = false, skip = 1, auto_detect = false, "
        f"columns = {{{columns}}}, delim = ',', quote = '\"', escape = '\"', "
        f"nullstr = {quote_literal(NEVER_NULL)}, null_padding = true, strict_mode = false, "
        "parallel = false)"
    )


def parquet_reader(path: str) -> str:
    return f"read_parquet({quote_literal(path)})"


def _parquet_text(name: str, arrow_type: str) -> str:
    """A Parquet column as text; a whole float (written from an integer
    column with nulls) reads as a plain integer, as it would in a CSV."""
    value = f"raw_file.{quote_identifier(name)}"
    if arrow_type.startswith(("float", "double", "halffloat", "decimal")):
        return (
            f"coalesce(case when {value} = trunc({value}) "
            f"then cast(try_cast({value} as bigint) as varchar) end, cast({value} as varchar))"
        )
    return f"cast({value} as varchar)"


def reader_select(
    raw_file: RawFile, contract_columns: Sequence[str], rows: str | None = None
) -> str:
    """A subquery: one text column per contract column (null when the file
    lacks it), `source_row_number` (the row's position in the file) and
    `raw_record` (the original row as JSON text, the file's own trimmed
    header names as keys; a long CSV row's extra fields under
    `_extra_fields`).

    With `rows`, a SQL relation of one column of source_row_numbers, only
    those rows and only `source_row_number` and `raw_record`: the rows are
    picked before their JSON is built, so quarantine reads back a few hundred
    rows without building the JSON of millions."""
    if not raw_file.is_present:
        nulls = ", ".join(f"cast(null as varchar) as {name}" for name in contract_columns)
        if rows is not None:
            nulls = ""
        return (
            f"(select {nulls}{', ' if nulls else ''}cast(null as bigint) as source_row_number, "
            "cast(null as varchar) as raw_record where 1 = 0)"
        )
    assert raw_file.path is not None
    if raw_file.format == "csv":
        values = [f"raw_file.{_field(index)}" for index in range(len(raw_file.header))]
        reader = csv_reader(raw_file.path, len(raw_file.header))
    else:
        values = [
            _parquet_text(original, arrow_type)
            for original, arrow_type in zip(
                raw_file.source_names, raw_file.column_types, strict=True
            )
        ]
        reader = parquet_reader(raw_file.path)
    selected = []
    for column in contract_columns:
        index = raw_file.columns.get(column)
        value = "cast(null as varchar)" if index is None else values[index]
        selected.append(f"{value} as {column}")
    pairs = ", ".join(
        f"{quote_literal(name)}, {value}"
        for name, value in zip(raw_file.header, values, strict=True)
    )
    record = f"json_object({pairs})"
    where = ""
    if raw_file.format == "csv":
        extras = ", ".join(f"raw_file.{_extra(index)}" for index in range(1, MAX_EXTRA_FIELDS + 1))
        record = (
            f"case when raw_file.{_extra(1)} is null then {record} "
            f"else json_merge_patch({record}, json_object('_extra_fields', "
            f"list_filter([{extras}], lambda value: value is not null))) end"
        )
        where = "where not " + blank_line_condition(len(raw_file.header))
    if rows is not None:
        return (
            f"(select raw_file.{ROW_NUMBER} as source_row_number, "
            f"cast({record} as varchar) as raw_record "
            f"from (select raw_file.*, row_number() over () as {ROW_NUMBER} "
            f"from {reader} as raw_file {where}) as raw_file "
            f"where raw_file.{ROW_NUMBER} in {rows})"
        )
    return (
        f"(select {', '.join(selected)}, "
        "row_number() over () as source_row_number, "
        f"cast({record} as varchar) as raw_record "
        f"from {reader} as raw_file {where})"
    )


def blank_line_condition(field_count: int) -> str:
    """A line that is empty or only whitespace: one field (the rest padded
    with nulls) holding nothing but whitespace. DuckDB skips empty lines."""
    rest = [f"raw_file.{_field(index)} is null" for index in range(1, field_count)]
    rest.append(f"raw_file.{_extra(1)} is null")
    return (
        f"(trim(raw_file.{_field(0)}, {quote_literal(WHITESPACE)}) = '' and "
        + " and ".join(rest)
        + ")"
    )


# Whitespace trimmed from every raw value: what Python's str.strip() removes.
WHITESPACE = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())

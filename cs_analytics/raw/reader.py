"""The SQL with which DuckDB reads one raw table (contract sections 1 and 5).

This is the one definition of the raw-file reader for DuckDB: dbt's staging
reads through it (the dbt-duckdb plugin cs_analytics.raw.dbt_plugin gives the
macros `reader_select` as a SQL function), and so do the Dagster raw gate and
the benchmark floor.

CSV is read as spreadsheets write it (RFC 4180), with the var csv_delimiter
between fields: quoted values may hold the delimiter, doubled quotes and line
breaks; LF or CRLF; a UTF-8 byte-order mark is ignored; blank lines are
skipped; a short row has nulls for its missing fields and a long row keeps its
extra fields in `raw_record` only. A workbook is read from its records in the
cache folder (cs_analytics.raw.workbooks), by position as a CSV's fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from cs_analytics.raw.files import RawFile
from cs_analytics.raw.macros import default_macros
from cs_analytics.raw.tables import MAX_EXTRA_FIELDS, raw_tables
from cs_analytics.sql import quote_identifier, quote_literal
from cs_analytics.warehouse.connection import connect

# A value the CSV reader reads as null: none. Empty fields stay '' (they are
# null after trimming in staging) so that a row's missing trailing fields
# (null) can be told from present empty ones, and blank lines skipped.
NEVER_NULL = "\x01"
# The row's position inside the records reader, named so that no raw column
# (a Parquet file names its own) can clash with it.
ROW_NUMBER = "cs_source_row_number"
# The column read_parquet adds with `file_row_number = true`: the row's
# position in its file from 0, read in parallel, where row_number() over ()
# reads the whole file on one thread (docs/performance.md).
PARQUET_ROW_NUMBER = "file_row_number"


@cache
def whitespace() -> str:
    """The characters trimmed from every raw value (the macro whitespace_characters)."""
    return str(default_macros().whitespace_characters())


def _field(index: int) -> str:
    return f"field_{index}"


def _extra(index: int) -> str:
    return f"extra_{index}"


def csv_reader(path: str, field_count: int, delimiter: str = ",") -> str:
    """DuckDB's read_csv for a raw CSV: every field as text, by position; the
    header line is skipped (its names come from read_csv_header). Not the
    parallel scanner: it cannot pad short rows when a quoted value holds a line
    break (measured: no slower on 10 million orders)."""
    names = [_field(index) for index in range(field_count)]
    names += [_extra(index) for index in range(1, MAX_EXTRA_FIELDS + 1)]
    columns = ", ".join(f"{quote_literal(name)}: 'varchar'" for name in names)
    return (
        f"read_csv({quote_literal(path)}, header = false, skip = 1, auto_detect = false, "
        f"columns = {{{columns}}}, delim = {quote_literal(delimiter)}, quote = '\"', "
        f"escape = '\"', nullstr = {quote_literal(NEVER_NULL)}, null_padding = true, "
        "strict_mode = false, parallel = false)"
    )


def workbook_reader(raw_file: RawFile) -> str:
    """A workbook's records (cs_analytics.raw.workbooks): `record_id` (1 is
    the header row) and `fields`, its cells as text by position."""
    assert raw_file.records is not None and raw_file.fields is not None
    return (
        f"(select record_id, {quote_identifier(raw_file.fields)} as fields "
        f"from read_parquet({quote_literal(raw_file.records)}) where record_id > 1)"
    )


def parquet_reader(path: str, numbered: bool = False) -> str:
    """read_parquet of a raw file; `numbered` adds PARQUET_ROW_NUMBER."""
    option = f", {PARQUET_ROW_NUMBER} = true" if numbered else ""
    return f"read_parquet({quote_literal(path)}{option})"


def numbered_by_parquet(raw_file: RawFile) -> bool:
    """Whether DuckDB numbers this file's rows itself: a Parquet file with no
    column of that name (DuckDB refuses the option then, and the window
    numbers the rows as it numbers a CSV's)."""
    return raw_file.format == "parquet" and PARQUET_ROW_NUMBER not in {
        name.lower() for name in raw_file.source_names
    }


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
    if raw_file.format == "xlsx":
        return _workbook_select(raw_file, contract_columns, rows)
    file_numbers_rows = numbered_by_parquet(raw_file)
    if raw_file.format == "csv":
        values = [f"raw_file.{_field(index)}" for index in range(len(raw_file.header))]
        reader = csv_reader(raw_file.path, len(raw_file.header), raw_file.delimiter)
    else:
        values = [
            _parquet_text(original, arrow_type)
            for original, arrow_type in zip(
                raw_file.source_names, raw_file.column_types, strict=True
            )
        ]
        reader = parquet_reader(raw_file.path, file_numbers_rows)
    number = f"raw_file.{PARQUET_ROW_NUMBER} + 1" if file_numbers_rows else "row_number() over ()"
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
        where = "where not " + blank_line_condition(len(raw_file.header), raw_file.delimiter)
    if rows is not None:
        return (
            f"(select raw_file.{ROW_NUMBER} as source_row_number, "
            f"cast({record} as varchar) as raw_record "
            f"from (select raw_file.*, {number} as {ROW_NUMBER} "
            f"from {reader} as raw_file {where}) as raw_file "
            f"where raw_file.{ROW_NUMBER} in {rows})"
        )
    return (
        f"(select {', '.join(selected)}, "
        f"{number} as source_row_number, "
        f"cast({record} as varchar) as raw_record "
        f"from {reader} as raw_file {where})"
    )


def _workbook_select(
    raw_file: RawFile, contract_columns: Sequence[str], rows: str | None
) -> str:
    """reader_select for a workbook: the records are numbered already (a
    workbook's empty rows are not records), and a record longer than the
    header keeps its extra cells under `_extra_fields`."""
    width = len(raw_file.header)
    values = [f"raw_file.fields[{index + 1}]" for index in range(width)]
    pairs = ", ".join(
        f"{quote_literal(name)}, {value}"
        for name, value in zip(raw_file.header, values, strict=True)
    )
    record = (
        f"case when len(raw_file.fields) > {width} then json_merge_patch(json_object({pairs}), "
        f"json_object('_extra_fields', raw_file.fields[{width + 1}:])) "
        f"else json_object({pairs}) end"
    )
    number = "raw_file.record_id - 1"
    if rows is not None:
        return (
            f"(select {number} as source_row_number, cast({record} as varchar) as raw_record "
            f"from {workbook_reader(raw_file)} as raw_file where {number} in {rows})"
        )
    selected = []
    for column in contract_columns:
        index = raw_file.columns.get(column)
        value = "cast(null as varchar)" if index is None else values[index]
        selected.append(f"{value} as {column}")
    return (
        f"(select {', '.join(selected)}, {number} as source_row_number, "
        f"cast({record} as varchar) as raw_record from {workbook_reader(raw_file)} as raw_file)"
    )


def blank_line_condition(field_count: int, delimiter: str = ",") -> str:
    """A line that is empty or only whitespace: one field (the rest padded
    with nulls) holding nothing but whitespace; with a tab between fields,
    every field holding nothing but whitespace. DuckDB skips empty lines."""
    fields = [_field(index) for index in range(field_count)] + [
        _extra(index) for index in range(1, MAX_EXTRA_FIELDS + 1)
    ]
    blank = f"trim(raw_file.{{}}, {quote_literal(whitespace())}) = ''"
    if delimiter.strip():
        rest = [f"raw_file.{name} is null" for name in fields[1:field_count + 1]]
        return "(" + " and ".join([blank.format(fields[0]), *rest]) + ")"
    return (
        "("
        + " and ".join(f"coalesce({blank.format(name)}, true)" for name in fields)
        + ")"
    )


def count_rows(raw_file: RawFile) -> int:
    """The rows of a present table as staging reads them (blank lines are not rows)."""
    key = raw_tables()[raw_file.table].key
    with connect() as con:
        row = con.execute(f"select count(*) from {reader_select(raw_file, [key])}").fetchone()
    return int(row[0]) if row else 0

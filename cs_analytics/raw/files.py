"""The raw folder: which file holds each table, whether it can be read, and
which of its columns are the contract's (contract sections 1, 5 and 6).

`inspect_folder` is what dbt's on-run-start check runs (through the dbt-duckdb
plugin, cs_analytics.raw.dbt_plugin), and so do the Dagster raw gate, the
preflight and the benchmark. Every refusal is one sentence that names the file,
the line where known, and what to do: the sentences are the macros' of
macros/raw/raw_file_messages.sql (cs_analytics.raw.macros), the checks of a
file's bytes are cs_analytics.raw.file_checks, and the SQL that reads a table
is cs_analytics.raw.reader.

The section 6 vars arrive checked: by the macro export_settings() in dbt, by
cs_analytics.raw.export_settings (the same macro) in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cs_analytics.raw.file_checks import check_csv_bytes, read_csv_header, read_parquet_header
from cs_analytics.raw.macros import RawFileError, refusal
from cs_analytics.raw.tables import RawTable, raw_tables

__all__ = ["FORMATS", "RawFile", "RawFileError", "find_raw_file", "inspect_folder"]

FORMATS = ("csv", "parquet")


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


def find_raw_file(raw_dir: Path, table: RawTable, absent_tables: Sequence[str] = ()) -> Path | None:
    """The one `<table>.csv` or `<table>.parquet` of the raw folder, or None
    for a table that may be (or is declared) absent."""
    found = [raw_dir / f"{table.name}.{extension}" for extension in FORMATS]
    found = [path for path in found if path.is_file()]
    if len(found) > 1:
        raise refusal("both_formats", folder=raw_dir, table=table.name)
    if table.name in absent_tables:
        if found:
            raise refusal(
                "declared_absent", folder=raw_dir, file=found[0].name, table=table.name
            )
        return None
    if not found:
        if table.optional_file:
            return None
        raise refusal("file_missing", folder=raw_dir, table=table.name)
    return found[0]


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
                raise refusal(
                    "mapped_header_missing",
                    path=path,
                    wanted=wanted,
                    table=table.name,
                    column=column,
                    headers=", ".join(header) or "(none)",
                )
            positions[column] = exact[wanted]
        else:
            positions[column] = exact.get(column, folded.get(column.lower()))
    if positions[table.key] is None:
        shown = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")
        raise refusal("key_missing", path=path, key=table.key, shown=shown, table=table.name)
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
        if check_bytes or path.stat().st_size == 0:
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
    absent_tables: Sequence[str] | None = (),
    column_names: Mapping[str, Mapping[str, str]] | None = None,
    *,
    check_bytes: bool = True,
) -> dict[str, RawFile]:
    """Every table of the raw folder, checked; raises RawFileError on the first
    problem. `absent_tables` and `column_names` are the section 6 vars as the
    macro export_settings() returns them."""
    if not raw_dir.is_dir():
        raise refusal("folder_missing", folder=raw_dir)
    absent = tuple(absent_tables or ())
    mapping = dict(column_names or {})
    return {
        name: inspect_table(raw_dir, table, absent, mapping, check_bytes=check_bytes)
        for name, table in raw_tables().items()
    }

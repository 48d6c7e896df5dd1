"""The floor of a benchmark: the time DuckDB alone takes, in this process, to
read every raw file with its own default reader (the parallel CSV scanner,
or Parquet) and cast the contract's typed columns, none of the project's
code. Beside it, the same through the project's reader (row numbers, text
by position): "reader cost", what the reader adds, never the floor."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cs_analytics.bench.data import raw_file
from cs_analytics.bench.machine import BenchSettings
from cs_analytics.raw.files import inspect_table
from cs_analytics.raw.reader import reader_select
from cs_analytics.raw.tables import raw_tables, table_names

# DuckDB type of the floor's typed columns, by the kind the description gives;
# text columns are trimmed text.
FLOOR_TYPES = {"timestamp": "timestamp", "amount": "decimal(18, 4)", "integer": "bigint"}


@dataclass
class Floor:
    seconds: float
    tables: dict[str, dict[str, float | int | str]]
    # The same files read through the project's reader (None when not measured).
    reader_seconds: float | None = None


def typed_columns(table: str) -> dict[str, str]:
    """Contract column -> the DuckDB type the floor casts it to."""
    described = raw_tables()[table]
    return {name: FLOOR_TYPES[kind] for kind in FLOOR_TYPES for name in described.of_kind(kind)}


def bare_select(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> str:
    """DuckDB alone: its default reader of the file (read_csv with every column
    as text, or read_parquet) and try_cast of the typed columns it has. The
    cast is of the trimmed text, as the contract types values: DuckDB 2.0
    pushes a try_cast of a bare column into the CSV scanner as a strict
    cast, which stops at the first bad value."""
    quoted = "'" + str(path).replace("'", "''") + "'"
    if path.suffix.lower() == ".parquet":
        source = f"read_parquet({quoted})"
    else:
        source = f"read_csv({quoted}, all_varchar = true)"
    present = [row[0] for row in con.execute(f"describe select * from {source}").fetchall()]
    typed = typed_columns(table)
    expressions = [
        f'try_cast(trim("{name}") as {typed[name]}) as "{name}"' if name in typed else f'"{name}"'
        for name in present
    ]
    return f"select {', '.join(expressions)} from {source}"


def typed_select(raw_dir: Path, table: str) -> str:
    """DuckDB reading one raw table exactly as staging does (the project's one
    reader, cs_analytics.raw.reader) and typing every contract column: text
    trimmed, timestamps, amounts and counts cast with try_cast."""
    described = raw_tables()[table]
    found = inspect_table(raw_dir, described, check_bytes=False)
    typed = typed_columns(table)
    expressions = []
    for name in described.column_names:
        value = f"trim({name})"
        if name in typed:
            value = f"try_cast({value} as {typed[name]})"
        expressions.append(f"{value} as {name}")
    reader = reader_select(found, described.column_names)
    return f"select {', '.join(expressions)}, source_row_number from {reader}"


def measure_floor(raw_dir: Path, database: Path, settings: BenchSettings) -> Floor:
    """The bare floor (DuckDB's own reader) and the reader floor (the
    project's), each table created once in a fresh database."""
    bare = _measure(raw_dir, database, settings, bare=True)
    through_reader = _measure(raw_dir, database, settings, bare=False)
    return Floor(bare.seconds, bare.tables, through_reader.seconds)


def _measure(raw_dir: Path, database: Path, settings: BenchSettings, bare: bool) -> Floor:
    database.parent.mkdir(parents=True, exist_ok=True)
    remove_database(database)
    tables: dict[str, dict[str, float | int | str]] = {}
    with duckdb.connect(str(database)) as con:
        con.execute(f"set threads = {int(settings.duckdb_threads)}")
        con.execute(f"set memory_limit = '{settings.duckdb_memory_limit}'")
        preserve = settings.duckdb_preserve_insertion_order.strip().lower() == "true"
        con.execute(f"set preserve_insertion_order = {str(preserve).lower()}")
        for table in table_names():
            path = raw_file(raw_dir, table)
            if path is None:
                continue
            started = time.perf_counter()
            plain = bare and path.suffix.lower() in (".csv", ".parquet")
            sql = bare_select(con, path, table) if plain else typed_select(raw_dir, table)
            con.execute(f"create table {table} as {sql}")
            seconds = time.perf_counter() - started
            rows = con.execute(f"select count(*) from {table}").fetchone()
            tables[table] = {
                "file": path.name,
                "bytes": path.stat().st_size,
                "rows": int(rows[0]) if rows else 0,
                "seconds": round(seconds, 3),
            }
    remove_database(database)
    total = sum(float(t["seconds"]) for t in tables.values())
    return Floor(round(total, 3), tables)


def remove_database(database: Path) -> None:
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)


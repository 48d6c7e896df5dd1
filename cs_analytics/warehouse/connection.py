"""DuckDB connections opened outside dbt, with the limits dbt's profile sets.

DuckDB allows one writer process and no reader beside it: the steps after dbt
open the work database read-only, one after the other.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from cs_analytics.settings import duckdb_limits


def connect(path: Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the project's limits (in memory when `path` is None)."""
    return duckdb.connect(
        str(path) if path else ":memory:", read_only=read_only, config=duckdb_limits()
    )


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection: never takes the writer's lock."""
    return connect(path, read_only=True)


def is_lock_error(error: BaseException) -> bool:
    """True for DuckDB's 'another process holds this file' error (transient)."""
    text = str(error)
    return "Could not set lock on file" in text or "Conflicting lock" in text


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether `schema.table` is a table or view of the connection's databases."""
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])

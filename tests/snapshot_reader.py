"""Read a published snapshot as a BI tool would: every table of marts and
audit, its rows (a digest of them), and its table and column comments.

Run as a script by the DuckDB 1.4 client (`python -S snapshot_reader.py
FILE`, `make duckdb-lts`'s folder on PYTHONPATH), it prints the reading as
JSON; imported, `read` gives the same reading through the venv's DuckDB, so
the two can be compared. Nothing but the standard library and duckdb here:
the script runs without the venv's site-packages.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any

import duckdb

PUBLISHED_SCHEMAS = ("marts", "audit")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read(path: str) -> dict[str, Any]:
    con = duckdb.connect(path, read_only=True)
    try:
        catalog = con.execute("select current_database()").fetchone()[0]
        tables: dict[str, Any] = {}
        for schema, table, comment in con.execute(
            "select schema_name, table_name, comment from duckdb_tables() "
            "where database_name = ? and schema_name in ('marts', 'audit') "
            "order by schema_name, table_name",
            [catalog],
        ).fetchall():
            columns = con.execute(
                "select column_name, comment from duckdb_columns() where database_name = ? "
                "and schema_name = ? and table_name = ? order by column_index",
                [catalog, schema, table],
            ).fetchall()
            rows = con.execute(
                f"select * from {_quote(schema)}.{_quote(table)} order by all"
            ).fetchall()
            digest = hashlib.sha256()
            for row in rows:
                digest.update(json.dumps(row, default=str).encode() + b"\n")
            tables[f"{schema}.{table}"] = {
                "rows": len(rows),
                "digest": digest.hexdigest(),
                "comment": comment,
                "columns": dict(columns),
            }
        return {"duckdb_version": duckdb.__version__, "tables": tables}
    finally:
        con.close()


if __name__ == "__main__":
    json.dump(read(sys.argv[1]), sys.stdout)

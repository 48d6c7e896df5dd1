"""The dbt-duckdb plugin of the project (profiles.yml: `plugins: [{module:
cs_analytics.raw.dbt_plugin}]`).

It gives the dbt macros three SQL functions backed by cs_analytics.raw.files
and cs_analytics.raw.reader, so that dbt reads and checks raw files with the
same code as the Dagster gates, the preflight and the benchmark:

- `cs_raw_folder_problem(raw_dir, absent_tables, raw_column_names)`: null when
  every table of the folder can be read, else the one sentence saying why not
  (the on-run-start hook raises it before anything is built);
- `cs_raw_reader(raw_dir, table, absent_tables, raw_column_names)`: the SQL
  subquery that reads one table (see reader.reader_select);
- `cs_raw_records(raw_dir, table, absent_tables, raw_column_names, rows)`: the
  SQL subquery that reads back the `raw_record` of the rows at the positions
  `rows` (a SQL relation), for the quarantine.

The two vars arrive as JSON text. Results are cached per file state, so the
full check of a large CSV runs once per dbt invocation.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from cs_analytics.raw.files import RawFile, RawFileError, inspect_folder
from cs_analytics.raw.reader import reader_select
from cs_analytics.raw.tables import raw_tables
from cs_analytics.sql import quote_literal


def _folder_state(raw_dir: str) -> tuple[tuple[str, int, int], ...]:
    folder = Path(raw_dir)
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(
            (path.name, path.stat().st_size, path.stat().st_mtime_ns)
            for path in folder.iterdir()
            if path.is_file()
        )
    )


@lru_cache(maxsize=64)
def _inspect(
    raw_dir: str, absent_tables: str, column_names: str, check_bytes: bool, state: Any
) -> tuple[dict[str, RawFile] | None, str | None]:
    try:
        return (
            inspect_folder(
                Path(raw_dir),
                json.loads(absent_tables or "null"),
                json.loads(column_names or "null"),
                check_bytes=check_bytes,
            ),
            None,
        )
    except RawFileError as error:
        return None, str(error)


def raw_folder_problem(raw_dir: str, absent_tables: str, column_names: str) -> str | None:
    _, problem = _inspect(raw_dir, absent_tables, column_names, True, _folder_state(raw_dir))
    return problem


def raw_reader(raw_dir: str, table: str, absent_tables: str, column_names: str) -> str:
    files, problem = _inspect(
        raw_dir, absent_tables, column_names, False, _folder_state(raw_dir)
    )
    if files is None:
        # check_raw_files (on-run-start) refuses the folder first; a model
        # compiled on its own gets a query that fails with the same sentence.
        return f"(select error({quote_literal(str(problem))}))"
    return reader_select(files[table], raw_tables()[table].column_names)


def raw_records(
    raw_dir: str, table: str, absent_tables: str, column_names: str, rows: str
) -> str:
    files, problem = _inspect(
        raw_dir, absent_tables, column_names, False, _folder_state(raw_dir)
    )
    if files is None:
        return f"(select error({quote_literal(str(problem))}))"
    return reader_select(files[table], raw_tables()[table].column_names, rows)


class Plugin(BasePlugin):
    def configure_connection(self, conn: Any) -> None:
        conn.create_function(
            "cs_raw_folder_problem",
            raw_folder_problem,
            ["VARCHAR", "VARCHAR", "VARCHAR"],
            "VARCHAR",
            null_handling="special",
            side_effects=True,
        )
        conn.create_function(
            "cs_raw_reader",
            raw_reader,
            ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"],
            "VARCHAR",
            side_effects=True,
        )
        conn.create_function(
            "cs_raw_records",
            raw_records,
            ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"],
            "VARCHAR",
            side_effects=True,
        )

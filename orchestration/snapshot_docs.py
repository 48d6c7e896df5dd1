"""What makes the published snapshot readable by every BI tool: its storage
format, and the contract's definitions as table and column comments.

- **Storage format.** A database file written by DuckDB 2 in its own storage
  format cannot be opened by DuckDB 1.x ("Trying to read a database file with
  version number ..."), and the Metabase DuckDB driver, DBeaver and
  duckdb_engine installs bundle DuckDB 1.4, the long-term-support line. The
  snapshot is attached with `storage_version` 1.4, which DuckDB 1.4 and every
  later version read; the work database keeps the default format.
- **Comments.** On DuckDB, dbt's `persist_docs` (dbt_project.yml) writes each
  mart's and column's YAML description into the work database as comments;
  `docs_from_catalog` reads them there. On Spark, dbt-spark writes no column
  comments on Parquet tables, so `docs_from_manifest` reads the same
  descriptions from dbt's manifest. `apply_docs` writes them into the
  snapshot, where BI tools show them (DuckDB's `comment on`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from cs_analytics.sql import quote_identifier, quote_literal

# The oldest storage format the snapshot must open in: DuckDB 1.4, the LTS
# line that BI drivers bundle. DuckDB 1.4.0 and every later version read it.
SNAPSHOT_STORAGE_VERSION = "v1.4.0"

Table = tuple[str, str]


@dataclass(frozen=True)
class TableDocs:
    """A table's description and its columns' descriptions (empty ones left out)."""

    description: str | None = None
    columns: dict[str, str] = field(default_factory=dict)


def attach_snapshot(con: duckdb.DuckDBPyConnection, path: Path, alias: str) -> None:
    """Attach a new snapshot file, in the storage format DuckDB 1.4 reads."""
    con.execute(
        f"attach {quote_literal(str(path))} as {quote_identifier(alias)} "
        f"(storage_version {quote_literal(SNAPSHOT_STORAGE_VERSION)})"
    )


def docs_from_catalog(
    con: duckdb.DuckDBPyConnection, catalog: str, tables: Iterable[Table]
) -> dict[Table, TableDocs]:
    """The comments that persist_docs left on `tables` of an attached database."""
    wanted = set(tables)
    descriptions = {
        (schema, table): comment
        for schema, table, comment in con.execute(
            "select schema_name, table_name, comment from duckdb_tables() "
            "where database_name = ?",
            [catalog],
        ).fetchall()
    }
    columns: dict[Table, dict[str, str]] = {}
    for schema, table, column, comment in con.execute(
        "select schema_name, table_name, column_name, comment from duckdb_columns() "
        "where database_name = ? and comment is not null and comment <> '' "
        "order by schema_name, table_name, column_index",
        [catalog],
    ).fetchall():
        columns.setdefault((schema, table), {})[column] = comment
    return {
        table: TableDocs(descriptions.get(table) or None, columns.get(table, {}))
        for table in wanted
    }


def docs_from_manifest(manifest_path: Path, tables: Iterable[Table]) -> dict[Table, TableDocs]:
    """The YAML descriptions of `tables`' models in dbt's manifest.json."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    by_relation = {
        (node["schema"], node.get("alias") or node["name"]): node
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model"
    }
    docs: dict[Table, TableDocs] = {}
    for table in tables:
        node = by_relation.get(table)
        if node is None:
            continue
        docs[table] = TableDocs(
            (node.get("description") or "").strip() or None,
            {
                name: column["description"].strip()
                for name, column in node.get("columns", {}).items()
                if (column.get("description") or "").strip()
            },
        )
    return docs


def apply_docs(
    con: duckdb.DuckDBPyConnection, catalog: str, docs: Mapping[Table, TableDocs]
) -> int:
    """Comment the tables of `catalog` and their existing columns, in one
    transaction (a commit per comment costs the demo's publish 0.6 s);
    returns how many comments were written."""
    existing = set(
        con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = ?",
            [catalog],
        ).fetchall()
    )
    statements = []
    for (schema, table), table_docs in sorted(docs.items()):
        relation = ".".join(quote_identifier(part) for part in (catalog, schema, table))
        if table_docs.description:
            statements.append(
                f"comment on table {relation} is {quote_literal(table_docs.description)}"
            )
        statements += [
            f"comment on column {relation}.{quote_identifier(column)} "
            f"is {quote_literal(description)}"
            for column, description in table_docs.columns.items()
            if (schema, table, column) in existing
        ]
    con.execute("begin transaction")
    try:
        for statement in statements:
            con.execute(statement)
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
    return len(statements)

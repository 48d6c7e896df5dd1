"""MetricFlow's Python API on a built warehouse, opened read-only.

`mf query` runs MetricFlowEngine.query through a dbt adapter, which opens the
DuckDB file read-write and reads the semantic manifest from the project's own
target/. The tests need neither: the session's shared warehouses are read by
other workers at the same time, and the semantic manifest comes from the
session's `dbt parse` (conftest's `dbt_manifest_dir`). So the same engine
runs here with a SqlClient that reads the file through a read-only DuckDB
connection; the SQL is the one `mf query` would run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
from metricflow.data_table.mf_table import MetricFlowDataTable
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantics.model.dbt_manifest_parser import (
    parse_manifest_from_dbt_generated_manifest,
)
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup
from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet

NO_PARAMETERS = SqlBindParameterSet()


class ReadOnlyDuckDbClient:
    """MetricFlow's SqlClient over a read-only DuckDB connection."""

    def __init__(self, path: Path) -> None:
        self._con = duckdb.connect(str(path), read_only=True)

    @property
    def sql_engine_type(self) -> SqlEngine:
        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return DuckDbSqlPlanRenderer()

    def query(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS
    ) -> MetricFlowDataTable:
        cursor = self._con.execute(stmt, dict(sql_bind_parameter_set.param_dict) or None)
        names = [column[0] for column in cursor.description]
        return MetricFlowDataTable.create_from_rows(names, cursor.fetchall())

    def execute(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS
    ) -> None:
        raise NotImplementedError("The warehouse is read-only here.")

    def dry_run(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS
    ) -> None:
        self._con.execute(f"explain {stmt}")

    def close(self) -> None:
        self._con.close()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


def semantic_manifest_lookup(target_dir: Path) -> SemanticManifestLookup:
    """The semantic manifest `dbt parse` wrote into target_dir."""
    text = (target_dir / "semantic_manifest.json").read_text(encoding="utf-8")
    return SemanticManifestLookup(parse_manifest_from_dbt_generated_manifest(text))


def metric_names(lookup: SemanticManifestLookup) -> set[str]:
    return {metric.name for metric in lookup.semantic_manifest.metrics}


def query(
    lookup: SemanticManifestLookup,
    warehouse: Path,
    metrics: Sequence[str],
    group_by: Sequence[str],
) -> list[dict[str, Any]]:
    """`mf query --metrics ... --group-by ...` on the warehouse, as rows."""
    client = ReadOnlyDuckDbClient(warehouse)
    try:
        engine = MetricFlowEngine(semantic_manifest_lookup=lookup, sql_client=client)
        result = engine.query(
            MetricFlowQueryRequest.create(metric_names=metrics, group_by_names=group_by)
        )
    finally:
        client.close()
    assert result.result_df is not None
    table = result.result_df
    return [dict(zip(table.column_names, row, strict=True)) for row in table.rows]

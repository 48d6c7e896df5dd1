"""Resources: where the warehouse lives, the dbt CLI, and the quality-gate thresholds.

Every path comes from the environment, the same variables dbt's profile reads, so
that dbt and Dagster always agree on the files:

| variable            | default                                   | what                      |
|---------------------|-------------------------------------------|---------------------------|
| CS_RAW_DIR          | data/demo                                 | the raw folder            |
| CS_WAREHOUSE_PATH   | warehouse/cs_analytics.duckdb             | the work database (dbt)   |
| CS_PUBLISHED_PATH   | warehouse/published/cs_analytics.duckdb   | the snapshot BI reads     |

Relative paths are relative to the project root (where dbt runs).
"""

from pathlib import Path

from dagster import ConfigurableResource, EnvVar
from dagster_dbt import DbtCliResource
from pydantic import Field

from orchestration.project import PROJECT_ROOT, dbt_executable, dbt_project

RAW_TABLES: tuple[str, ...] = ("customers", "orders", "tickets", "survey_responses", "agents")
OPTIONAL_RAW_TABLES: frozenset[str] = frozenset({"agents"})


def _resolve(path: str) -> Path:
    resolved = Path(path).expanduser()
    return resolved if resolved.is_absolute() else PROJECT_ROOT / resolved


class WarehouseResource(ConfigurableResource):
    """The files of the warehouse, resolved from the environment at run time."""

    def raw_dir(self) -> Path:
        """The folder of raw files ($CS_RAW_DIR, default the bundled demo set)."""
        return _resolve(EnvVar("CS_RAW_DIR").get_value("data/demo") or "data/demo")

    def work_db_path(self) -> Path:
        """The database dbt builds into ($CS_WAREHOUSE_PATH); BI never reads it."""
        default = "warehouse/cs_analytics.duckdb"
        return _resolve(EnvVar("CS_WAREHOUSE_PATH").get_value(default) or default)

    def published_path(self) -> Path:
        """The read-only snapshot BI reads ($CS_PUBLISHED_PATH)."""
        default = "warehouse/published/cs_analytics.duckdb"
        return _resolve(EnvVar("CS_PUBLISHED_PATH").get_value(default) or default)

    def warehouse_dir(self) -> Path:
        """The folder of the work database: data docs and alerts live beside it."""
        return self.work_db_path().parent

    def published_dir(self) -> Path:
        return self.published_path().parent

    def parquet_dir(self) -> Path:
        """One Parquet file per mart, for BI tools that cannot open DuckDB."""
        return self.published_dir() / "parquet"

    def data_docs_dir(self) -> Path:
        """Great Expectations Data Docs (open index.html in a browser)."""
        return self.warehouse_dir() / "gx_data_docs"

    def alerts_path(self) -> Path:
        """One JSON line per failed run, appended by the run-failure sensor."""
        return self.warehouse_dir() / "alerts.jsonl"

    def last_failure_path(self) -> Path:
        """Why the last failed run did not publish."""
        return self.published_dir() / "last_failure.json"

    def snapshot_info_path(self) -> Path:
        """What the current published snapshot is (run id, time, row counts)."""
        return self.published_dir() / "snapshot.json"


def _default_min_rows() -> dict[str, int]:
    return {table: 0 if table in OPTIONAL_RAW_TABLES else 1 for table in RAW_TABLES}


def _default_max_rows() -> dict[str, int]:
    return {table: 500_000_000 for table in RAW_TABLES}


class QualityGateConfig(ConfigurableResource):
    """Thresholds of the Great Expectations gates; override them in the run config
    (Launchpad: resources.quality_gates.config) or in definitions.py."""

    min_non_null_share: float = Field(
        default=0.99,
        description="Raw gate: least share of rows with a value in each required column.",
    )
    min_parseable_timestamp_share: float = Field(
        default=0.99,
        description="Raw gate: least share of present timestamps that parse (ISO 8601).",
    )
    min_in_range_share: float = Field(
        default=0.99,
        description="Raw gate: least share of present amounts (>= 0) and scores (NPS 0-10, "
        "CSAT 1-5) that are valid.",
    )
    min_rows: dict[str, int] = Field(
        default_factory=_default_min_rows,
        description="Raw gate: least number of rows per raw table.",
    )
    max_rows: dict[str, int] = Field(
        default_factory=_default_max_rows,
        description="Raw gate: largest number of rows per raw table.",
    )
    sample_rows: int = Field(
        default=1000,
        description="Rows of each raw file read into pandas for the column checks.",
    )
    min_ratio_to_previous: float = Field(
        default=0.5,
        description="Mart gate: a headline number below this share of the previous published "
        "snapshot's raises a WARNING (0.5 = a drop of more than half).",
    )
    max_ratio_to_previous: float = Field(
        default=10.0,
        description="Mart gate: a headline number above this multiple of the previous "
        "snapshot's raises a WARNING.",
    )
    data_docs_keep_days: int = Field(
        default=14,
        description="Validation results older than this many days leave the Data Docs.",
    )


def build_resources() -> dict[str, object]:
    return {
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        "warehouse": WarehouseResource(),
        "quality_gates": QualityGateConfig(),
    }

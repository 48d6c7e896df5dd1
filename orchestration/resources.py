"""Resources: where the warehouse lives, the dbt CLI, and the quality-gate thresholds.

The paths are the environment variables dbt's profile and macros read, so that
dbt and Dagster always agree on the files:

| variable            | default                                   | what                      |
|---------------------|-------------------------------------------|---------------------------|
| CS_RAW_DIR          | data/demo                                 | the raw folder            |
| CS_WAREHOUSE_PATH   | warehouse/cs_analytics.duckdb             | the work database (dbt)   |
| CS_PUBLISHED_PATH   | warehouse/published/cs_analytics.duckdb   | the snapshot BI reads     |

Each is a field of `WarehouseResource`; `build_resources` sets it to the
`EnvVar` (read when a run starts) when the variable is set, else to dbt's
default. Relative paths are relative to the project root (where dbt runs).
"""

import os
import shutil
import sys
from pathlib import Path

from dagster import ConfigurableResource, EnvVar
from dagster_dbt import DbtCliResource
from pydantic import Field

from cs_analytics.raw_tables import table_names
from orchestration.project import PROJECT_ROOT, dbt_project

DEFAULT_RAW_DIR = "data/demo"
DEFAULT_WORK_DATABASE = "warehouse/cs_analytics.duckdb"
DEFAULT_PUBLISHED_DATABASE = "warehouse/published/cs_analytics.duckdb"


def _resolve(path: str) -> Path:
    resolved = Path(path).expanduser()
    return resolved if resolved.is_absolute() else PROJECT_ROOT / resolved


class WarehouseResource(ConfigurableResource):
    """The files of the warehouse. Set them through the environment variables (dbt
    reads the same ones), not in the Launchpad: dbt would not follow."""

    raw_folder: str = Field(
        default=DEFAULT_RAW_DIR, description="The folder of raw files ($CS_RAW_DIR)."
    )
    work_database: str = Field(
        default=DEFAULT_WORK_DATABASE,
        description="The database dbt builds into ($CS_WAREHOUSE_PATH); BI never reads it.",
    )
    published_database: str = Field(
        default=DEFAULT_PUBLISHED_DATABASE,
        description="The read-only snapshot BI reads ($CS_PUBLISHED_PATH).",
    )

    def raw_dir(self) -> Path:
        return _resolve(self.raw_folder)

    def work_db_path(self) -> Path:
        return _resolve(self.work_database)

    def published_path(self) -> Path:
        return _resolve(self.published_database)

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
    return {table: 1 for table in table_names()}


def _default_max_rows() -> dict[str, int]:
    return {table: 500_000_000 for table in table_names()}


class QualityGateConfig(ConfigurableResource):
    """Thresholds of the Great Expectations gates; override them in the run config
    (Launchpad: resources.quality_gates.config) or in definitions.py."""

    min_non_null_share: float = Field(
        default=0.99,
        description="Raw gate: least share of rows with a value in each required column.",
    )
    min_parseable_timestamp_share: float = Field(
        default=0.99,
        description="Raw gate: least share of present timestamps that parse (ISO 8601 or a "
        "format of the dbt var timestamp_formats).",
    )
    min_in_range_share: float = Field(
        default=0.99,
        description="Raw gate: least share of present amounts (valid with the dbt vars' "
        "separators, >= 0) and scores (NPS 0-10, CSAT 1-5) that are valid.",
    )
    min_rows: dict[str, int] = Field(
        default_factory=_default_min_rows,
        description="Raw gate: fewer rows than this in a present raw table is a WARNING "
        "(never blocking: an empty table gives empty marts).",
    )
    max_rows: dict[str, int] = Field(
        default_factory=_default_max_rows,
        description="Raw gate: largest number of rows per raw table (blocking).",
    )
    min_ratio_to_previous: float = Field(
        default=0.5,
        description="KPI check: a headline number below this share of the previous published "
        "snapshot's raises a WARNING (0.5 = a drop of more than half).",
    )
    max_ratio_to_previous: float = Field(
        default=10.0,
        description="KPI check: a headline number above this multiple of the previous "
        "snapshot's raises a WARNING.",
    )
    data_docs_keep_days: int = Field(
        default=14,
        description="Validation results older than this many days leave the Data Docs.",
    )


def dbt_executable() -> str:
    """The dbt of this interpreter's environment (the venv need not be activated)."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.is_file() else (shutil.which("dbt") or "dbt")


def from_environment(variable: str, default: str) -> str:
    """The variable as an EnvVar (read when a run starts) when it is set, else dbt's default."""
    return EnvVar(variable) if os.environ.get(variable) else default


def build_resources() -> dict[str, object]:
    return {
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        "warehouse": WarehouseResource(
            raw_folder=from_environment("CS_RAW_DIR", DEFAULT_RAW_DIR),
            work_database=from_environment("CS_WAREHOUSE_PATH", DEFAULT_WORK_DATABASE),
            published_database=from_environment("CS_PUBLISHED_PATH", DEFAULT_PUBLISHED_DATABASE),
        ),
        "quality_gates": QualityGateConfig(),
    }

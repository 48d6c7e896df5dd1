"""Resources: where the warehouse lives, the dbt CLI, and the quality-gate thresholds
(`QualityGateConfig`, in thresholds.py so the gates load without the dbt project).

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

from orchestration.project import PROJECT_ROOT, dbt_project
from orchestration.thresholds import QualityGateConfig

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

"""Resources: where the warehouse lives, the dbt CLI, and the quality-gate thresholds
(`QualityGateConfig`, in thresholds.py so the gates load without the dbt project).

The paths are the environment variables dbt's profile and macros read, with the
defaults of cs_analytics/settings.py, so that dbt and Dagster always agree on the
files: CS_RAW_DIR (the raw folder), CS_WAREHOUSE_PATH (the work database dbt
builds into) and CS_PUBLISHED_PATH (the snapshot BI reads).

Each is a field of `WarehouseResource`; `build_resources` sets it to the
`EnvVar` (read when a run starts) when the variable is set, else to the
default. Relative paths are relative to the project root (where dbt runs).
"""

import os
from pathlib import Path

from dagster import ConfigurableResource, EnvVar
from dagster_dbt import DbtCliResource
from pydantic import Field

from cs_analytics.settings import (
    PUBLISHED_PATH,
    RAW_DIR,
    WAREHOUSE_PATH,
    Setting,
    dbt_executable,
    project_path,
)
from orchestration.project import dbt_project
from orchestration.thresholds import QualityGateConfig


class WarehouseResource(ConfigurableResource):
    """The files of the warehouse. Set them through the environment variables (dbt
    reads the same ones), not in the Launchpad: dbt would not follow."""

    raw_folder: str = Field(
        default=RAW_DIR.default, description="The folder of raw files ($CS_RAW_DIR)."
    )
    work_database: str = Field(
        default=WAREHOUSE_PATH.default,
        description="The database dbt builds into ($CS_WAREHOUSE_PATH); BI never reads it.",
    )
    published_database: str = Field(
        default=PUBLISHED_PATH.default,
        description="The read-only snapshot BI reads ($CS_PUBLISHED_PATH).",
    )

    def raw_dir(self) -> Path:
        return project_path(self.raw_folder)

    def work_db_path(self) -> Path:
        return project_path(self.work_database)

    def published_path(self) -> Path:
        return project_path(self.published_database)

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


def from_environment(setting: Setting) -> str:
    """The variable as an EnvVar (read when a run starts) when it is set, else its default."""
    return EnvVar(setting.name) if os.environ.get(setting.name) else setting.default


def build_resources() -> dict[str, object]:
    return {
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        "warehouse": WarehouseResource(
            raw_folder=from_environment(RAW_DIR),
            work_database=from_environment(WAREHOUSE_PATH),
            published_database=from_environment(PUBLISHED_PATH),
        ),
        "quality_gates": QualityGateConfig(),
    }

"""The dbt project that Dagster orchestrates (Dagster's dbt scaffold).

Under `dagster dev`, `prepare_if_dev()` runs `dbt parse` so the manifest
follows every edit; elsewhere the manifest must already exist (`make
manifest`, which `make nightly` and `make dev` depend on, or `dbt parse`).
"""

import os
from pathlib import Path

from dagster_dbt import DbtProject

from cs_analytics.settings import PROJECT_ROOT

dbt_project = DbtProject(
    project_dir=PROJECT_ROOT,
    target_path=Path(os.environ.get("DBT_TARGET_PATH") or "target"),
    profiles_dir=PROJECT_ROOT / (os.environ.get("DBT_PROFILES_DIR") or "."),
)
dbt_project.prepare_if_dev()

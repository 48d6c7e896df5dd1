"""Every environment default of the project, in one place.

Each setting is an environment variable with the default that suits a laptop.
The Python tools (the summary, the preflight, the benchmark, the report, the
Dagster code location) read them here. dbt reads its own through `env_var()`
in `profiles.example.yml` and `macros/raw/raw_files.sql`, and `make` through
the Makefile's `?=` lines: those need literal defaults, which must equal the
ones below (tests/test_settings.py checks that they do).

Relative paths are relative to the project root, where dbt runs.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Setting:
    """One environment variable and its default (an empty value counts as unset)."""

    name: str
    default: str
    meaning: str

    def value(self, environ: Mapping[str, str] | None = None) -> str:
        environ = os.environ if environ is None else environ
        return environ.get(self.name) or self.default

    def path(self, environ: Mapping[str, str] | None = None) -> Path:
        """The value as a path; a relative one is relative to the project root."""
        return project_path(self.value(environ))


# Files and folders.
RAW_DIR = Setting("CS_RAW_DIR", "data/demo", "the raw folder of the export")
WAREHOUSE_PATH = Setting(
    "CS_WAREHOUSE_PATH", "warehouse/cs_analytics.duckdb", "the work database dbt builds into"
)
RAW_CACHE_DIR = Setting(
    "CS_RAW_CACHE_DIR",
    "warehouse/raw_cache",
    "where each Excel workbook of the raw folder is kept as text for the readers",
)
PUBLISHED_PATH = Setting(
    "CS_PUBLISHED_PATH",
    "warehouse/published/cs_analytics.duckdb",
    "the published snapshot BI tools read",
)
# Which dbt output builds: dev (DuckDB) or spark.
TARGET = Setting("CS_TARGET", "dev", "the dbt output: dev (DuckDB) or spark")
# dbt and DuckDB.
DBT_THREADS = Setting("CS_DBT_THREADS", "2", "dbt's threads")
DUCKDB_THREADS = Setting("CS_DUCKDB_THREADS", "2", "DuckDB's threads")
DUCKDB_MEMORY_LIMIT = Setting("CS_DUCKDB_MEMORY_LIMIT", "3GB", "DuckDB's memory limit")
DUCKDB_PRESERVE_INSERTION_ORDER = Setting(
    "CS_DUCKDB_PRESERVE_INSERTION_ORDER", "false", "DuckDB's preserve_insertion_order"
)
# Local Spark (the spark output).
SPARK_WAREHOUSE_DIR = Setting(
    "CS_SPARK_WAREHOUSE_DIR", "warehouse/spark", "the folder of the Spark tables"
)
SPARK_CORES = Setting("CS_SPARK_CORES", "2", "local Spark's cores")
SPARK_DRIVER_MEMORY = Setting("CS_SPARK_DRIVER_MEMORY", "4g", "the Spark driver's memory")
SPARK_SHUFFLE_PARTITIONS = Setting(
    "CS_SPARK_SHUFFLE_PARTITIONS", "2", "Spark's partitions per shuffle"
)
SPARK_LOG_LEVEL = Setting("CS_SPARK_LOG_LEVEL", "ERROR", "Spark's log level")
SPARK_CODEGEN = Setting(
    "CS_SPARK_CODEGEN", "true", "Spark's code generation (false: interpreted, for tiny data)"
)

SETTINGS: tuple[Setting, ...] = (
    RAW_DIR,
    RAW_CACHE_DIR,
    WAREHOUSE_PATH,
    PUBLISHED_PATH,
    TARGET,
    DBT_THREADS,
    DUCKDB_THREADS,
    DUCKDB_MEMORY_LIMIT,
    DUCKDB_PRESERVE_INSERTION_ORDER,
    SPARK_WAREHOUSE_DIR,
    SPARK_CORES,
    SPARK_DRIVER_MEMORY,
    SPARK_SHUFFLE_PARTITIONS,
    SPARK_LOG_LEVEL,
    SPARK_CODEGEN,
)


def project_path(value: str | Path) -> Path:
    """A path as dbt reads it: relative paths are relative to the project root."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def report_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the report caches the Vega bundle: $CS_REPORT_CACHE_DIR, else the
    user's cache folder ($XDG_CACHE_HOME or ~/.cache) / cs_analytics."""
    environ = os.environ if environ is None else environ
    if environ.get("CS_REPORT_CACHE_DIR"):
        return Path(environ["CS_REPORT_CACHE_DIR"])
    return Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cs_analytics"


def duckdb_limits(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The limits the profile gives DuckDB, for connections opened outside dbt."""
    return {
        "threads": DUCKDB_THREADS.value(environ),
        "memory_limit": DUCKDB_MEMORY_LIMIT.value(environ),
    }


def spark_target(environ: Mapping[str, str] | None = None) -> bool:
    """True when dbt builds on Spark (the profile reads the same variable)."""
    return TARGET.value(environ) == "spark"


class DbtNotFoundError(RuntimeError):
    """dbt is not installed where the project looks for it."""


def dbt_executable() -> str:
    """The dbt of this interpreter's environment (the venv need not be activated),
    else the project's .venv, else the first on PATH."""
    for candidate in (Path(sys.executable).with_name("dbt"), PROJECT_ROOT / ".venv/bin/dbt"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("dbt")
    if found is None:
        raise DbtNotFoundError("dbt is not installed: run `make setup` first.")
    return found

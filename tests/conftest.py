"""Shared helpers: build the warehouse from a raw folder in isolation.

Every build gets its own DuckDB file, dbt target path, log path and profiles
folder, so tests can run in parallel and never touch the developer's
warehouse or target/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
WORKED_EXAMPLE_RAW = PROJECT_ROOT.parent / "shared" / "spec" / "worked-example" / "raw"
DEMO_RAW = PROJECT_ROOT / "data" / "demo"
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"


@dataclass
class Warehouse:
    """A built warehouse: its DuckDB file and the dbt run that built it."""

    path: Path
    result: subprocess.CompletedProcess[str]

    def rows(self, sql: str) -> list[dict[str, Any]]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            cursor = con.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def scalar(self, sql: str) -> Any:
        with duckdb.connect(str(self.path), read_only=True) as con:
            row = con.execute(sql).fetchone()
            return None if row is None else row[0]


def run_dbt(
    args: list[str],
    work_dir: Path,
    raw_dir: Path | None,
    variables: dict[str, Any] | None = None,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Run dbt from the project root against a private warehouse in work_dir."""
    work_dir.mkdir(parents=True, exist_ok=True)
    profiles_dir = work_dir / "profiles"
    profiles_dir.mkdir(exist_ok=True)
    shutil.copy(PROJECT_ROOT / "profiles.example.yml", profiles_dir / "profiles.yml")
    warehouse = work_dir / "warehouse" / "cs_analytics.duckdb"
    warehouse.parent.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(profiles_dir),
        "CS_WAREHOUSE_PATH": str(warehouse),
        "CS_DUCKDB_THREADS": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if raw_dir is not None:
        env["CS_RAW_DIR"] = str(raw_dir)
    command = [
        str(DBT_EXECUTABLE),
        *args,
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    if variables:
        command += ["--vars", repr_yaml(variables)]
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    return warehouse, result


def repr_yaml(variables: dict[str, Any]) -> str:
    """Vars for --vars: JSON, which is YAML, so every string stays a string."""
    return json.dumps(variables, ensure_ascii=False, default=str)


def build(
    work_dir: Path, raw_dir: Path, variables: dict[str, Any] | None = None
) -> Warehouse:
    """`dbt build` on raw_dir; fails the test with dbt's output on error."""
    path, result = run_dbt(["build"], work_dir, raw_dir, variables)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return Warehouse(path, result)


def write_csv(folder: Path, table: str, header: list[str], rows: list[list[Any]]) -> None:
    """Write a raw CSV table; None is an empty field."""
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])


@pytest.fixture(scope="session")
def dbt_manifest_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dbt target folder holding a fresh manifest.json, parsed once per test session
    (once for all pytest-xdist workers): what `make manifest` gives Dagster outside
    `dagster dev`. Point DBT_TARGET_PATH at it before importing `orchestration`."""
    from orchestration.locking import exclusive_lock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # this session's folder, shared by its workers
    target = shared / "dbt_manifest" / "target"
    with exclusive_lock(shared / "dbt_manifest.lock"):
        if not (target / "manifest.json").is_file():
            _, result = run_dbt(["parse"], target.parent, raw_dir=None)
            if result.returncode != 0:
                pytest.fail(f"dbt parse failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return target


@pytest.fixture(scope="module")
def orch(env: Any) -> Any:
    """The orchestration modules, imported once the module's `env` fixture (see
    orchestration_env.py) points Dagster and dbt at tmp dirs."""
    from orchestration_env import import_orchestration

    return import_orchestration()


@pytest.fixture(scope="module")
def instance(env: Any) -> Iterator[Any]:
    """An in-memory Dagster instance for the module's runs (fast: a dbt build logs
    hundreds of events)."""
    from dagster import DagsterInstance

    with DagsterInstance.ephemeral() as dagster_instance:
        yield dagster_instance


@pytest.fixture
def build_warehouse(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., Warehouse]]:
    def _build(raw_dir: Path, variables: dict[str, Any] | None = None) -> Warehouse:
        return build(tmp_path_factory.mktemp("build"), raw_dir, variables)

    yield _build

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
    target: str = "dev",
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Run dbt from the project root against a private warehouse in work_dir:
    the DuckDB file, or with target "spark" the Spark warehouse folder."""
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
        "CS_TARGET": target,
    }
    if target == "spark":
        warehouse = work_dir / "spark"
        env["CS_SPARK_WAREHOUSE_DIR"] = str(warehouse)
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
    work_dir: Path,
    raw_dir: Path,
    variables: dict[str, Any] | None = None,
    target: str = "dev",
    args: tuple[str, ...] = (),
) -> Warehouse:
    """`dbt build` on raw_dir; fails the test with dbt's output on error. On
    target "spark" the Warehouse's path is the Spark warehouse folder (read
    it with tests/spark_tables.py)."""
    path, result = run_dbt(["build", *args], work_dir, raw_dir, variables, target)
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


@pytest.fixture
def build_warehouse(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., Warehouse]]:
    def _build(raw_dir: Path, variables: dict[str, Any] | None = None) -> Warehouse:
        return build(tmp_path_factory.mktemp("build"), raw_dir, variables)

    yield _build

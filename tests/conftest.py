"""Shared helpers: build the warehouse from a raw folder in isolation.

Every build gets its own DuckDB file, dbt target path, log path and profiles
folder, so tests can run in parallel and never touch the developer's
warehouse or target/.

Builds leave dbt's unit tests out: they run once per session
(tests/test_unit_tests.py).

A warehouse that several modules read (the worked example, the demo data)
is built once per session and shared by every pytest-xdist worker
(`worked_example`, `demo_warehouse`): read it, never build into it;
`writable_copy` gives a test its own copy.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
WORKED_EXAMPLE_RAW = PROJECT_ROOT.parent / "shared" / "spec" / "worked-example" / "raw"
WORKED_EXAMPLE_VARS = {"churn_window_days": 30}
DEMO_RAW = PROJECT_ROOT / "data" / "demo"
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
# A run's warehouse, in its work folder.
WAREHOUSE_FILE = Path("warehouse") / "cs_analytics.duckdb"
# Builds leave the unit tests to tests/test_unit_tests.py.
WITHOUT_UNIT_TESTS = ["--exclude", "resource_type:unit_test"]


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
    warehouse = work_dir / WAREHOUSE_FILE
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
    return json.dumps(variables, ensure_ascii=False, default=str, sort_keys=True)


def build(
    work_dir: Path, raw_dir: Path, variables: dict[str, Any] | None = None
) -> Warehouse:
    """`dbt build` on raw_dir, data tests included and unit tests left out;
    fails the test with dbt's output on error."""
    path, result = run_dbt(["build", *WITHOUT_UNIT_TESTS], work_dir, raw_dir, variables)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return Warehouse(path, result)


def writable_copy(warehouse: Warehouse, work_dir: Path) -> Path:
    """A copy of a (shared) warehouse in work_dir, where run_dbt builds into it."""
    copy = work_dir / WAREHOUSE_FILE
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(warehouse.path, copy)
    return copy


def write_csv(folder: Path, table: str, header: list[str], rows: list[list[Any]]) -> None:
    """Write a raw CSV table; None is an empty field."""
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])


# --------------------------------------------------------------------------
# Session-wide state, shared by the pytest-xdist workers
# --------------------------------------------------------------------------


def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test session that every pytest-xdist worker sees
    (each worker's basetemp is a subfolder of the session's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Exclusive across the session's processes, for as long as the block runs."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def raw_fingerprint(raw_dir: Path, variables: dict[str, Any] | None) -> str:
    """Equal for equal inputs: the raw files' names and bytes, and the vars."""
    digest = hashlib.sha256(repr_yaml(variables or {}).encode())
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(raw_dir)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def shared_build(
    tmp_path_factory: pytest.TempPathFactory,
    raw_dir: Path,
    variables: dict[str, Any] | None = None,
) -> Warehouse:
    """The session's one build of these inputs: the first worker to ask
    builds it, the others wait for it and read the same file."""
    folder = session_folder(tmp_path_factory) / "shared-warehouses"
    folder.mkdir(exist_ok=True)
    key = raw_fingerprint(raw_dir, variables)
    work_dir = folder / key
    record = work_dir / "dbt-build.json"
    with locked(folder / f"{key}.lock"):
        if not record.is_file():
            built = build(work_dir, raw_dir, variables)
            record.write_text(json.dumps({
                "args": built.result.args,
                "returncode": built.result.returncode,
                "stdout": built.result.stdout,
                "stderr": built.result.stderr,
            }), encoding="utf-8")
    result = json.loads(record.read_text(encoding="utf-8"))
    return Warehouse(work_dir / WAREHOUSE_FILE, subprocess.CompletedProcess(**result))


@pytest.fixture(scope="session")
def worked_example(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The contract's worked example with its vars, built once per session
    (read-only: use `writable_copy` to build into it)."""
    return shared_build(tmp_path_factory, WORKED_EXAMPLE_RAW, WORKED_EXAMPLE_VARS)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The bundled demo data with the default vars, built once per session
    (read-only)."""
    return shared_build(tmp_path_factory, DEMO_RAW)


@pytest.fixture
def build_warehouse(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., Warehouse]]:
    def _build(raw_dir: Path, variables: dict[str, Any] | None = None) -> Warehouse:
        return build(tmp_path_factory.mktemp("build"), raw_dir, variables)

    yield _build

"""Shared helpers: build the warehouse from a raw folder in isolation.

Every build gets its own DuckDB file, dbt target path, log path and profiles
folder, so tests can run in parallel and never touch the developer's
warehouse or target/.

Four things keep the suite fast (docs/testing.md):
- dbt runs in the test's process (`dbt_in_process`) rather than in a process
  of its own, except on Spark;
- builds skip dbt's unit tests, which run once per session
  (tests/test_unit_tests.py);
- a warehouse that several modules read (the worked example, the demo data)
  is built once per session and shared by every pytest-xdist worker
  (`worked_example`, `demo_warehouse`): read it, never build into it;
  `writable_copy` gives a test its own copy;
- every dbt run starts from the parse of an earlier run with the same vars
  (`partial_parse.msgpack`), instead of parsing the project again.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cs_analytics.raw.workbooks import prepare_folder
from cs_analytics.settings import dbt_executable

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# The contract's worked example, copied into the repository: its raw folder
# and, in its README, every mart value computed by hand.
WORKED_EXAMPLE_RAW = PROJECT_ROOT / "tests" / "fixtures" / "worked-example" / "raw"
WORKED_EXAMPLE_VARS = {"churn_window_days": 30}
# Spark runs interpreted in the suite (CS_SPARK_CODEGEN, profiles.example.yml):
# on these fixtures' few thousand rows compiling each query's code costs more
# than running it. The worked example's full Spark build alone runs Spark's
# default, generated code (tests/test_spark_equivalence.py). Set before any
# dbt run or Spark session of the session.
os.environ.setdefault("CS_SPARK_CODEGEN", "false")
# No dbt.log in any dbt run of the session (in process, the benchmark's,
# the preflight's, the Dagster job's): writing dbt's debug log, every
# query's SQL an event at a time, costs a small build a few percent to a
# tenth of its time (docs/testing.md). The console output, which the tests
# keep, has the lines of the info level.
os.environ.setdefault("DBT_LOG_LEVEL_FILE", "none")
DEMO_RAW = PROJECT_ROOT / "data" / "demo"
# The project's one way to find dbt (the venv's, beside this interpreter).
DBT_EXECUTABLE = Path(dbt_executable())
# Relative to each run's own folder (dbt runs there), so that the profile is
# the same for every run and dbt accepts an earlier run's parse.
WAREHOUSE_FILE = Path("warehouse") / "cs_analytics.duckdb"
# Set for the session by the `dbt_parse_cache` fixture; unset, nothing is cached.
PARSE_CACHE_ENV = "CS_TEST_DBT_PARSE_CACHE"
RAW_CACHE_ENV = "CS_RAW_CACHE_DIR"
# Builds leave the unit tests to tests/test_unit_tests.py.
WITHOUT_UNIT_TESTS = ["--exclude", "resource_type:unit_test"]
PARSE_FILE = "partial_parse.msgpack"
# build args for staging and the audit only (seeds and models, no tests): what
# reading the raw files decides, for tests that need no mart.
STAGING_AND_AUDIT = (
    "--select", "+path:models/audit", "path:models/staging", "--resource-type", "model",
    "--resource-type", "seed",
)
# build args for every model and seed, no data test: for a data set whose
# shape another build of the suite already runs the data tests on (the
# worked example in another format, a shop the nightly job builds too).
MODELS_ONLY = ("--resource-type", "model", "--resource-type", "seed")
# A shop without a helpdesk (contract section 6): the worked example's
# customers and orders files with these vars, built once per session by
# tests/test_export_adaptation.py and tests/test_report_browser.py.
ORDERS_ONLY_VARS = {
    "churn_window_days": 30, "absent_tables": ["tickets", "survey_responses", "agents"],
}


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
    *,
    write_json: bool = False,
    project_dir: Path = PROJECT_ROOT,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Run dbt on the project against a private warehouse in work_dir: the
    DuckDB file, or with target "spark" the Spark warehouse folder.

    dbt runs in work_dir with the warehouse path relative to it: the profile
    is then the same for every run, so dbt reuses the parse an earlier run
    with the same vars and target left in the session's parse cache.
    `project_dir` runs a copy of the project instead (a test that edits
    its seeds); its parses are not cached."""
    work_dir.mkdir(parents=True, exist_ok=True)
    profiles_dir = work_dir / "profiles"
    profiles_dir.mkdir(exist_ok=True)
    shutil.copy(PROJECT_ROOT / "profiles.example.yml", profiles_dir / "profiles.yml")
    (work_dir / WAREHOUSE_FILE).parent.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(profiles_dir),
        "CS_WAREHOUSE_PATH": str(WAREHOUSE_FILE),
        "CS_DUCKDB_THREADS": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # The project's default raw folder is relative to the project root.
        "CS_RAW_DIR": str((raw_dir or DEMO_RAW).resolve()),
        "CS_TARGET": target,
    }
    warehouse = work_dir / WAREHOUSE_FILE
    if target == "spark":
        warehouse = work_dir / "spark"
        env["CS_SPARK_WAREHOUSE_DIR"] = str(warehouse)
        # What `make run` does before a Spark build: dbt-spark cannot open a
        # workbook, so the raw folder's workbooks are read into the cache.
        prepare_folder((raw_dir or DEMO_RAW).resolve())
    target_dir = work_dir / "target"
    parse = cached_parse(variables, target) if project_dir == PROJECT_ROOT else None
    if parse is not None and parse.is_file() and not (target_dir / PARSE_FILE).exists():
        target_dir.mkdir(exist_ok=True)
        shutil.copy(parse, target_dir / PARSE_FILE)
    command = [
        str(DBT_EXECUTABLE),
        *args,
        # No manifest.json or run_results.json unless asked for: writing the
        # manifest costs every run about half a second.
        "--write-json" if write_json else "--no-write-json",
        "--project-dir",
        str(project_dir),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(work_dir / "logs"),
    ]
    if variables:
        command += ["--vars", repr_yaml(variables)]
    if target == "spark":
        # A JVM per Spark build: a Spark session's warehouse folder is fixed
        # when it starts, and each build has its own.
        result = subprocess.run(
            command, cwd=work_dir, env=env, capture_output=True, text=True, check=False
        )
    else:
        result = dbt_in_process(command, work_dir, env)
    if parse is not None and not parse.is_file() and (target_dir / PARSE_FILE).is_file():
        staged = parse.with_name(f"{parse.name}.{os.getpid()}")
        shutil.copy(target_dir / PARSE_FILE, staged)
        staged.replace(parse)
    return warehouse, result


def dbt_in_process(
    command: list[str], work_dir: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`command` (dbt and its args) run by dbtRunner in this process, in
    work_dir with env as the whole environment, as the dbt executable would
    run it: its console output, and its exit code (0 success, 1 a node
    failed, 2 an error). A dbt process costs about 3 s of imports before
    its first line, and the suite runs dbt about a hundred times."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    out, err = io.StringIO(), io.StringIO()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(work_dir)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            outcome = dbtRunner().invoke(command[1:])
    finally:
        # dbt-duckdb keeps its database open between runs of a process;
        # close it, so the test (or the next run) opens the file afresh.
        with DuckDBConnectionManager._LOCK:
            if DuckDBConnectionManager._ENV is not None:
                DuckDBConnectionManager._ENV.close()
                DuckDBConnectionManager._ENV = None
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    if outcome.exception is not None:
        print(f"{type(outcome.exception).__name__}: {outcome.exception}", file=err)
    code = 0 if outcome.success else 2 if outcome.exception is not None else 1
    return subprocess.CompletedProcess(command, code, out.getvalue(), err.getvalue())


def cached_parse(variables: dict[str, Any] | None, target: str = "dev") -> Path | None:
    """Where the session keeps dbt's parse for these vars and target (dbt
    parses the whole project again whenever either changes)."""
    folder = os.environ.get(PARSE_CACHE_ENV)
    if not folder:
        return None
    key = hashlib.sha256(f"{target}:{repr_yaml(variables or {})}".encode()).hexdigest()[:16]
    return Path(folder) / f"{key}.msgpack"


def repr_yaml(variables: dict[str, Any]) -> str:
    """Vars for --vars: JSON, which is YAML, so every string stays a string."""
    return json.dumps(variables, ensure_ascii=False, default=str, sort_keys=True)


def build(
    work_dir: Path,
    raw_dir: Path,
    variables: dict[str, Any] | None = None,
    target: str = "dev",
    args: tuple[str, ...] = (),
) -> Warehouse:
    """`dbt build` on raw_dir, data tests included and unit tests left out;
    fails the test with dbt's output on error. On target "spark" the
    Warehouse's path is the Spark warehouse folder (read it with
    tests/spark_tables.py)."""
    path, result = run_dbt(
        ["build", *WITHOUT_UNIT_TESTS, *args], work_dir, raw_dir, variables, target
    )
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The Spark lane first. With `--no-loadscope-reorder` (pyproject.toml)
    pytest-xdist hands modules to the workers in collection order; the Spark
    modules are the longest, so started first the shorter DuckDB modules fill
    the workers behind them, instead of a Spark build running alone at the
    end. Order within a module, and among the other modules, is kept."""
    items.sort(key=lambda item: item.get_closest_marker("spark") is None)


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


@pytest.fixture(scope="session", autouse=True)
def dbt_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """dbt parses the whole project (5-8 s here) for every new target path;
    with this cache each run starts from the parse of an earlier run with the
    same vars, and dbt re-parses only what changed since."""
    yield from session_env_folder(tmp_path_factory, "dbt-parse", PARSE_CACHE_ENV)


@pytest.fixture(scope="session", autouse=True)
def raw_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's cache folder of workbooks read as text (CS_RAW_CACHE_DIR,
    cs_analytics/raw/workbooks.py), for the tests' own calls and every dbt run
    they start: never the project's warehouse/ folder."""
    yield from session_env_folder(tmp_path_factory, "raw-cache", RAW_CACHE_ENV)


def session_env_folder(
    tmp_path_factory: pytest.TempPathFactory, name: str, variable: str
) -> Iterator[Path]:
    """A folder of the session named `name`, in the environment variable
    `variable` while the fixture lasts (its previous value restored after)."""
    folder = session_folder(tmp_path_factory) / name
    folder.mkdir(exist_ok=True)
    previous = os.environ.get(variable)
    os.environ[variable] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop(variable, None)
    else:
        os.environ[variable] = previous


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


def shared_reports(
    tmp_path_factory: pytest.TempPathFactory, warehouse: Warehouse
) -> dict[str, Path]:
    """The session's one report of a shared warehouse in each language
    (`<lang>/index.html`): the first worker to ask writes them, the others
    read the same files (read-only)."""
    from report_page import write_report

    from cs_analytics.report.labels import LANGUAGES

    folder = session_folder(tmp_path_factory) / "shared-reports"
    folder.mkdir(exist_ok=True)
    key = warehouse.path.parents[1].name  # the shared build's own folder
    paths = {lang: folder / key / lang / "index.html" for lang in LANGUAGES}
    with locked(folder / f"{key}.lock"):
        for lang, path in paths.items():
            if not path.is_file():
                write_report(warehouse.path, path, lang)
    return paths


@pytest.fixture(scope="session")
def report_pages(
    tmp_path_factory: pytest.TempPathFactory, worked_example: Warehouse
) -> dict[str, str]:
    """The worked example's report in each language, as HTML (tests/test_report*.py)."""
    paths = shared_reports(tmp_path_factory, worked_example)
    return {lang: path.read_text(encoding="utf-8") for lang, path in paths.items()}


@pytest.fixture(scope="session")
def report_data(report_pages: dict[str, str]) -> dict[str, Any]:
    """The data block of the worked example's Vietnamese report."""
    from report_page import page_data

    return page_data(report_pages["vi"])


@pytest.fixture(scope="session")
def demo_reports(
    tmp_path_factory: pytest.TempPathFactory, demo_warehouse: Warehouse
) -> dict[str, Path]:
    """The demo data's report in each language (tests/test_report_browser.py)."""
    return shared_reports(tmp_path_factory, demo_warehouse)


@pytest.fixture(scope="session")
def dbt_manifest_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dbt target folder holding a fresh manifest.json, parsed once per test session
    (once for all pytest-xdist workers): what `make manifest` gives Dagster outside
    `dagster dev`. Point DBT_TARGET_PATH at it before importing `orchestration`."""
    shared = session_folder(tmp_path_factory)
    target = shared / "dbt_manifest" / "target"
    with locked(shared / "dbt_manifest.lock"):
        if not (target / "manifest.json").is_file():
            _, result = run_dbt(["parse"], target.parent, raw_dir=None, write_json=True)
            if result.returncode != 0:
                pytest.fail(f"dbt parse failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return target


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, dbt_manifest_dir: Path) -> Iterator[Any]:
    """The orchestration modules' environment: a raw folder of the fixture files
    and tmp dirs for dbt, Dagster and the warehouse, one per test module
    (tests/orchestration_env.py); a module may define its own."""
    from orchestration_env import orchestration_env, write_raw_folder

    root = tmp_path_factory.mktemp("orchestration")
    with orchestration_env(root, write_raw_folder(root / "raw"), dbt_manifest_dir) as environment:
        yield environment


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

"""Benchmark of the full `dbt build` at one scale of generated data.

`python -m cs_analytics.bench --scale M [--format csv]` (or
`make bench SCALE=M FORMAT=csv`):

1. generates the raw files of the scale and format into
   `bench/data/<scale>-<format>/` when they are missing (S in CSV is the
   bundled demo set, `data/demo/`);
2. measures the floor: the time DuckDB alone takes, in this process, to read
   every raw file and cast it to typed columns;
3. runs `dbt build` on the S set (the fixed overhead), then on the scale,
   each `--repeat` times (default 3 for M and L, 1 for S and XL) into a fresh
   warehouse and target folder under `bench/data/runs/`, polling the resident
   memory of the dbt process tree;
4. prints the median and range of the builds, the ratio to the floor, the
   peak memory and the time of every model in the median build, and writes
   `bench/results/<scale>-<format>-<UTC time>.json`, plus
   `bench/results/<scale>-<format>-latest.json` when every build succeeded.
   `bench/results/` is build output, ignored by git.

DuckDB's threads, memory limit and preserve_insertion_order come from
CS_DUCKDB_THREADS, CS_DUCKDB_MEMORY_LIMIT and CS_DUCKDB_PRESERVE_INSERTION_ORDER
(defaults 2, 3GB and false), as in the dbt profile, for the floor too. The
limits of docs/performance.md are printed beside the measured values, never
asserted and never reported as results.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import psutil

from cs_analytics import bench_baseline, generate, raw_files
from cs_analytics.raw_tables import SOURCES_FILE, raw_tables, table_names

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "data" / "demo"
POLL_SECONDS = 0.05
LOG_TAIL_LINES = 40
GB = 1024**3
# The limits docs/performance.md sets, printed beside the measured values:
# wall times from issue 5, the ratio and peak memory from issue 12 (XL's
# wall-time limit is 12x the L build, which a single run cannot print).
LIMITS: dict[str, dict[str, float]] = {
    "M": {"build_seconds": 15, "ratio": 4},
    "L": {"build_seconds": 60, "peak_rss_gb": 3.5, "ratio": 4},
    "XL": {"peak_rss_gb": 4},
}
QUALITY_GATES_SHARE_LIMIT = 0.2
# Builds per scale when --repeat is not given: XL is too large to build thrice.
DEFAULT_REPEAT = {"S": 1, "M": 3, "L": 3, "XL": 1}
# DuckDB type of the floor's typed columns, by the kind the description gives;
# text columns are trimmed text.
FLOOR_TYPES = {"timestamp": "timestamp", "amount": "decimal(18, 4)", "integer": "bigint"}


@dataclass(frozen=True)
class Settings:
    """DuckDB and dbt settings the profile reads from the environment."""

    duckdb_threads: str
    duckdb_memory_limit: str
    dbt_threads: str
    duckdb_preserve_insertion_order: str = "false"

    @classmethod
    def from_env(cls) -> Settings:
        from orchestration.database import duckdb_settings

        duckdb_limits = duckdb_settings()
        return cls(
            duckdb_limits["threads"],
            duckdb_limits["memory_limit"],
            os.environ.get("CS_DBT_THREADS", "2"),
            os.environ.get("CS_DUCKDB_PRESERVE_INSERTION_ORDER", "false"),
        )


@dataclass
class BuildResult:
    scale: str
    raw_dir: str
    ok: bool
    returncode: int
    wall_seconds: float  # median over the repeated builds
    peak_rss_bytes: int  # highest over the repeated builds
    parse_seconds: float  # the untimed cold `dbt parse` before the builds
    runs_seconds: list[float] = field(default_factory=list)
    # Every model of the median build (the lower median for an even count), slowest first.
    model_seconds: list[dict[str, Any]] = field(default_factory=list)
    node_counts: dict[str, int] = field(default_factory=dict)
    log_tail: list[str] = field(default_factory=list)

    @property
    def peak_rss_gb(self) -> float:
        return self.peak_rss_bytes / GB

    @property
    def range_seconds(self) -> tuple[float, float]:
        return (min(self.runs_seconds or [0.0]), max(self.runs_seconds or [0.0]))


@dataclass
class Floor:
    seconds: float
    tables: dict[str, dict[str, float | int | str]]


# --------------------------------------------------------------------------
# Paths and data
# --------------------------------------------------------------------------


def display_path(path: Path) -> str:
    """A path relative to the project root when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def raw_file(raw_dir: Path, table: str) -> Path | None:
    """The table's file, found as the build finds it (None when absent)."""
    try:
        return raw_files.find_raw_file(raw_dir, raw_tables()[table])
    except raw_files.RawFileError:
        return None


def data_label(scale_name: str, file_format: str) -> str:
    """`<scale>-<format>`: the name of everything one scale and format produce."""
    return f"{scale_name}-{file_format}"


def generator_fingerprint() -> str:
    """A hash of the generator's code and of the sources YAML it writes from."""
    package = Path(generate.__file__).parent
    digest = hashlib.sha256()
    for path in [*sorted(package.glob("*.py")), SOURCES_FILE]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_data(
    scale: generate.Scale, work_dir: Path, seed: int, file_format: str, long_open: bool = False
) -> tuple[Path, float | None]:
    """The raw folder of the scale and format, generated when missing; and generation seconds.

    Each scale and format has its own folder, `<work_dir>/<scale>-<format>/`,
    and a stamp beside it with the generator's arguments and a fingerprint of
    its code: a folder whose stamp differs is generated again. S in the demo's
    format is the demo itself. With long_open (tickets open for months), the
    folder is `<scale>-<format>-long-open/`.
    """
    if scale.name == "S" and file_format == generate.SCALES["S"].file_format and not long_open:
        return DEMO_DIR, None
    label = data_label(scale.name, file_format) + ("-long-open" if long_open else "")
    raw_dir = work_dir / label
    wanted = {
        "scale": scale.name,
        "seed": seed,
        "format": file_format,
        "bad_rows": True,
        "start": scale.start.isoformat(),
        "block_customers": generate.BLOCK_CUSTOMERS,
        "generator": generator_fingerprint(),
        **({"long_open": True} if long_open else {}),
    }
    stamp = work_dir / f"{label}.generated.json"
    present = all(raw_file(raw_dir, table) for table in table_names())
    if present and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return raw_dir, None
    print(f"generating {label} into {display_path(raw_dir)}", file=sys.stderr)
    stamp.unlink(missing_ok=True)
    started = time.perf_counter()
    generate.generate(
        raw_dir, scale, seed=seed, file_format=file_format, bad_rows=True, progress=True,
        long_open=long_open,
    )
    stamp.write_text(json.dumps(wanted, indent=2) + "\n")
    return raw_dir, time.perf_counter() - started


# --------------------------------------------------------------------------
# Floor: DuckDB alone reading and typing the raw files
# --------------------------------------------------------------------------


def typed_select(raw_dir: Path, table: str) -> str:
    """DuckDB reading one raw table exactly as staging does (the project's one
    reader, cs_analytics.raw_files) and typing every contract column: text
    trimmed, timestamps, amounts and counts cast with try_cast."""
    described = raw_tables()[table]
    raw_file = raw_files.inspect_table(raw_dir, described, check_bytes=False)
    typed = {name: FLOOR_TYPES[kind] for kind in FLOOR_TYPES for name in described.of_kind(kind)}
    expressions = []
    for name in described.column_names:
        value = f"trim({name})"
        if name in typed:
            value = f"try_cast({value} as {typed[name]})"
        expressions.append(f"{value} as {name}")
    reader = raw_files.reader_select(raw_file, described.column_names)
    return f"select {', '.join(expressions)}, source_row_number from {reader}"


def measure_floor(raw_dir: Path, database: Path, settings: Settings) -> Floor:
    database.parent.mkdir(parents=True, exist_ok=True)
    remove_database(database)
    tables: dict[str, dict[str, float | int | str]] = {}
    with duckdb.connect(str(database)) as con:
        con.execute(f"set threads = {int(settings.duckdb_threads)}")
        con.execute(f"set memory_limit = '{settings.duckdb_memory_limit}'")
        preserve = settings.duckdb_preserve_insertion_order.strip().lower() == "true"
        con.execute(f"set preserve_insertion_order = {str(preserve).lower()}")
        for table in table_names():
            path = raw_file(raw_dir, table)
            if path is None:
                continue
            started = time.perf_counter()
            sql = typed_select(raw_dir, table)
            con.execute(f"create table {table} as {sql}")
            seconds = time.perf_counter() - started
            rows = con.execute(f"select count(*) from {table}").fetchone()
            tables[table] = {
                "file": path.name,
                "bytes": path.stat().st_size,
                "rows": int(rows[0]) if rows else 0,
                "seconds": round(seconds, 3),
            }
    remove_database(database)
    total = sum(float(t["seconds"]) for t in tables.values())
    return Floor(round(total, 3), tables)


def remove_database(database: Path) -> None:
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)


# --------------------------------------------------------------------------
# dbt build with memory polling
# --------------------------------------------------------------------------


def dbt_executable() -> str:
    beside_python = Path(sys.executable).with_name("dbt")
    for candidate in (beside_python, ROOT / ".venv" / "bin" / "dbt"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("dbt")
    if found is None:
        raise SystemExit("dbt is not installed: run `make setup` first.")
    return found


def profiles_dir(work_dir: Path) -> Path:
    """DBT_PROFILES_DIR, else the project root's profiles.yml, else a copy of the example."""
    if os.environ.get("DBT_PROFILES_DIR"):
        return Path(os.environ["DBT_PROFILES_DIR"])
    if (ROOT / "profiles.yml").exists():
        return ROOT
    folder = work_dir / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "profiles.example.yml", folder / "profiles.yml")
    return folder


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_watched(
    command: Sequence[str], env: dict[str, str], log_path: Path
) -> tuple[int, float, int]:
    """Run command with output to log_path; returns exit code, wall seconds, peak RSS."""
    peak = 0
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        process = psutil.Popen(
            list(command), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        while True:
            peak = max(peak, tree_rss(process))
            try:
                returncode = process.wait(timeout=POLL_SECONDS)
                break
            except psutil.TimeoutExpired:
                continue
        wall = time.perf_counter() - started
    return int(returncode), wall, peak


def dbt_env(raw_dir: Path, warehouse: Path, profiles: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "CS_RAW_DIR": str(raw_dir.resolve()),
            "CS_WAREHOUSE_PATH": str(warehouse.resolve()),
            "DBT_PROFILES_DIR": str(profiles.resolve()),
            "DBT_USE_COLORS": "false",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }
    )
    return env


def dbt_command(subcommand: str, run_dir: Path, project_dir: Path = ROOT) -> list[str]:
    return [
        dbt_executable(),
        subcommand,
        "--project-dir",
        str(project_dir),
        "--target-path",
        str(run_dir / "target"),
        "--log-path",
        str(run_dir / "logs"),
    ]


def fresh_run_dir(run_dir: Path) -> Path:
    """Empty the run folder but its target (kept for dbt's partial parsing)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for path in run_dir.iterdir():
        if path.name == "target":
            (path / "run_results.json").unlink(missing_ok=True)
        elif path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return run_dir / "warehouse.duckdb"


def median_index(values: Sequence[float]) -> int:
    """Position of the median value (the lower of the two middle ones for an even count)."""
    return sorted(range(len(values)), key=lambda i: values[i])[(len(values) - 1) // 2]


def run_build(
    scale_name: str, raw_dir: Path, run_dir: Path, profiles: Path, repeat: int = 1,
    project_dir: Path = ROOT,
) -> BuildResult:
    """`dbt build` of raw_dir into a fresh warehouse, after an untimed `dbt parse`.

    The parse fills dbt's partial-parsing cache, so the timed build is the
    steady state of a scheduled run; the parse time is reported apart.
    """
    warehouse = fresh_run_dir(run_dir)
    env = dbt_env(raw_dir, warehouse, profiles)
    print(f"dbt build on scale {scale_name} ({display_path(raw_dir)})", file=sys.stderr)
    output = run_dir / "dbt-output.log"
    parse_code, parse_seconds, _ = run_watched(
        dbt_command("parse", run_dir, project_dir), env, output
    )
    walls: list[float] = []
    peaks: list[int] = []
    runs: list[list[dict[str, Any]]] = []
    returncode = parse_code
    for number in range(repeat if parse_code == 0 else 0):
        remove_database(warehouse)
        print(f"  build {number + 1} of {repeat}", file=sys.stderr)
        returncode, wall, peak = run_watched(
            dbt_command("build", run_dir, project_dir), env, output
        )
        walls.append(round(wall, 3))
        peaks.append(peak)
        runs.append(read_run_results(run_dir / "target" / "run_results.json"))
        if returncode != 0:
            break
    lines = output.read_text(errors="replace").splitlines()
    results = runs[median_index(walls)] if walls else []
    return BuildResult(
        scale=scale_name,
        raw_dir=display_path(raw_dir),
        ok=returncode == 0,
        returncode=returncode,
        wall_seconds=round(statistics.median(walls or [0.0]), 3),
        peak_rss_bytes=max(peaks or [0]),
        parse_seconds=round(parse_seconds, 3),
        runs_seconds=walls,
        model_seconds=model_seconds(results),
        node_counts=node_counts(results),
        log_tail=[] if returncode == 0 else lines[-LOG_TAIL_LINES:],
    )


def measure_quality_gates(raw_dir: Path, warehouse: Path) -> dict[str, Any]:
    """Seconds the nightly job's Great Expectations checks take on this data:
    the raw gates (before dbt), the headline-KPI checks (after it; the build
    stands in for the previous snapshot) and the Data Docs, run as
    orchestration/checks.py runs them, without Dagster around them."""
    from orchestration import database, kpi_drift, raw_gates
    from orchestration.gx_runner import GreatExpectationsRunner
    from orchestration.thresholds import QualityGateConfig

    gates = QualityGateConfig()
    with tempfile.TemporaryDirectory() as docs:
        runner = GreatExpectationsRunner(Path(docs), "benchmark", 1)
        start = time.perf_counter()
        raw_gates.raw_gate_results(raw_dir, None, gates, runner)
        raw_seconds = time.perf_counter() - start
        start = time.perf_counter()
        with database.connect_read_only(warehouse) as work:
            for mart in sorted(kpi_drift.HEADLINE_KPIS):
                kpi_drift.kpi_drift_result(mart, work, work, None, runner, gates)
        kpi_seconds = time.perf_counter() - start
        start = time.perf_counter()
        runner.build_data_docs()
        docs_seconds = time.perf_counter() - start
    return {
        "raw_seconds": round(raw_seconds, 2),
        "kpi_seconds": round(kpi_seconds, 2),
        "data_docs_seconds": round(docs_seconds, 2),
        "total_seconds": round(raw_seconds + kpi_seconds + docs_seconds, 2),
    }


def measure_report(warehouse: Path) -> dict[str, Any]:
    """Seconds the KPI report (cs_analytics.report) takes to build from the built
    warehouse, in Vietnamese as the nightly job publishes it, and its size. The first
    build of a machine also bundles the Vega JavaScript (cached afterwards)."""
    from cs_analytics.report import Sources, build_report

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "index.html"
        start = time.perf_counter()
        result = build_report(Sources(warehouse, None, Path(folder)), out, "vi")
        seconds = time.perf_counter() - start
    print(f"report: {seconds:.2f} s, {result.size_bytes / 1e6:.2f} MB", file=sys.stderr)
    return {"seconds": round(seconds, 2), "size_bytes": result.size_bytes}


def measure_publish(warehouse: Path) -> dict[str, Any]:
    """Seconds orchestration/publish.py takes to publish the built warehouse (the
    marts and the reconciliation copied into a new DuckDB file, one Parquet file per
    mart, both swapped in), into a temporary folder."""
    from orchestration.publish import publish_snapshot

    with tempfile.TemporaryDirectory() as folder:
        published = Path(folder) / "cs_analytics.duckdb"
        start = time.perf_counter()
        result = publish_snapshot(
            work_db=warehouse,
            published_path=published,
            parquet_link=Path(folder) / "parquet",
            snapshot_info_path=Path(folder) / "snapshot.json",
            run_id="benchmark",
        )
        seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "size_bytes": result.size_bytes}


def nightly_job(
    build: BuildResult,
    quality_gates: dict[str, Any] | None,
    publish: dict[str, Any] | None,
    report_build: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """The time of the whole nightly job (orchestration/jobs.py, `nightly_build`) at
    this scale, and its share of the dbt build: the raw gates, the dbt build (the
    median build), the headline-KPI checks and Data Docs, publishing and the report, each
    timed as the job runs it but one after the other in this process. Not covered:
    Dagster's own overhead (launching the run, its event log, the asset checks'
    bookkeeping), which does not grow with the data. None when a piece is missing."""
    if quality_gates is None or publish is None or report_build is None or not build.ok:
        return None
    steps = {
        "raw_gates_seconds": quality_gates["raw_seconds"],
        "dbt_build_seconds": build.wall_seconds,
        "kpi_checks_and_docs_seconds": round(
            quality_gates["kpi_seconds"] + quality_gates["data_docs_seconds"], 2
        ),
        "publish_seconds": publish["seconds"],
        "report_seconds": report_build["seconds"],
    }
    total = round(sum(steps.values()), 2)
    return {**steps, "total_seconds": total, "share_of_build": round(total / build.wall_seconds, 3)}


def read_run_results(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return list(json.loads(path.read_text()).get("results", []))


def model_seconds(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every model of a run_results.json, slowest first."""
    models = [r for r in results if str(r.get("unique_id", "")).startswith("model.")]
    models.sort(key=lambda r: float(r.get("execution_time") or 0.0), reverse=True)
    return [
        {
            "model": r["unique_id"].split(".")[-1],
            "seconds": round(float(r.get("execution_time") or 0.0), 3),
            "status": r.get("status"),
        }
        for r in models
    ]


def node_counts(results: list[dict[str, Any]]) -> dict[str, int]:
    """Number of nodes per `<resource type>:<status>` (e.g. `model:success`)."""
    counts = Counter(
        f"{str(r.get('unique_id', '')).split('.')[0]}:{r.get('status')}" for r in results
    )
    return dict(sorted(counts.items()))


# --------------------------------------------------------------------------
# Machine, report and results
# --------------------------------------------------------------------------


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def cgroup_limits() -> dict[str, str]:
    """Container CPU and memory limits (cgroup v2), when the files exist."""
    limits = {}
    for name, file in (("cpu_max", "cpu.max"), ("memory_max", "memory.max")):
        path = Path("/sys/fs/cgroup") / file
        if path.exists():
            limits[name] = path.read_text().strip()
    return limits


def machine_info() -> dict[str, Any]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu_model": cpu_model(),
        "logical_cores": psutil.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "usable_cores": usable,
        "memory_total_gb": round(psutil.virtual_memory().total / GB, 1),
        **cgroup_limits(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": metadata.version("dbt-core"),
        "dbt_duckdb": metadata.version("dbt-duckdb"),
    }


def overhead(build: BuildResult, build_s: BuildResult, floor: Floor) -> dict[str, Any]:
    """Fixed overhead (the S build) and (build - build_S) / floor."""
    ratio = None
    if build.scale != "S" and build.ok and build_s.ok and floor.seconds > 0:
        ratio = round((build.wall_seconds - build_s.wall_seconds) / floor.seconds, 2)
    return {"build_s_seconds": build_s.wall_seconds, "ratio": ratio}


def limits(scale: str) -> dict[str, float]:
    """The limits docs/performance.md sets for the scale (none for S)."""
    return dict(LIMITS.get(scale, {}))


def build_summary(build: BuildResult) -> dict[str, Any]:
    summary = asdict(build)
    summary["peak_rss_gb"] = round(build.peak_rss_gb, 3)
    summary["range_seconds"] = list(build.range_seconds)
    return summary


def report(
    scale: generate.Scale,
    file_format: str,
    raw_dir: Path,
    generation_seconds: float | None,
    floor: Floor,
    build: BuildResult,
    build_s: BuildResult,
    settings: Settings,
    load_before: Sequence[float],
    quality_gates: dict[str, Any] | None = None,
) -> dict[str, Any]:
    fixed = overhead(build, build_s, floor)
    if quality_gates is not None and build.wall_seconds > 0:
        quality_gates = {
            **quality_gates,
            "share_of_build": round(quality_gates["total_seconds"] / build.wall_seconds, 3),
        }
    return {
        "scale": scale.name,
        "format": file_format,
        "timestamp_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ok": build.ok and build_s.ok,
        "data": {
            "raw_dir": display_path(raw_dir),
            "rows": {t: v["rows"] for t, v in floor.tables.items()},
            "bytes": {t: v["bytes"] for t, v in floor.tables.items()},
            "files": {t: v["file"] for t, v in floor.tables.items()},
            "generation_seconds": (
                round(generation_seconds, 2) if generation_seconds is not None else None
            ),
        },
        "build": build_summary(build),
        "build_s": build_summary(build_s) if build_s is not build else None,
        "floor": asdict(floor),
        "fixed_overhead": fixed,
        "quality_gates": quality_gates,
        "limits": limits(scale.name),
        "settings": asdict(settings),
        "machine": {
            **machine_info(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in psutil.getloadavg()],
        },
    }


def write_results(result: dict[str, Any], results_dir: Path) -> Path:
    """`<scale>-<format>-<UTC time>.json`, and `<scale>-<format>-latest.json` when ok."""
    results_dir.mkdir(parents=True, exist_ok=True)
    label = data_label(result["scale"], result["format"])
    label += "-long-open" if result.get("long_open") else ""
    stamp = result["timestamp_utc"].replace("-", "").replace(":", "")
    path = results_dir / f"{label}-{stamp}.json"
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    if result["ok"]:
        (results_dir / f"{label}-latest.json").write_text(text, encoding="utf-8")
    return path


def _limit(result: dict[str, Any], name: str) -> str:
    limit = result["limits"].get(name)
    return "" if limit is None else f"limit {limit:g}"


def format_report(result: dict[str, Any]) -> str:
    build, floor, fixed = result["build"], result["floor"], result["fixed_overhead"]
    machine, settings = result["machine"], result["settings"]
    rows = sum(result["data"]["rows"].values())
    ratio = "n/a" if fixed["ratio"] is None else f"{fixed['ratio']:.2f}"
    low, high = build["range_seconds"]
    wall_label = f"dbt build, wall time, median of {builds(len(build['runs_seconds']))} (s)"
    label = f"{result['scale']} ({result['format']})"
    lines = [
        f"benchmark scale {label}: {result['data']['raw_dir']}, {rows:,} raw rows",
        f"machine: {machine['cpu_model']}, {machine['usable_cores']} usable cores, "
        f"{machine['memory_total_gb']} GB; DuckDB threads {settings['duckdb_threads']}, "
        f"memory_limit {settings['duckdb_memory_limit']}, preserve_insertion_order "
        f"{settings.get('duckdb_preserve_insertion_order', 'true')}; "
        f"dbt threads {settings['dbt_threads']}",
        f"load average before / after (1 min): {machine['load_average_before'][0]} / "
        f"{machine['load_average_after'][0]}",
        "",
        f"  {'measure':<46}{'value':>12}",
        f"  {wall_label:<46}{build['wall_seconds']:>12.2f}   " + _limit(result, "build_seconds"),
        f"  {'dbt build, range (s)':<46}{f'{low:.2f}-{high:.2f}':>12}",
        f"  {'dbt build, peak RSS of process tree (GB)':<46}{build['peak_rss_gb']:>12.2f}   "
        + _limit(result, "peak_rss_gb"),
        f"  {'dbt parse, cold, before the builds (s)':<46}{build['parse_seconds']:>12.2f}",
        f"  {'floor: DuckDB read + cast of raw files (s)':<46}{floor['seconds']:>12.2f}",
        f"  {'dbt build on S, fixed overhead, median (s)':<46}{fixed['build_s_seconds']:>12.2f}",
        f"  {'(build - build_S) / floor, on the medians':<46}{ratio:>12}   "
        + _limit(result, "ratio"),
    ]
    if result.get("baseline"):
        lines.append(bench_baseline.summary_line(result))
    gates = result.get("quality_gates")
    if gates:
        lines += [
            f"  {'GX checks: raw gates, KPI checks, docs (s)':<46}{gates['total_seconds']:>12.2f}",
            f"  {'  as a share of the dbt build':<46}{gates['share_of_build']:>12.1%}   "
            f"limit {QUALITY_GATES_SHARE_LIMIT:.0%}",
        ]
    nightly = result.get("nightly_job")
    if nightly:
        lines += [
            f"  {'nightly job: gates + build + publish + report':<46}"
            f"{nightly['total_seconds']:>12.2f}",
            f"  {'  as a share of the dbt build':<46}{nightly['share_of_build']:>12.1%}",
            "    "
            + ", ".join(
                f"{name.removesuffix('_seconds').replace('_', ' ')} {seconds:.1f} s"
                for name, seconds in nightly.items()
                if name.endswith("_seconds") and name != "total_seconds"
            ),
        ]
    lines += ["", f"  {'models of the median build':<46}{'seconds':>12}"]
    lines += [f"  {m['model']:<46}{m['seconds']:>12.2f}" for m in build["model_seconds"]]
    return "\n".join(line.rstrip() for line in lines)


def report_failures(*builds: BuildResult) -> None:
    for build in builds:
        if build.ok:
            continue
        print(
            f"\ndbt build FAILED on scale {build.scale} (exit code {build.returncode}); "
            f"last lines of the dbt output:",
            file=sys.stderr,
        )
        for line in build.log_tail:
            print(f"  | {line}", file=sys.stderr)


def latest_results(results_dir: Path) -> list[dict[str, Any]]:
    """The latest successful result of every scale and format, S to XL, CSV first."""
    found = [
        json.loads(path.read_text(encoding="utf-8")) for path in results_dir.glob("*-latest.json")
    ]
    order = list(generate.SCALES)

    def position(result: dict[str, Any]) -> tuple[int, str]:
        scale = result["scale"]
        return (order.index(scale) if scale in order else len(order), result.get("format", ""))

    return sorted(found, key=position)


def builds(count: int) -> str:
    return f"{count} build" + ("" if count == 1 else "s")


def markdown_summary(results_dir: Path) -> str:
    """The latest results side by side, one column per scale and format."""
    results = latest_results(results_dir)
    if not results:
        return f"no results in {display_path(results_dir)}: run `make bench` first."
    measures = [
        ("raw rows", lambda r: f"{sum(r['data']['rows'].values()):,}"),
        (
            "raw files",
            lambda r: f"{r['format']}, {sum(r['data']['bytes'].values()) / 2**20:,.0f} MB",
        ),
        (
            "dbt build, wall (s), median",
            lambda r: f"{r['build']['wall_seconds']:.1f}",
        ),
        (
            "dbt build, range (s)",
            lambda r: "{:.1f}-{:.1f} ({})".format(
                *r["build"]["range_seconds"], builds(len(r["build"]["runs_seconds"]))
            ),
        ),
        ("dbt build, peak RSS (GB)", lambda r: f"{r['build']['peak_rss_gb']:.2f}"),
        ("dbt parse, cold, not in build (s)", lambda r: f"{r['build']['parse_seconds']:.1f}"),
        ("floor: DuckDB read + cast (s)", lambda r: f"{r['floor']['seconds']:.2f}"),
        ("S build in the same run (s)", lambda r: f"{r['fixed_overhead']['build_s_seconds']:.1f}"),
        (
            "(build - build_S) / floor",
            lambda r: (
                "n/a" if r["fixed_overhead"]["ratio"] is None else r["fixed_overhead"]["ratio"]
            ),
        ),
        (
            "nightly job (gates, build, publish, report) / build",
            lambda r: (
                f"{r['nightly_job']['share_of_build']:.0%}" if r.get("nightly_job") else "n/a"
            ),
        ),
        ("load average before (1 min)", lambda r: r["machine"]["load_average_before"][0]),
        ("measured (UTC)", lambda r: r["timestamp_utc"]),
    ]
    header = " | ".join(f"{r['scale']} {r['format']}" for r in results)
    lines = [f"| measure | {header} |", "|---|" + "---:|" * len(results)]
    for label, pick in measures:
        lines.append(f"| {label} | {' | '.join(str(pick(r)) for r in results)} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cs_analytics.bench",
        description="Time a full dbt build on generated data of one scale.",
    )
    parser.add_argument("--scale", choices=list(generate.SCALES), default="M")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--format",
        dest="file_format",
        choices=generate.FORMATS,
        help="raw file format (default: the scale's, CSV for S, Parquet for M, L and XL)",
    )
    parser.add_argument(
        "--raw-dir", type=Path, help="benchmark this raw folder instead of the scale's data"
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=ROOT / "bench" / "data",
        help="generated data, warehouses and dbt targets (ignored by git)",
    )
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=ROOT / "bench" / "results",
        help="result files (ignored by git)",
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the table of the latest results of every scale and format, and exit",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        help="builds per scale, the median is reported (default: "
        + ", ".join(f"{name} {n}" for name, n in DEFAULT_REPEAT.items())
        + ")",
    )
    parser.add_argument(
        "--long-open",
        action="store_true",
        help="generated tickets stay open for months (the business-time cost rule)",
    )
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="also build the project as of this git commit, in the same run "
        "(cs_analytics/bench_baseline.py)",
    )
    parser.add_argument(
        "--target",
        choices=("dev", "spark"),
        default="dev",
        help="spark: build on local Spark and on DuckDB, and compare (cs_analytics/bench_spark.py)",
    )
    return parser.parse_args(argv)


def raw_format(raw_dir: Path) -> str | None:
    """The format of the raw files in a folder (that of the first table found)."""
    for table in table_names():
        path = raw_file(raw_dir, table)
        if path is not None:
            return path.suffix[1:]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.markdown:
        print(markdown_summary(args.results_dir))
        return 0
    if args.target == "spark":
        from cs_analytics import bench_spark

        return bench_spark.main(args)
    scale = generate.SCALES[args.scale]
    repeat = args.repeat if args.repeat is not None else DEFAULT_REPEAT.get(scale.name, 3)
    if repeat < 1:
        raise SystemExit("--repeat must be 1 or more.")
    settings = Settings.from_env()
    load_before = psutil.getloadavg()
    work_dir = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    if args.raw_dir is not None:
        raw_dir, generation_seconds = args.raw_dir, None
        file_format = args.file_format or raw_format(raw_dir) or scale.file_format
    else:
        file_format = args.file_format or scale.file_format
        raw_dir, generation_seconds = ensure_data(
            scale, work_dir, args.seed, file_format, args.long_open
        )
    label = data_label(scale.name, file_format)
    runs = work_dir / "runs"
    profiles = profiles_dir(work_dir)
    floor = measure_floor(raw_dir, runs / f"floor-{label}.duckdb", settings)
    build_s = None
    if scale.name != "S":
        build_s = run_build("S", DEMO_DIR, runs / "S", profiles, repeat)
    baseline = None
    if args.baseline:
        commit, project = bench_baseline.export_project(args.baseline, work_dir)
        baseline = run_build(f"{scale.name} at {args.baseline}", raw_dir,
                             runs / f"{scale.name}-baseline", profiles, repeat, project)
    build = run_build(scale.name, raw_dir, runs / scale.name, profiles, repeat)
    build_s = build_s or build
    quality_gates = (
        measure_quality_gates(raw_dir, runs / scale.name / "warehouse.duckdb") if build.ok else None
    )
    result = report(
        scale,
        file_format,
        raw_dir,
        generation_seconds,
        floor,
        build,
        build_s,
        settings,
        load_before,
        quality_gates,
    )
    result["long_open"] = args.long_open
    if baseline is not None:
        result["baseline"] = {
            "ref": args.baseline,
            "commit": commit,
            "build": build_summary(baseline),
            "cost": bench_baseline.cost(build_summary(build), build_summary(baseline)),
        }
        result["ok"] = result["ok"] and baseline.ok
    if build.ok:
        warehouse = runs / scale.name / "warehouse.duckdb"
        result["report"] = measure_report(warehouse)
        result["publish"] = measure_publish(warehouse)
        result["nightly_job"] = nightly_job(
            build, quality_gates, result["publish"], result["report"]
        )
    path = write_results(result, args.results_dir)
    print(format_report(result))
    print(f"\nresults: {display_path(path)}")
    report_failures(*{id(b): b for b in (build_s, build)}.values())
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())

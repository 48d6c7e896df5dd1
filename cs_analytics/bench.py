"""Benchmark of the full `dbt build` at one scale of generated data.

`python -m cs_analytics.bench --scale M` (or `make bench SCALE=M`):

1. generates the raw files of the scale into `bench/data/<scale>/` when they
   are missing (the S scale is the bundled demo set, `data/demo/`);
2. measures the floor: the time DuckDB alone takes, in this process, to read
   every raw file and cast it to typed columns;
3. runs `dbt build` on the S set (the fixed overhead), then on the scale,
   each into a fresh warehouse and target folder under `bench/data/runs/`,
   polling the resident memory of the dbt process tree;
4. prints a table and writes `bench/results/<scale>-<UTC time>.json`, plus
   `bench/results/<scale>-latest.json` when every build succeeded.

DuckDB's threads and memory limit come from CS_DUCKDB_THREADS and
CS_DUCKDB_MEMORY_LIMIT (defaults 2 and 3.5GB), as in the dbt profile. Targets
are reported, never asserted.
"""

from __future__ import annotations

import argparse
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

from cs_analytics import generate

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "data" / "demo"
POLL_SECONDS = 0.05
LOG_TAIL_LINES = 40
GB = 1024**3
TARGETS: dict[str, dict[str, float]] = {
    "M": {"build_seconds": 15, "ratio": 6},
    "L": {"build_seconds": 60, "peak_rss_gb": 4, "ratio": 6},
}
# Typed columns of the floor measurement; every other column is trimmed text.
TYPED_COLUMNS: dict[str, dict[str, str]] = {
    "customers": {"signed_up_at": "timestamp", "updated_at": "timestamp"},
    "orders": {
        "ordered_at": "timestamp",
        "amount": "decimal(18, 2)",
        "updated_at": "timestamp",
    },
    "tickets": {
        "created_at": "timestamp",
        "first_response_at": "timestamp",
        "resolved_at": "timestamp",
        "contact_count": "bigint",
        "reopen_count": "bigint",
        "wait_seconds": "bigint",
        "updated_at": "timestamp",
    },
    "survey_responses": {"score": "bigint", "submitted_at": "timestamp"},
    "agents": {},
}


@dataclass(frozen=True)
class Settings:
    """DuckDB and dbt settings the profile reads from the environment."""

    duckdb_threads: str
    duckdb_memory_limit: str
    dbt_threads: str

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            os.environ.get("CS_DUCKDB_THREADS", "2"),
            os.environ.get("CS_DUCKDB_MEMORY_LIMIT", "3.5GB"),
            os.environ.get("CS_DBT_THREADS", "2"),
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
    slowest_models: list[dict[str, Any]] = field(default_factory=list)
    node_counts: dict[str, int] = field(default_factory=dict)
    log_tail: list[str] = field(default_factory=list)

    @property
    def peak_rss_gb(self) -> float:
        return self.peak_rss_bytes / GB


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
    for extension in ("csv", "parquet"):
        path = raw_dir / f"{table}.{extension}"
        if path.exists():
            return path
    return None


def ensure_data(
    scale: generate.Scale, work_dir: Path, seed: int, file_format: str | None
) -> tuple[Path, float | None]:
    """The raw folder of the scale, generated when missing; and generation seconds."""
    if scale.name == "S":
        return DEMO_DIR, None
    raw_dir = work_dir / scale.name
    wanted = {
        "scale": scale.name,
        "seed": seed,
        "format": file_format or scale.file_format,
        "bad_rows": True,
        "start": scale.start.isoformat(),
    }
    stamp = work_dir / f"{scale.name}.generated.json"
    present = all(raw_file(raw_dir, table) for table in generate.TABLES)
    if present and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return raw_dir, None
    print(f"generating scale {scale.name} into {display_path(raw_dir)}", file=sys.stderr)
    started = time.perf_counter()
    generate.generate(
        raw_dir, scale, seed=seed, file_format=wanted["format"], bad_rows=True, progress=True
    )
    stamp.write_text(json.dumps(wanted, indent=2) + "\n")
    return raw_dir, time.perf_counter() - started


# --------------------------------------------------------------------------
# Floor: DuckDB alone reading and typing the raw files
# --------------------------------------------------------------------------


def reader_sql(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix == ".parquet":
        return f"read_parquet('{quoted}')"
    return (
        f"read_csv('{quoted}', header = true, all_varchar = true, delim = ',', "
        "quote = '\"', escape = '\"')"
    )


def typed_select(con: duckdb.DuckDBPyConnection, table: str, reader: str) -> str:
    """`select` casting every column; trim() also keeps DuckDB from pushing the
    try_cast into the CSV reader as a strict cast (duckdb issue #23818)."""
    columns = [row[0] for row in con.execute(f"describe select * from {reader}").fetchall()]
    typed = TYPED_COLUMNS[table]
    expressions = []
    for column in columns:
        name = column.strip().lower()
        value = f'trim(cast("{column}" as varchar))'
        if name in typed:
            value = f"try_cast({value} as {typed[name]})"
        expressions.append(f'{value} as "{name}"')
    return f"select {', '.join(expressions)} from {reader}"


def measure_floor(raw_dir: Path, database: Path, settings: Settings) -> Floor:
    database.parent.mkdir(parents=True, exist_ok=True)
    remove_database(database)
    tables: dict[str, dict[str, float | int | str]] = {}
    with duckdb.connect(str(database)) as con:
        con.execute(f"set threads = {int(settings.duckdb_threads)}")
        con.execute(f"set memory_limit = '{settings.duckdb_memory_limit}'")
        for table in generate.TABLES:
            path = raw_file(raw_dir, table)
            if path is None:
                continue
            started = time.perf_counter()
            sql = typed_select(con, table, reader_sql(path))
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


def install_packages(env: dict[str, str], run_dir: Path) -> None:
    """`dbt deps` when the project declares packages that are not installed yet."""
    declared = any((ROOT / name).exists() for name in ("packages.yml", "dependencies.yml"))
    if declared and not (ROOT / "dbt_packages").exists():
        subprocess.run(
            [dbt_executable(), "deps", "--log-path", str(run_dir / "logs")],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
        )


def dbt_command(subcommand: str, run_dir: Path) -> list[str]:
    return [
        dbt_executable(),
        subcommand,
        "--project-dir",
        str(ROOT),
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


def run_build(
    scale_name: str, raw_dir: Path, run_dir: Path, profiles: Path, repeat: int = 1
) -> BuildResult:
    """`dbt build` of raw_dir into a fresh warehouse, after an untimed `dbt parse`.

    The parse fills dbt's partial-parsing cache, so the timed build is the
    steady state of a scheduled run; the parse time is reported apart.
    """
    warehouse = fresh_run_dir(run_dir)
    env = dbt_env(raw_dir, warehouse, profiles)
    install_packages(env, run_dir)
    print(f"dbt build on scale {scale_name} ({display_path(raw_dir)})", file=sys.stderr)
    output = run_dir / "dbt-output.log"
    parse_code, parse_seconds, _ = run_watched(dbt_command("parse", run_dir), env, output)
    walls, peaks, returncode = [], [], parse_code
    for _ in range(repeat if parse_code == 0 else 0):
        remove_database(warehouse)
        returncode, wall, peak = run_watched(dbt_command("build", run_dir), env, output)
        walls.append(round(wall, 3))
        peaks.append(peak)
        if returncode != 0:
            break
    lines = output.read_text(errors="replace").splitlines()
    results = read_run_results(run_dir / "target" / "run_results.json")
    return BuildResult(
        scale=scale_name,
        raw_dir=display_path(raw_dir),
        ok=returncode == 0,
        returncode=returncode,
        wall_seconds=round(statistics.median(walls or [0.0]), 3),
        peak_rss_bytes=max(peaks or [0]),
        parse_seconds=round(parse_seconds, 3),
        runs_seconds=walls,
        slowest_models=slowest_models(results),
        node_counts=node_counts(results),
        log_tail=[] if returncode == 0 else lines[-LOG_TAIL_LINES:],
    )


def measure_quality_gates(raw_dir: Path, warehouse: Path) -> dict[str, Any]:
    """Seconds the nightly job's Great Expectations gates take on this data:
    the raw gates (before dbt), the mart gates (after it) and the Data Docs,
    run as orchestration/checks.py runs them, without Dagster around them."""
    from orchestration import checks, quality
    from orchestration.resources import QualityGateConfig

    gates = QualityGateConfig()
    with tempfile.TemporaryDirectory() as docs:
        runner = quality.GreatExpectationsRunner(Path(docs), "benchmark", 1)
        start = time.perf_counter()
        with quality.connect() as con:
            for table in sorted(checks.RAW_KEYS):
                checks.validate_raw_table(con, runner, raw_dir, table, gates)
        raw_seconds = time.perf_counter() - start
        start = time.perf_counter()
        with quality.connect_read_only(warehouse) as work:
            for mart in sorted(checks.MART_KEYS):
                checks.validate_mart(work, runner, mart)
            checks.validate_reconciliation(work, runner)
        mart_seconds = time.perf_counter() - start
        start = time.perf_counter()
        runner.build_data_docs()
        docs_seconds = time.perf_counter() - start
    return {
        "raw_seconds": round(raw_seconds, 2),
        "mart_seconds": round(mart_seconds, 2),
        "data_docs_seconds": round(docs_seconds, 2),
        "total_seconds": round(raw_seconds + mart_seconds + docs_seconds, 2),
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


def read_run_results(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return list(json.loads(path.read_text()).get("results", []))


def slowest_models(results: list[dict[str, Any]], count: int = 5) -> list[dict[str, Any]]:
    models = [r for r in results if str(r.get("unique_id", "")).startswith("model.")]
    models.sort(key=lambda r: float(r.get("execution_time") or 0.0), reverse=True)
    return [
        {
            "model": r["unique_id"].split(".")[-1],
            "seconds": round(float(r.get("execution_time") or 0.0), 3),
            "status": r.get("status"),
        }
        for r in models[:count]
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


def targets_met(scale: str, build: BuildResult, ratio: float | None) -> dict[str, Any]:
    targets = TARGETS.get(scale, {})
    measured = {
        "build_seconds": build.wall_seconds,
        "peak_rss_gb": build.peak_rss_gb,
        "ratio": ratio,
    }
    met = {
        name: (measured[name] is not None and build.ok and measured[name] <= limit)
        for name, limit in targets.items()
    }
    return {"limits": targets, "met": met}


def build_summary(build: BuildResult) -> dict[str, Any]:
    summary = asdict(build)
    summary["peak_rss_gb"] = round(build.peak_rss_gb, 3)
    return summary


def report(
    scale: generate.Scale,
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
        "targets": targets_met(scale.name, build, fixed["ratio"]),
        "settings": asdict(settings),
        "machine": {
            **machine_info(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in psutil.getloadavg()],
        },
    }


def write_results(result: dict[str, Any], results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = result["timestamp_utc"].replace("-", "").replace(":", "")
    path = results_dir / f"{result['scale']}-{stamp}.json"
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    if result["ok"]:
        (results_dir / f"{result['scale']}-latest.json").write_text(text, encoding="utf-8")
    return path


def _verdict(name: str, result: dict[str, Any]) -> str:
    limits, met = result["targets"]["limits"], result["targets"]["met"]
    if name not in limits:
        return ""
    return f"<= {limits[name]:g}  {'met' if met[name] else 'MISSED'}"


def format_report(result: dict[str, Any]) -> str:
    build, floor, fixed = result["build"], result["floor"], result["fixed_overhead"]
    machine, settings = result["machine"], result["settings"]
    rows = sum(result["data"]["rows"].values())
    ratio = "n/a" if fixed["ratio"] is None else f"{fixed['ratio']:.2f}"
    lines = [
        f"benchmark scale {result['scale']}: {result['data']['raw_dir']}, {rows:,} raw rows",
        f"machine: {machine['cpu_model']}, {machine['usable_cores']} usable cores, "
        f"{machine['memory_total_gb']} GB; DuckDB threads {settings['duckdb_threads']}, "
        f"memory_limit {settings['duckdb_memory_limit']}; dbt threads {settings['dbt_threads']}",
        f"load average before / after (1 min): {machine['load_average_before'][0]} / "
        f"{machine['load_average_after'][0]}",
        "",
        f"  {'measure':<44}{'value':>12}   target",
        f"  {'dbt build, wall time (s)':<44}{build['wall_seconds']:>12.2f}   "
        + _verdict("build_seconds", result),
        f"  {'dbt build, peak RSS of process tree (GB)':<44}{build['peak_rss_gb']:>12.2f}   "
        + _verdict("peak_rss_gb", result),
        f"  {'dbt parse, cold, before the build (s)':<44}{build['parse_seconds']:>12.2f}",
        f"  {'floor: DuckDB read + cast of raw files (s)':<44}{floor['seconds']:>12.2f}",
        f"  {'dbt build on S, fixed overhead (s)':<44}{fixed['build_s_seconds']:>12.2f}",
        f"  {'(build - build_S) / floor':<44}{ratio:>12}   " + _verdict("ratio", result),
    ]
    gates = result.get("quality_gates")
    if gates:
        lines += [
            f"  {'GX quality gates, raw + marts + docs (s)':<44}{gates['total_seconds']:>12.2f}",
            f"  {'  as a share of the dbt build':<44}{gates['share_of_build']:>12.1%}   "
            + ("<= 20%  " + ("met" if gates["share_of_build"] <= 0.2 else "MISSED")),
        ]
    lines += [
        "",
        f"  {'slowest models':<44}{'seconds':>12}",
    ]
    lines += [f"  {m['model']:<44}{m['seconds']:>12.2f}" for m in build["slowest_models"]]
    return "\n".join(lines)


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


def _cell(result: dict[str, Any] | None, pick: Any) -> str:
    if result is None:
        return "-"
    value = pick(result)
    return "n/a" if value is None else str(value)


def markdown_summary(results_dir: Path) -> str:
    """S, M and L side by side, from the `<scale>-latest.json` results."""
    latest = {
        name: json.loads(path.read_text(encoding="utf-8"))
        if (path := results_dir / f"{name}-latest.json").exists()
        else None
        for name in ("S", "M", "L")
    }
    measures = [
        ("raw rows", lambda r: f"{sum(r['data']['rows'].values()):,}"),
        (
            "raw files",
            lambda r: (
                f"{Path(r['data']['files']['orders']).suffix[1:]}, "
                f"{sum(r['data']['bytes'].values()) / 2**20:,.0f} MB"
            ),
        ),
        ("dbt build, wall (s)", lambda r: f"{r['build']['wall_seconds']:.1f}"),
        ("dbt build, peak RSS (GB)", lambda r: f"{r['build']['peak_rss_gb']:.2f}"),
        ("dbt parse, cold, not in build (s)", lambda r: f"{r['build']['parse_seconds']:.1f}"),
        ("floor: DuckDB read + cast (s)", lambda r: f"{r['floor']['seconds']:.2f}"),
        ("S build in the same run (s)", lambda r: f"{r['fixed_overhead']['build_s_seconds']:.1f}"),
        ("(build - build_S) / floor", lambda r: r["fixed_overhead"]["ratio"]),
        (
            "targets met",
            lambda r: (
                ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in r["targets"]["met"].items())
                or "-"
            ),
        ),
        ("load average before (1 min)", lambda r: r["machine"]["load_average_before"][0]),
    ]
    lines = ["| measure | S | M | L |", "|---|---:|---:|---:|"]
    for label, pick in measures:
        cells = " | ".join(_cell(latest[name], pick) for name in ("S", "M", "L"))
        lines.append(f"| {label} | {cells} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cs_analytics.bench",
        description="Time a full dbt build on generated data of one scale.",
    )
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="M")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--format",
        dest="file_format",
        choices=("csv", "parquet"),
        help="raw file format (default: the scale's, Parquet for M and L)",
    )
    parser.add_argument(
        "--raw-dir", type=Path, help="benchmark this raw folder instead of the scale's data"
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=ROOT / "bench" / "data",
        help="generated data, warehouses and dbt targets",
    )
    parser.add_argument("--results-dir", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the S/M/L table of the latest results and exit",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="builds per scale; the median wall time is reported"
    )
    parser.add_argument(
        "--target",
        choices=("dev", "spark"),
        default="dev",
        help="spark: build on local Spark and on DuckDB, and compare (cs_analytics/bench_spark.py)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.markdown:
        print(markdown_summary(args.results_dir))
        return 0
    if args.repeat < 1:
        raise SystemExit("--repeat must be 1 or more.")
    if args.target == "spark":
        from cs_analytics import bench_spark

        return bench_spark.main(args)
    scale = generate.SCALES[args.scale]
    settings = Settings.from_env()
    load_before = psutil.getloadavg()
    work_dir = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    if args.raw_dir is not None:
        raw_dir, generation_seconds = args.raw_dir, None
    else:
        raw_dir, generation_seconds = ensure_data(scale, work_dir, args.seed, args.file_format)
    runs = work_dir / "runs"
    profiles = profiles_dir(work_dir)
    floor = measure_floor(raw_dir, runs / f"floor-{scale.name}.duckdb", settings)
    build_s = None
    if scale.name != "S":
        build_s = run_build("S", DEMO_DIR, runs / "S", profiles, args.repeat)
    build = run_build(scale.name, raw_dir, runs / scale.name, profiles, args.repeat)
    build_s = build_s or build
    quality_gates = (
        measure_quality_gates(raw_dir, runs / scale.name / "warehouse.duckdb")
        if build.ok
        else None
    )
    result = report(
        scale, raw_dir, generation_seconds, floor, build, build_s, settings, load_before,
        quality_gates,
    )
    if build.ok:
        result["report"] = measure_report(runs / scale.name / "warehouse.duckdb")
    path = write_results(result, args.results_dir)
    print(format_report(result))
    print(f"\nresults: {display_path(path)}")
    report_failures(*{id(b): b for b in (build_s, build)}.values())
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())

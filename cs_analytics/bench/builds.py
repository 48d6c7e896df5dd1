"""`dbt build` as the benchmark times it: in a fresh warehouse and target folder,
after an untimed `dbt parse`, polling the resident memory of dbt's process
tree; and what a build's run_results.json says (the time of every model)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from cs_analytics.bench.data import display_path
from cs_analytics.bench.floor import remove_database
from cs_analytics.bench.machine import GB
from cs_analytics.settings import PROJECT_ROOT, dbt_executable

POLL_SECONDS = 0.05
LOG_TAIL_LINES = 40


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


def profiles_dir(work_dir: Path) -> Path:
    """DBT_PROFILES_DIR, else the project root's profiles.yml, else a copy of the example."""
    if os.environ.get("DBT_PROFILES_DIR"):
        return Path(os.environ["DBT_PROFILES_DIR"])
    if (PROJECT_ROOT / "profiles.yml").exists():
        return PROJECT_ROOT
    folder = work_dir / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_ROOT / "profiles.example.yml", folder / "profiles.yml")
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
            list(command), cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
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


def dbt_command(subcommand: str, run_dir: Path, project_dir: Path = PROJECT_ROOT) -> list[str]:
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


class BuildSeries:
    """Repeated `dbt build`s of one project on one raw folder, each into a
    fresh warehouse, after one untimed `dbt parse`.

    The parse fills dbt's partial-parsing cache, so every timed build is
    the steady state of a scheduled run; the parse time is reported apart.
    Two series can take turns (`interleaved`), so that a machine whose speed
    drifts during the run slows both alike.
    """

    def __init__(
        self, scale_name: str, raw_dir: Path, run_dir: Path, profiles: Path, repeat: int,
        project_dir: Path = PROJECT_ROOT,
    ) -> None:
        self.scale_name, self.raw_dir, self.run_dir = scale_name, raw_dir, run_dir
        self.repeat, self.project_dir = repeat, project_dir
        self.warehouse = fresh_run_dir(run_dir)
        self.env = dbt_env(raw_dir, self.warehouse, profiles)
        self.output = run_dir / "dbt-output.log"
        self.walls: list[float] = []
        self.peaks: list[int] = []
        self.runs: list[list[dict[str, Any]]] = []
        print(f"dbt build on scale {scale_name} ({display_path(raw_dir)})", file=sys.stderr)
        self.returncode, self.parse_seconds, _ = run_watched(
            dbt_command("parse", run_dir, project_dir), self.env, self.output
        )

    @property
    def done(self) -> bool:
        return self.returncode != 0 or len(self.walls) >= self.repeat

    def build_once(self) -> None:
        if self.done:
            return
        remove_database(self.warehouse)
        print(f"  {self.scale_name}: build {len(self.walls) + 1} of {self.repeat}",
              file=sys.stderr)
        self.returncode, wall, peak = run_watched(
            dbt_command("build", self.run_dir, self.project_dir), self.env, self.output
        )
        self.walls.append(round(wall, 3))
        self.peaks.append(peak)
        self.runs.append(read_run_results(self.run_dir / "target" / "run_results.json"))

    def result(self) -> BuildResult:
        lines = self.output.read_text(errors="replace").splitlines()
        results = self.runs[median_index(self.walls)] if self.walls else []
        return BuildResult(
            scale=self.scale_name,
            raw_dir=display_path(self.raw_dir),
            ok=self.returncode == 0,
            returncode=self.returncode,
            wall_seconds=round(statistics.median(self.walls or [0.0]), 3),
            peak_rss_bytes=max(self.peaks or [0]),
            parse_seconds=round(self.parse_seconds, 3),
            runs_seconds=self.walls,
            model_seconds=model_seconds(results),
            node_counts=node_counts(results),
            log_tail=[] if self.returncode == 0 else lines[-LOG_TAIL_LINES:],
        )


def interleaved(*series: BuildSeries) -> list[BuildResult]:
    """The series' builds in turns (first of each, then second of each, ...)."""
    while not all(one.done for one in series):
        for one in series:
            one.build_once()
    return [one.result() for one in series]


def run_build(
    scale_name: str, raw_dir: Path, run_dir: Path, profiles: Path, repeat: int = 1,
    project_dir: Path = PROJECT_ROOT,
) -> BuildResult:
    """`repeat` builds of raw_dir, each into a fresh warehouse (BuildSeries)."""
    return interleaved(
        BuildSeries(scale_name, raw_dir, run_dir, profiles, repeat, project_dir)
    )[0]


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

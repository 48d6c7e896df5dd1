"""The rest of the nightly job at the benchmark's scale: the Great Expectations
gates and the publish step (timed by `python -m orchestration.timings`, run as
a command so that the benchmark never imports the orchestration), and the
report (timed here)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cs_analytics.bench.builds import BuildResult
from cs_analytics.settings import PROJECT_ROOT


def measure_orchestration_steps(raw_dir: Path, warehouse: Path) -> dict[str, Any] | None:
    """{quality_gates: {raw_seconds, checks_seconds, data_docs_seconds,
    total_seconds}, publish: {seconds, size_bytes}}, or None (and why, on
    stderr) when the command fails."""
    command = [
        sys.executable, "-m", "orchestration.timings",
        "--raw-dir", str(raw_dir), "--warehouse", str(warehouse),
    ]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"orchestration timings failed:\n{done.stderr[-3000:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


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


def nightly_job(
    build: BuildResult,
    quality_gates: dict[str, Any] | None,
    publish: dict[str, Any] | None,
    report_build: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """The time of the whole nightly job (orchestration/jobs.py, `nightly_build`) at
    this scale, and its share of the dbt build: the raw gates, the dbt build (the
    median build), the checks after dbt and the Data Docs, publishing and the report,
    each timed as the job runs it but one after the other. Not covered: Dagster's own
    overhead (launching the run, its event log, the asset checks' bookkeeping), which
    does not grow with the data. None when a piece is missing."""
    if quality_gates is None or publish is None or report_build is None or not build.ok:
        return None
    steps = {
        "raw_gates_seconds": quality_gates["raw_seconds"],
        "dbt_build_seconds": build.wall_seconds,
        "checks_and_docs_seconds": round(
            quality_gates["checks_seconds"] + quality_gates["data_docs_seconds"], 2
        ),
        "publish_seconds": publish["seconds"],
        "report_seconds": report_build["seconds"],
    }
    total = round(sum(steps.values()), 2)
    return {**steps, "total_seconds": total, "share_of_build": round(total / build.wall_seconds, 3)}

"""The time of the nightly job's own steps at one scale, for the benchmark:

    python -m orchestration.timings --raw-dir DIR --warehouse FILE

prints one JSON object: the seconds of the raw gates (before dbt), of the
latest-event and headline-KPI checks (after it) with the Data Docs, and of the
publish step, each run as the job runs it but without Dagster around it. The
built warehouse stands in for the previous published snapshot, so every gate
compares (the first run of a job would only note that it cannot). The
benchmark (cs_analytics.bench) runs this as a command: it never imports the
orchestration.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cs_analytics.warehouse.connection import connect_read_only
from orchestration.freshness import LATEST_EVENTS, freshness_result
from orchestration.gx_runner import GreatExpectationsRunner
from orchestration.kpi_drift import HEADLINE_KPIS, kpi_drift_result
from orchestration.last_good_run import Comparison, LastGoodRun
from orchestration.publish import publish_snapshot
from orchestration.raw_gates import raw_gate_results
from orchestration.thresholds import QualityGateConfig


def gate_seconds(raw_dir: Path, warehouse: Path) -> dict[str, float]:
    gates = QualityGateConfig()
    with tempfile.TemporaryDirectory() as docs, connect_read_only(warehouse) as built:
        runner = GreatExpectationsRunner(Path(docs), "benchmark", 1)
        previous = LastGoodRun(built)
        start = time.perf_counter()
        raw_gate_results(raw_dir, None, gates, runner, previous)
        raw_seconds = time.perf_counter() - start
        start = time.perf_counter()
        comparison = Comparison(built, previous, runner, gates)
        for mart in sorted(LATEST_EVENTS):
            freshness_result(mart, comparison)
        for mart in sorted(HEADLINE_KPIS):
            kpi_drift_result(mart, comparison)
        check_seconds = time.perf_counter() - start
        start = time.perf_counter()
        runner.build_data_docs()
        docs_seconds = time.perf_counter() - start
    return {
        "raw_seconds": round(raw_seconds, 2),
        "checks_seconds": round(check_seconds, 2),
        "data_docs_seconds": round(docs_seconds, 2),
        "total_seconds": round(raw_seconds + check_seconds + docs_seconds, 2),
    }


def publish_seconds(warehouse: Path) -> dict[str, Any]:
    """The publish step (marts and reconciliation copied into a new DuckDB file, one
    Parquet file per mart, both swapped in), into a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        result = publish_snapshot(
            work_db=warehouse,
            published_path=Path(folder) / "cs_analytics.duckdb",
            parquet_link=Path(folder) / "parquet",
            snapshot_info_path=Path(folder) / "snapshot.json",
            run_id="benchmark",
        )
        seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "size_bytes": result.size_bytes}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path, required=True)
    args = parser.parse_args(argv)
    result = {
        "quality_gates": gate_seconds(args.raw_dir, args.warehouse),
        "publish": publish_seconds(args.warehouse),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

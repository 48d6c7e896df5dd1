"""`make bench SCALE=M TARGET=spark`: the same dbt build on local Spark and on
DuckDB, on the same generated data, in the same run.

Reports the Spark build's wall time and peak memory (dbt's process tree, the
Spark JVM included), DuckDB's on the same data, their ratio, where Spark's time
goes (seconds per model, data test and unit test: its fixed cost per query) and
Spark's cost per raw row, the measured basis of docs/scale-out.md. Results go
to bench/results/spark-<scale>-<time>.json (and spark-<scale>-latest.json).

It reuses the DuckDB benchmark's data (data.py), builds and process watching
(builds.py) and machine record (machine.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
from pathlib import Path
from typing import Any

from cs_analytics import generate
from cs_analytics.bench.builds import (
    LOG_TAIL_LINES,
    dbt_command,
    dbt_env,
    fresh_run_dir,
    node_counts,
    profiles_dir,
    read_run_results,
    run_build,
    run_watched,
)
from cs_analytics.bench.data import display_path, ensure_data
from cs_analytics.bench.machine import GB, machine_info
from cs_analytics.raw.files import inspect_folder
from cs_analytics.raw.reader import count_rows


def raw_rows(raw_dir: Path) -> int:
    """Data rows of the raw folder, as staging reads them."""
    files = inspect_folder(raw_dir, check_bytes=False).values()
    return sum(count_rows(raw_file) for raw_file in files if raw_file.is_present)


def run_spark_build(
    scale_name: str, raw_dir: Path, run_dir: Path, profiles: Path
) -> dict[str, Any]:
    """A cold `dbt build` on the Spark target into a fresh warehouse folder (after
    an untimed `dbt parse`, as the DuckDB build)."""
    fresh_run_dir(run_dir)
    spark_dir = run_dir / "spark"
    shutil.rmtree(spark_dir, ignore_errors=True)
    env = dbt_env(raw_dir, run_dir / "unused.duckdb", profiles)
    env.update({"CS_TARGET": "spark", "CS_SPARK_WAREHOUSE_DIR": str(spark_dir)})
    output = run_dir / "dbt-output.log"
    shown = display_path(raw_dir)
    print(f"dbt build on Spark, scale {scale_name} ({shown})", file=sys.stderr)
    run_watched(dbt_command("parse", run_dir), env, output)
    returncode, wall, peak = run_watched(dbt_command("build", run_dir), env, output)
    results = read_run_results(run_dir / "target" / "run_results.json")
    lines = output.read_text(errors="replace").splitlines()
    return {
        "ok": returncode == 0,
        "wall_seconds": round(wall, 1),
        "peak_rss_gb": round(peak / GB, 2),
        "node_counts": node_counts(results),
        "seconds_per_node": seconds_per_node(results),
        "slowest_models": slowest_models(results),
        "log_tail": [] if returncode == 0 else lines[-LOG_TAIL_LINES :],
    }


def slowest_models(results: list[dict[str, Any]], count: int = 5) -> list[dict[str, Any]]:
    models = [result for result in results if result["unique_id"].startswith("model.")]
    models.sort(key=lambda result: -float(result.get("execution_time") or 0))
    return [
        {"model": result["unique_id"].split(".")[-1],
         "seconds": round(float(result.get("execution_time") or 0), 1)}
        for result in models[:count]
    ]


def seconds_per_node(results: list[dict[str, Any]]) -> dict[str, float]:
    """Median execution seconds of a model, a data test and a unit test."""
    by_kind: dict[str, list[float]] = {}
    for result in results:
        kind = result["unique_id"].split(".")[0]
        by_kind.setdefault(kind, []).append(float(result.get("execution_time") or 0))
    return {kind: round(statistics.median(times), 2) for kind, times in sorted(by_kind.items())}


def main(args: argparse.Namespace) -> int:
    scale = generate.SCALES[args.scale]
    work_dir = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    if args.raw_dir is not None:
        raw_dir = args.raw_dir
    else:
        file_format = args.file_format or scale.file_format
        raw_dir, _ = ensure_data(scale, work_dir, args.seed, file_format)
    runs = work_dir / "runs"
    profiles = profiles_dir(work_dir)
    duck = run_build(scale.name, raw_dir, runs / f"{scale.name}-duckdb", profiles)
    spark = run_spark_build(scale.name, raw_dir, runs / f"{scale.name}-spark", profiles)
    rows = raw_rows(raw_dir)
    result = {
        "target": "spark",
        "scale": scale.name,
        "raw_dir": display_path(raw_dir),
        "raw_rows": rows,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "spark": spark,
        "duckdb": {
            "ok": duck.ok,
            "wall_seconds": duck.wall_seconds,
            "peak_rss_gb": round(duck.peak_rss_gb, 2),
        },
        "spark_to_duckdb_ratio": (
            round(spark["wall_seconds"] / duck.wall_seconds, 1) if duck.wall_seconds else None
        ),
        "spark_microseconds_per_raw_row": (
            round(spark["wall_seconds"] / rows * 1e6, 1) if rows else None
        ),
        "ok": spark["ok"] and duck.ok,
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = args.results_dir / f"spark-{scale.name}-{stamp}.json"
    text = json.dumps(result, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    (args.results_dir / f"spark-{scale.name}-latest.json").write_text(text, encoding="utf-8")
    print(format_result(result))
    print(f"\nresults: {display_path(path)}")
    for line in spark["log_tail"]:
        print(line, file=sys.stderr)
    return 0 if result["ok"] else 1


def format_result(result: dict[str, Any]) -> str:
    spark, duck = result["spark"], result["duckdb"]
    per_node = ", ".join(
        f"{kind} {seconds} s" for kind, seconds in spark["seconds_per_node"].items()
    )
    return "\n".join(
        [
            f"Scale {result['scale']}: {result['raw_rows']:,} raw rows ({result['raw_dir']})",
            f"  Spark build   {spark['wall_seconds']:>8.1f} s   peak {spark['peak_rss_gb']:.2f} GB"
            f"   {'ok' if spark['ok'] else 'FAILED'}",
            f"  DuckDB build  {duck['wall_seconds']:>8.1f} s   peak {duck['peak_rss_gb']:.2f} GB"
            f"   {'ok' if duck['ok'] else 'FAILED'}",
            f"  Spark / DuckDB: {result['spark_to_duckdb_ratio']}x",
            f"  Spark per raw row: {result['spark_microseconds_per_raw_row']} us",
            f"  Spark median seconds per node: {per_node}",
        ]
    )

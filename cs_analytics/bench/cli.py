"""The command line of the benchmark (`python -m cs_analytics.bench`, `make bench`)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import psutil

from cs_analytics import generate
from cs_analytics.bench import baseline
from cs_analytics.bench.builds import BuildSeries, interleaved, profiles_dir, run_build
from cs_analytics.bench.data import DEMO_DIR, data_label, display_path, ensure_data, raw_format
from cs_analytics.bench.display import format_report, markdown_summary, report_failures
from cs_analytics.bench.floor import measure_floor
from cs_analytics.bench.machine import BenchSettings
from cs_analytics.bench.results import report, write_results
from cs_analytics.bench.steps import measure_orchestration_steps, measure_report, nightly_job
from cs_analytics.settings import PROJECT_ROOT, DbtNotFoundError

# Builds per scale when --repeat is not given: XL is too large to build thrice.
DEFAULT_REPEAT = {"S": 1, "M": 3, "L": 3, "XL": 1}


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
        default=PROJECT_ROOT / "bench" / "data",
        help="generated data, warehouses and dbt targets (ignored by git)",
    )
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=PROJECT_ROOT / "bench" / "results",
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
        "(cs_analytics/bench/baseline.py)",
    )
    parser.add_argument(
        "--target",
        choices=("dev", "spark"),
        default="dev",
        help="spark: build on local Spark and on DuckDB, and compare (cs_analytics/bench/spark.py)",
    )
    return parser.parse_args(argv)



def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.markdown:
        print(markdown_summary(args.results_dir))
        return 0
    try:
        if args.target == "spark":
            from cs_analytics.bench import spark

            return spark.main(args)
        return benchmark(args)
    except DbtNotFoundError as error:
        print(error)
        return 1


def benchmark(args: argparse.Namespace) -> int:
    """Floor, builds and the nightly job's other steps at one scale on DuckDB."""
    scale = generate.SCALES[args.scale]
    repeat = args.repeat if args.repeat is not None else DEFAULT_REPEAT.get(scale.name, 3)
    if repeat < 1:
        raise SystemExit("--repeat must be 1 or more.")
    settings = BenchSettings.from_env()
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
    baseline_build = None
    if args.baseline:
        # The baseline's builds and the tree's take turns (interleaved): a
        # drift of the machine's speed during the run slows both alike.
        commit, project = baseline.export_project(args.baseline, work_dir)
        baseline_build, build = interleaved(
            BuildSeries(f"{scale.name} at {args.baseline}", raw_dir,
                        runs / f"{scale.name}-baseline", profiles, repeat, project),
            BuildSeries(scale.name, raw_dir, runs / scale.name, profiles, repeat),
        )
    else:
        build = run_build(scale.name, raw_dir, runs / scale.name, profiles, repeat)
    build_s = build_s or build
    warehouse = runs / scale.name / "warehouse.duckdb"
    steps = measure_orchestration_steps(raw_dir, warehouse) if build.ok else None
    quality_gates = steps["quality_gates"] if steps else None
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
    if baseline_build is not None:
        result["baseline"] = baseline.summary(args.baseline, commit, build, baseline_build)
        result["ok"] = result["ok"] and baseline_build.ok
    if build.ok:
        result["report"] = measure_report(warehouse)
        result["publish"] = steps["publish"] if steps else None
        result["nightly_job"] = nightly_job(
            build, quality_gates, result["publish"], result["report"]
        )
    path = write_results(result, args.results_dir)
    print(format_report(result))
    print(f"\nresults: {display_path(path)}")
    report_failures(*{id(b): b for b in (build_s, build)}.values())
    return 0 if result["ok"] else 1

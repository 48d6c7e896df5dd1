"""A benchmark's result shown: the printed report of one run, and the Markdown
table of the latest result of every scale and format (`--markdown`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from cs_analytics import generate
from cs_analytics.bench import baseline
from cs_analytics.bench.builds import BuildResult
from cs_analytics.bench.data import display_path
from cs_analytics.bench.results import QUALITY_GATES_SHARE_LIMIT


def _limit(result: dict[str, Any], name: str) -> str:
    limit = result["limits"].get(name)
    return "" if limit is None else f"limit {limit:g}"


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


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
        f"  {'floor: DuckDB alone, default reader + casts (s)':<46}{floor['seconds']:>12.2f}",
        f"  {'reader cost: the same via the project reader (s)':<46}"
        f"{_seconds(floor.get('reader_seconds')):>12}",
        f"  {'dbt build on S, fixed overhead, median (s)':<46}{fixed['build_s_seconds']:>12.2f}",
        f"  {'(build - build_S) / floor, on the medians':<46}{ratio:>12}   "
        + _limit(result, "ratio"),
    ]
    if result.get("baseline"):
        lines.append(baseline.summary_line(result))
    gates = result.get("quality_gates")
    if gates:
        lines += [
            f"  {'GX gates: raw, latest events, KPIs, docs (s)':<46}"
            f"{gates['total_seconds']:>12.2f}",
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
        ("floor: DuckDB alone, read + cast (s)", lambda r: f"{r['floor']['seconds']:.2f}"),
        (
            "reader cost: via the project reader (s)",
            lambda r: _seconds(r["floor"].get("reader_seconds")),
        ),
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


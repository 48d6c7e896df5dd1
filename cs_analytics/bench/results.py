"""A benchmark's result: the record of one run (data, builds, floor, machine,
settings, the limits beside them), written as JSON under bench/results/."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from cs_analytics import generate
from cs_analytics.bench.builds import BuildResult
from cs_analytics.bench.data import data_label, display_path
from cs_analytics.bench.floor import Floor
from cs_analytics.bench.machine import BenchSettings, machine_info

# The limits docs/performance.md sets, printed beside the measured values:
# wall times from issue 5, the ratio and peak memory from issue 12 (XL's
# wall-time limit is 12x the L build, which a single run cannot print).
LIMITS: dict[str, dict[str, float]] = {
    "M": {"build_seconds": 15, "ratio": 4},
    "L": {"build_seconds": 60, "peak_rss_gb": 3.5, "ratio": 4},
    "XL": {"peak_rss_gb": 4},
}
QUALITY_GATES_SHARE_LIMIT = 0.2


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
    settings: BenchSettings,
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


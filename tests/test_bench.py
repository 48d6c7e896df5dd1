"""Tests of the benchmark (cs_analytics.bench): a real dbt build of the demo set.

Timings are checked for sanity only, never against the performance targets.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import psutil
import pytest

from cs_analytics import bench
from cs_analytics.raw_tables import table_names

DEMO_ROWS = {
    table: sum(1 for _ in csv.DictReader(open(bench.DEMO_DIR / f"{table}.csv", encoding="utf-8")))
    for table in table_names()
}


@pytest.fixture(scope="module")
def scale_s_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """The bench at scale S, end to end, into temporary folders."""
    root = tmp_path_factory.mktemp("bench")
    results = root / "results"
    code = bench.main(
        ["--scale", "S", "--work-dir", str(root / "work"), "--results-dir", str(results)]
    )
    return code, results


@pytest.fixture(scope="module")
def result(scale_s_run: tuple[int, Path]) -> dict[str, Any]:
    _, results = scale_s_run
    return json.loads((results / "S-latest.json").read_text(encoding="utf-8"))


def test_scale_s_succeeds_and_writes_timestamped_and_latest(scale_s_run: tuple[int, Path]) -> None:
    code, results = scale_s_run
    assert code == 0
    files = sorted(p.name for p in results.iterdir())
    assert len(files) == 2 and "S-latest.json" in files
    stamped = next(results / name for name in files if name != "S-latest.json")
    assert stamped.name.startswith("S-") and stamped.name.endswith("Z.json")
    assert stamped.read_text() == (results / "S-latest.json").read_text()


def test_build_figures_are_sane(result: dict[str, Any]) -> None:
    assert result["scale"] == "S" and result["ok"] is True
    build = result["build"]
    assert build["ok"] and build["returncode"] == 0 and build["log_tail"] == []
    assert 0 < build["wall_seconds"] < 600
    assert build["runs_seconds"] == [build["wall_seconds"]]
    assert build["parse_seconds"] > 0
    assert 20 * 2**20 < build["peak_rss_bytes"] < psutil.virtual_memory().total
    assert build["peak_rss_gb"] == pytest.approx(build["peak_rss_bytes"] / 2**30, abs=1e-3)
    assert build["node_counts"].get("model:success", 0) >= 5
    assert not any(k.endswith((":error", ":fail")) for k in build["node_counts"])


def test_slowest_models_are_five_or_fewer_in_descending_order(result: dict[str, Any]) -> None:
    slowest = result["build"]["slowest_models"]
    assert 1 <= len(slowest) <= 5
    seconds = [m["seconds"] for m in slowest]
    assert seconds == sorted(seconds, reverse=True)
    assert all(s >= 0 for s in seconds)
    assert all(m["model"] and "." not in m["model"] for m in slowest)


def test_floor_reads_every_raw_file(result: dict[str, Any]) -> None:
    floor = result["floor"]
    assert floor["seconds"] > 0
    assert {t: v["rows"] for t, v in floor["tables"].items()} == DEMO_ROWS
    assert result["data"]["rows"] == DEMO_ROWS
    assert result["data"]["raw_dir"] == "data/demo"
    assert all(v["bytes"] > 0 for v in floor["tables"].values())


def test_overhead_machine_and_settings(result: dict[str, Any]) -> None:
    fixed = result["fixed_overhead"]
    assert fixed["build_s_seconds"] == result["build"]["wall_seconds"]
    assert fixed["ratio"] is None  # no scale above S to compare with
    assert result["build_s"] is None
    machine = result["machine"]
    assert machine["logical_cores"] >= 1 and machine["memory_total_gb"] > 0
    assert machine["cpu_model"] and machine["duckdb"] and machine["dbt_core"]
    assert len(machine["load_average_before"]) == 3
    settings = result["settings"]
    assert settings["duckdb_threads"] == os.environ.get("CS_DUCKDB_THREADS", "2")
    assert settings["duckdb_memory_limit"] == os.environ.get("CS_DUCKDB_MEMORY_LIMIT", "3.5GB")
    assert result["targets"] == {"limits": {}, "met": {}}


def test_failed_build_is_reported_with_the_log_tail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty-raw"
    empty.mkdir()
    results = tmp_path / "results"
    code = bench.main(
        [
            "--scale",
            "S",
            "--raw-dir",
            str(empty),
            "--work-dir",
            str(tmp_path / "work"),
            "--results-dir",
            str(results),
        ]
    )
    assert code != 0
    captured = capsys.readouterr()
    assert "dbt build FAILED on scale S" in captured.err
    assert "  | " in captured.err
    assert not (results / "S-latest.json").exists()
    (stamped,) = results.iterdir()
    failed = json.loads(stamped.read_text())
    assert failed["ok"] is False and failed["build"]["returncode"] != 0
    assert failed["build"]["log_tail"]


def test_tree_rss_counts_this_process() -> None:
    assert bench.tree_rss(psutil.Process()) >= psutil.Process().memory_info().rss


def test_slowest_models_ignore_tests_and_keep_five() -> None:
    results = [
        {"unique_id": f"model.p.m{i}", "execution_time": float(i), "status": "success"}
        for i in range(8)
    ] + [{"unique_id": "test.p.t", "execution_time": 99.0, "status": "pass"}]
    slowest = bench.slowest_models(results)
    assert [m["model"] for m in slowest] == ["m7", "m6", "m5", "m4", "m3"]


def test_ratio_and_targets() -> None:
    def build(scale: str, seconds: float, peak_gb: float = 1.0) -> bench.BuildResult:
        return bench.BuildResult(scale, "x", True, 0, seconds, int(peak_gb * 2**30), 1.0)

    floor = bench.Floor(2.0, {})
    fixed = bench.overhead(build("M", 14.0), build("S", 8.0), floor)
    assert fixed == {"build_s_seconds": 8.0, "ratio": 3.0}
    met = bench.targets_met("L", build("L", 70.0, 3.0), 7.0)["met"]
    assert met == {"build_seconds": False, "peak_rss_gb": True, "ratio": False}


def test_markdown_summary_lists_the_latest_results(scale_s_run: tuple[int, Path]) -> None:
    _, results = scale_s_run
    table = bench.markdown_summary(results).splitlines()
    assert table[0] == "| measure | S | M | L |"
    raw_rows = next(line for line in table if line.startswith("| raw rows"))
    assert raw_rows == f"| raw rows | {sum(DEMO_ROWS.values()):,} | - | - |"

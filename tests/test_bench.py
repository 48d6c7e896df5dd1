"""Tests of the benchmark (the package cs_analytics.bench): a real dbt build of the demo set.

Timings are checked for sanity only, never against the performance targets.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import psutil
import pytest

from cs_analytics import generate
from cs_analytics.bench import baseline, builds, cli, data, display, floor, results
from cs_analytics.raw.tables import raw_tables, table_names
from cs_analytics.settings import PROJECT_ROOT

DEMO_ROWS = {
    table: sum(1 for _ in csv.DictReader(open(data.DEMO_DIR / f"{table}.csv", encoding="utf-8")))
    for table in table_names()
}


@pytest.fixture(scope="module")
def scale_s_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """The bench at scale S, end to end, into temporary folders."""
    root = tmp_path_factory.mktemp("bench")
    results = root / "results"
    code = cli.main(
        ["--scale", "S", "--work-dir", str(root / "work"), "--results-dir", str(results)]
    )
    return code, results


@pytest.fixture(scope="module")
def result(scale_s_run: tuple[int, Path]) -> dict[str, Any]:
    _, results = scale_s_run
    return json.loads((results / "S-csv-latest.json").read_text(encoding="utf-8"))


def test_scale_s_succeeds_and_writes_timestamped_and_latest(scale_s_run: tuple[int, Path]) -> None:
    code, results = scale_s_run
    assert code == 0
    files = sorted(p.name for p in results.iterdir())
    assert len(files) == 2 and "S-csv-latest.json" in files
    stamped = next(results / name for name in files if name != "S-csv-latest.json")
    assert stamped.name.startswith("S-csv-") and stamped.name.endswith("Z.json")
    assert stamped.read_text() == (results / "S-csv-latest.json").read_text()


def test_build_figures_are_sane(result: dict[str, Any]) -> None:
    assert result["scale"] == "S" and result["ok"] is True
    build = result["build"]
    assert build["ok"] and build["returncode"] == 0 and build["log_tail"] == []
    assert 0 < build["wall_seconds"] < 600
    assert build["runs_seconds"] == [build["wall_seconds"]]  # S builds once by default
    assert build["range_seconds"] == [build["wall_seconds"]] * 2
    assert build["parse_seconds"] > 0
    assert 20 * 2**20 < build["peak_rss_bytes"] < psutil.virtual_memory().total
    assert build["peak_rss_gb"] == pytest.approx(build["peak_rss_bytes"] / 2**30, abs=1e-3)
    assert build["node_counts"].get("model:success", 0) >= 5
    assert not any(k.endswith((":error", ":fail")) for k in build["node_counts"])


def test_every_model_is_timed_slowest_first(result: dict[str, Any]) -> None:
    models = result["build"]["model_seconds"]
    assert len(models) == result["build"]["node_counts"]["model:success"]
    seconds = [m["seconds"] for m in models]
    assert seconds == sorted(seconds, reverse=True)
    assert all(s >= 0 for s in seconds)
    assert all(m["model"] and "." not in m["model"] for m in models)
    assert "stg_shop__orders" in {m["model"] for m in models}


def test_floor_reads_every_raw_file(result: dict[str, Any]) -> None:
    floor = result["floor"]
    assert floor["seconds"] > 0 and floor["reader_seconds"] > 0
    assert {t: v["rows"] for t, v in floor["tables"].items()} == DEMO_ROWS
    assert result["data"]["rows"] == DEMO_ROWS
    assert result["data"]["raw_dir"] == "data/demo"
    assert all(v["bytes"] > 0 for v in floor["tables"].values())


def test_the_nightly_jobs_other_steps_are_timed(result: dict[str, Any]) -> None:
    """The gates and the publish step (timed by `python -m orchestration.timings`)
    and the report, beside the build."""
    gates = result["quality_gates"]
    assert gates["total_seconds"] == pytest.approx(
        gates["raw_seconds"] + gates["checks_seconds"] + gates["data_docs_seconds"], abs=0.02
    )
    assert result["publish"]["size_bytes"] > 0 and result["report"]["size_bytes"] > 0
    nightly = result["nightly_job"]
    assert nightly["dbt_build_seconds"] == result["build"]["wall_seconds"]
    assert nightly["total_seconds"] > nightly["dbt_build_seconds"]


def test_the_benchmark_never_imports_the_orchestration() -> None:
    package = Path(cli.__file__).parent
    imports = [
        line.strip()
        for path in package.glob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith(("import orchestration", "from orchestration"))
    ]
    assert imports == []


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
    assert settings["duckdb_memory_limit"] == os.environ.get("CS_DUCKDB_MEMORY_LIMIT", "3GB")
    assert result["limits"] == {}  # S has none; limits are never results
    assert result["format"] == "csv"


# A dbt whose parse passes and whose build fails: the benchmark's report of
# a failed build is the subject, not dbt's refusal of a missing raw file
# (test_missing_required_file_stops_the_build_with_one_sentence in
# tests/test_raw_inputs.py), so no 20 s of a real parse and a real build.
FAILING_DBT = """#!{python}
import sys
if sys.argv[1] == "build":
    print("Running with dbt=x")
    print("Encountered an error:")
    print("  The raw file customers.csv is missing")
    sys.exit(2)
"""


def test_failed_build_is_reported_with_the_log_tail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dbt = tmp_path / "dbt"
    dbt.write_text(FAILING_DBT.format(python=sys.executable), encoding="utf-8")
    dbt.chmod(0o755)
    monkeypatch.setattr(builds, "dbt_executable", lambda: str(dbt))
    empty = tmp_path / "empty-raw"
    empty.mkdir()
    results = tmp_path / "results"
    code = cli.main(
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
    assert "dbt build FAILED on scale S (exit code 2)" in captured.err
    assert "  |   The raw file customers.csv is missing" in captured.err
    assert not (results / "S-csv-latest.json").exists()
    (stamped,) = results.iterdir()
    failed = json.loads(stamped.read_text())
    assert failed["ok"] is False and failed["build"]["returncode"] != 0
    assert failed["build"]["log_tail"][-1] == "  The raw file customers.csv is missing"


def test_tree_rss_counts_this_process() -> None:
    assert builds.tree_rss(psutil.Process()) >= psutil.Process().memory_info().rss


def test_model_seconds_ignore_tests_and_keep_every_model() -> None:
    results = [
        {"unique_id": f"model.p.m{i}", "execution_time": float(i), "status": "success"}
        for i in range(8)
    ] + [{"unique_id": "test.p.t", "execution_time": 99.0, "status": "pass"}]
    models = builds.model_seconds(results)
    assert [m["model"] for m in models] == [f"m{i}" for i in range(7, -1, -1)]


def test_median_index_is_an_actual_build() -> None:
    assert builds.median_index([9.0, 7.0, 8.0]) == 2
    assert builds.median_index([4.0, 1.0, 3.0, 2.0]) == 3  # the lower middle one
    assert builds.median_index([5.0]) == 0


def test_default_repeat_is_three_but_for_s_and_xl() -> None:
    assert cli.DEFAULT_REPEAT == {"S": 1, "M": 3, "L": 3, "XL": 1}
    assert set(cli.DEFAULT_REPEAT) == set(generate.SCALES)


def test_ratio_is_on_the_medians_and_limits_are_not_verdicts() -> None:
    def build(scale: str, seconds: float) -> builds.BuildResult:
        return builds.BuildResult(scale, "x", True, 0, seconds, 2**30, 1.0)

    fixed = results.overhead(build("M", 14.0), build("S", 8.0), floor.Floor(2.0, {}, 4.0))
    assert fixed == {"build_s_seconds": 8.0, "ratio": 3.0}
    assert results.limits("L") == {"build_seconds": 60, "peak_rss_gb": 3.5, "ratio": 4}
    assert results.limits("XL") == {"peak_rss_gb": 4}
    assert results.limits("S") == {}


def test_markdown_summary_lists_the_latest_results(scale_s_run: tuple[int, Path]) -> None:
    _, results = scale_s_run
    table = display.markdown_summary(results).splitlines()
    assert table[0] == "| measure | S csv |"
    raw_rows = next(line for line in table if line.startswith("| raw rows"))
    assert raw_rows == f"| raw rows | {sum(DEMO_ROWS.values()):,} |"
    assert not any("met" in line.split("|")[1] for line in table[2:])


def test_markdown_summary_has_one_column_per_scale_and_format(tmp_path: Path) -> None:
    for scale, file_format in (("L", "parquet"), ("S", "csv"), ("L", "csv"), ("XL", "parquet")):
        result = {
            "scale": scale,
            "format": file_format,
            "timestamp_utc": "2026-01-01T00:00:00Z",
            "data": {"rows": {"orders": 10}, "bytes": {"orders": 2**20}},
            "build": {
                "wall_seconds": 1.0,
                "range_seconds": [0.9, 1.2],
                "runs_seconds": [0.9, 1.0, 1.2],
                "peak_rss_gb": 0.5,
                "parse_seconds": 2.0,
            },
            "floor": {"seconds": 0.1},
            "fixed_overhead": {"build_s_seconds": 0.5, "ratio": 5.0},
            "machine": {"load_average_before": [0.1, 0.1, 0.1]},
        }
        label = data.data_label(scale, file_format)
        (tmp_path / f"{label}-latest.json").write_text(json.dumps(result))
    table = display.markdown_summary(tmp_path).splitlines()
    assert table[0] == "| measure | S csv | L csv | L parquet | XL parquet |"
    assert table[5].startswith("| dbt build, range (s) | 0.9-1.2 (3 builds) |")


def test_format_folders_do_not_collide(tmp_path: Path) -> None:
    tiny = generate.Scale("T", 300, 3_000, 300, 300, 5, 1, date(2024, 1, 1), "parquet")
    csv_dir, csv_seconds = data.ensure_data(tiny, tmp_path, 42, "csv")
    parquet_dir, _ = data.ensure_data(tiny, tmp_path, 42, "parquet")
    assert (csv_dir, parquet_dir) == (tmp_path / "T-csv", tmp_path / "T-parquet")
    assert {p.suffix for p in csv_dir.iterdir()} == {".csv"}
    assert {p.suffix for p in parquet_dir.iterdir()} == {".parquet"}
    stamp = json.loads((tmp_path / "T-csv.generated.json").read_text())
    assert stamp["format"] == "csv" and stamp["scale"] == "T"
    assert stamp["generator"] == data.generator_fingerprint()
    assert csv_seconds is not None
    assert data.ensure_data(tiny, tmp_path, 42, "csv") == (csv_dir, None)  # kept
    assert data.ensure_data(generate.SCALES["S"], tmp_path, 42, "csv")[0] == data.DEMO_DIR


def test_results_are_written_outside_git() -> None:
    default = cli.parse_args([]).results_dir
    assert default == PROJECT_ROOT / "bench" / "results"
    git = ["git", "-C", str(PROJECT_ROOT)]
    if subprocess.run([*git, "rev-parse"], capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    probe = default / "S-csv-latest.json"
    assert subprocess.run([*git, "check-ignore", "-q", str(probe)]).returncode == 0
    tracked = subprocess.run(
        [*git, "ls-files", str(default)], capture_output=True, text=True, check=True
    )
    assert tracked.stdout == ""


def test_floor_types_come_from_the_description() -> None:
    expected = {"timestamp": "TIMESTAMP", "amount": "DECIMAL(18,4)", "integer": "BIGINT"}
    with duckdb.connect() as con:
        for table in table_names():
            select = floor.typed_select(data.DEMO_DIR, table)
            types = {row[0]: row[1] for row in con.execute(f"describe {select}").fetchall()}
            for column in raw_tables()[table].columns:
                assert types[column.name] == expected.get(column.kind, "VARCHAR"), column


def test_the_bare_floor_is_duckdb_alone_with_the_same_types(tmp_path: Path) -> None:
    """The floor reads with DuckDB's default reader (no row numbers, no call of
    the project's reader) and casts the typed columns as the reader floor does,
    from CSV and from Parquet; a column a file lacks is left out, not invented."""
    expected = {"timestamp": "TIMESTAMP", "amount": "DECIMAL(18,4)", "integer": "BIGINT"}
    orders = data.DEMO_DIR / "orders.csv"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * exclude (updated_at) from read_csv('{orders}', all_varchar = true))"
            f" to '{tmp_path / 'orders.parquet'}' (format parquet)"
        )
        for path in (orders, tmp_path / "orders.parquet"):
            select = floor.bare_select(con, path, "orders")
            assert "source_row_number" not in select and "raw_" not in select
            types = {row[0]: row[1] for row in con.execute(f"describe {select}").fetchall()}
            for column in raw_tables()["orders"].columns:
                if column.name in types:
                    assert types[column.name] == expected.get(column.kind, "VARCHAR"), column
            assert ("updated_at" in types) == (path == orders)
            count = con.execute(f"select count(*) from ({select})").fetchone()
            assert count == (DEMO_ROWS["orders"],)


def test_long_open_data_and_the_baseline_of_the_cost_rule(tmp_path: Path) -> None:
    """The business-time cost rule's tools (docs/performance.md), without a build:
    `--long-open` data has its own folder and stamp, generated once; `--baseline REF`
    exports the project of a commit; the cost is relative to the baseline's median."""
    scale = generate.SCALES["S"]
    raw, seconds = data.ensure_data(scale, tmp_path, 42, "csv", long_open=True)
    assert raw == tmp_path / "S-csv-long-open" and seconds is not None
    stamp = json.loads((tmp_path / "S-csv-long-open.generated.json").read_text())
    assert stamp["long_open"] is True
    assert data.ensure_data(scale, tmp_path, 42, "csv", long_open=True) == (raw, None)
    assert data.ensure_data(scale, tmp_path, 42, "csv")[0] == data.DEMO_DIR
    commit, project = baseline.export_project("HEAD", tmp_path)
    assert len(commit) == 40 and (project / "dbt_project.yml").is_file()
    assert (project / "models").is_dir() and not (project / ".git").exists()
    with pytest.raises(SystemExit, match="is not a commit of this repository"):
        baseline.export_project("no-such-ref", tmp_path)
    assert baseline.cost({"wall_seconds": 110.0}, {"wall_seconds": 100.0}) == 0.1
    assert baseline.cost({"wall_seconds": 1.0}, {"wall_seconds": 0.0}) is None


def test_the_baseline_and_the_tree_build_in_turns() -> None:
    """`--baseline`'s builds alternate with the tree's, and a series that
    fails stops while the other goes on to its count."""
    order: list[str] = []

    class Series:
        def __init__(self, name: str, repeat: int, fails_at: int | None = None) -> None:
            self.name, self.repeat, self.fails_at, self.built = name, repeat, fails_at, 0

        @property
        def done(self) -> bool:
            return self.built >= self.repeat or self.built == self.fails_at

        def build_once(self) -> None:
            if not self.done:
                self.built += 1
                order.append(f"{self.name}{self.built}")

        def result(self) -> str:
            return f"{self.name}:{self.built}"

    assert builds.interleaved(Series("a", 3), Series("b", 3)) == ["a:3", "b:3"]  # type: ignore[arg-type]
    assert order == ["a1", "b1", "a2", "b2", "a3", "b3"]
    order.clear()
    assert builds.interleaved(Series("a", 3, fails_at=1), Series("b", 3)) == ["a:1", "b:3"]  # type: ignore[arg-type]
    assert order == ["a1", "b1", "b2", "b3"]

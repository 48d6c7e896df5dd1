"""Where the report reads from and what it writes: a self-contained page, written
atomically, from the published snapshot when there is one (with the work
warehouse's rejection reasons and the nightly run's gates), and its command line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Warehouse
from report_page import page_data

from cs_analytics.report import ReportDataError, Sources, build_report, resolve_sources
from cs_analytics.report.__main__ import main
from cs_analytics.report.labels import LABELS


def test_page_loads_nothing_from_outside(report_pages: dict[str, str]) -> None:
    html = report_pages["vi"]
    assert "<script src" not in html and "<link" not in html
    assert 'src="http' not in html and "href=\"http" not in html
    assert "$schema" not in html.split('id="report-specs">')[1].split("</script>")[0]


def test_a_failed_build_keeps_the_previous_report(tmp_path: Path) -> None:
    out = tmp_path / "report" / "index.html"
    out.parent.mkdir()
    out.write_text("previous report", encoding="utf-8")
    sources = Sources(tmp_path / "missing.duckdb", None, tmp_path)
    with pytest.raises(ReportDataError, match="No warehouse at"):
        build_report(sources, out, "vi")
    assert out.read_text(encoding="utf-8") == "previous report"
    assert [path.name for path in out.parent.iterdir()] == ["index.html"]


def test_sources_prefer_the_published_snapshot(tmp_path: Path) -> None:
    work, published = tmp_path / "work.duckdb", tmp_path / "pub" / "snap.duckdb"
    environ = {"CS_WAREHOUSE_PATH": str(work), "CS_PUBLISHED_PATH": str(published)}
    assert resolve_sources(environ=environ).database == work
    published.parent.mkdir()
    published.write_bytes(b"")
    assert resolve_sources(environ=environ).database == published
    assert resolve_sources(work, environ).database == work
    assert resolve_sources(environ=environ).published_dir == published.parent


def test_command_line(
    worked_example: Warehouse, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "en.html"
    assert main(["--lang", "en", "--warehouse", str(worked_example.path), "--out", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert page_data(out.read_text(encoding="utf-8"))["meta"]["lang"] == "en"
    assert main(["--warehouse", str(tmp_path / "none.duckdb"), "--out", str(out)]) == 1
    assert "No warehouse at" in capsys.readouterr().err


def test_published_snapshot_reasons_and_gates(
    worked_example: Warehouse, tmp_path: Path
) -> None:
    """From a published snapshot (no audit.rejected_rows), the reasons come from the work
    database beside it, and the nightly run's gates from quality_gates.json."""
    import duckdb

    published = tmp_path / "published" / "cs_analytics.duckdb"
    published.parent.mkdir()
    with duckdb.connect(str(published)) as con:
        con.execute(f"attach '{worked_example.path}' as work (read_only)")
        con.execute("create schema marts")
        con.execute("create schema audit")
        for (table,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'work' and table_schema = 'marts'"
        ).fetchall():
            con.execute(f"create table marts.{table} as select * from work.marts.{table}")
        con.execute(
            "create table audit.source_reconciliation as "
            "select * from work.audit.source_reconciliation"
        )
    gates = {
        "run_id": "0123456789abcdef",
        "recorded_at": "2025-04-02T19:00:00+00:00",
        "checks": [
            {"asset": "raw/orders", "check": "raw_file_expectations",
             "kind": "great_expectations", "passed": True, "severity": "ERROR",
             "description": "raw_orders__summary: all 9 expectations met."},
            {"asset": "marts/revenue", "check": "headline_vs_previous_snapshot",
             "kind": "great_expectations", "passed": False, "severity": "WARN",
             "description": "revenue fell by 60%."},
            {"asset": "marts/nps", "check": "not_null_nps_period_start",
             "kind": "dbt", "passed": True, "severity": "ERROR", "description": ""},
        ],
    }
    (published.parent / "quality_gates.json").write_text(json.dumps(gates), encoding="utf-8")
    out = tmp_path / "report.html"
    sources = Sources(published, worked_example.path, published.parent)
    build_report(sources, out, "en")
    html = out.read_text(encoding="utf-8")
    data = page_data(html)
    assert data["meta"]["source_kind"] == "published"
    assert data["datasets"]["rejected_rows"] == []
    assert data["quality_gates"]["run_id"] == gates["run_id"]
    assert "Run 01234567, 2 Apr 2025 19:00: 2 of 3 checks passed." in html
    assert "revenue fell by 60%." in html and "dbt tests: 1 of 1 passed" in html
    # Without the work database, the page says where the reasons are.
    build_report(Sources(published, None, published.parent), out, "en")
    assert LABELS["en"]["rejected_unavailable"] in out.read_text(encoding="utf-8")

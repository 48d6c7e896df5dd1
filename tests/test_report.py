"""The KPI report (cs_analytics.report) on the contract's worked example.

The numbers are read from the data block the page embeds (what the browser
draws), never by re-running the report's SQL, and compared with the values
typed in from tests/fixtures/worked-example/README.md and with direct selects of
the marts.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Warehouse
from report_page import month_rows, page_data, write_report

from cs_analytics.report import ReportDataError, Sources, build_report, resolve_sources
from cs_analytics.report.__main__ import main
from cs_analytics.report.charts import CHARTS
from cs_analytics.report.formatting import format_change, format_number, period_label
from cs_analytics.report.labels import LABELS

NBSP = "\u00a0"
PERIOD_MARTS = ("customer_retention", "revenue", "nps", "csat", "support_kpis")


@pytest.fixture(scope="module")
def warehouse(worked_example: Warehouse) -> Warehouse:
    """The session's build of the worked example (conftest)."""
    return worked_example


@pytest.fixture(scope="module")
def pages(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("report")
    return {
        lang: write_report(warehouse.path, folder / f"report-{lang}.html", lang)
        for lang in ("vi", "en")
    }


@pytest.fixture(scope="module")
def data(pages: dict[str, str]) -> dict[str, Any]:
    return page_data(pages["vi"])


def columns(rows: list[dict[str, Any]], *names: str) -> list[tuple[Any, ...]]:
    return [tuple(row[name] for name in names) for row in rows]


# --------------------------------------------------------------------------
# The page's numbers equal the worked example's hand-computed values
# --------------------------------------------------------------------------


def test_retention_months(data: dict[str, Any]) -> None:
    rows = month_rows(data, "customer_retention")
    assert [row["period_start"] for row in rows] == [f"2025-0{m}-01" for m in (1, 2, 3, 4)]
    assert [row["is_complete"] for row in rows] == [True, True, True, False]
    assert columns(
        rows,
        "customers_start", "customers_end", "new_customers", "retained_customers",
        "churned_customers", "reactivated_customers", "retention_rate", "churn_rate",
        "retention_rate_textbook", "churn_rate_textbook",
    ) == [
        (0, 2, 2, 0, 0, 0, None, None, None, None),
        (2, 1, 0, 1, 1, 0, 0.5, 0.5, 0.5, 0.5),
        (1, 1, 1, 0, 1, 0, 0.0, 1.0, 0.0, 0.0),
        (1, 2, 0, 1, 0, 1, 1.0, 0.0, 2.0, -1.0),
    ]


def test_revenue_months(data: dict[str, Any]) -> None:
    assert columns(
        month_rows(data, "revenue"),
        "orders", "completed_orders", "cancelled_orders", "cancellation_rate", "revenue",
        "revenue_new_customers", "revenue_returning_customers", "returning_revenue_share",
        "avg_order_value", "buyers",
    ) == [
        (2, 2, 0, 0.0, 300, 300, 0, 0.0, 150, 2),
        (2, 1, 1, 0.5, 150, 0, 150, 1.0, 150, 1),
        (1, 1, 0, 0.0, 120, 120, 0, 0.0, 120, 1),
        (1, 1, 0, 0.0, 80, 0, 80, 1.0, 80, 1),
    ]


def test_nps_and_csat_months(data: dict[str, Any]) -> None:
    nps = columns(month_rows(data, "nps"), "responses", "promoters", "detractors", "nps")
    assert nps[1:] == [(0, 0, 0, None), (0, 0, 0, None), (0, 0, 0, None)]
    assert nps[0][:3] == (3, 2, 1) and nps[0][3] == pytest.approx(100 / 3)
    assert columns(
        month_rows(data, "csat"), "responses", "satisfied", "dissatisfied", "csat_rate",
        "avg_rating",
    )[:3] == [(1, 1, 0, 1.0, 5.0), (1, 0, 1, 0.0, 2.0), (0, 0, 0, None, None)]


def test_support_months(data: dict[str, Any]) -> None:
    rows = columns(
        month_rows(data, "support_kpis"),
        "tickets_created", "tickets_resolved", "backlog_end", "resolution_rate", "fcr_rate",
        "reopen_rate", "avg_first_response_minutes", "median_first_response_minutes",
        "p90_first_response_minutes", "avg_resolution_hours", "median_resolution_hours",
        "p90_resolution_hours", "avg_wait_seconds", "wait_within_target_rate",
        "first_response_sla_rate", "resolution_sla_rate",
    )
    expected = [
        (2, 1, 1, 1.0, 0.5, 0.0, 25, 25, 29, 99, 99, 173.4, 45, 1.0, 0.5, 0.5),
        (1, 2, 0, 1.0, 0.0, 1.0, 1, 1, 1, 1, 1, 1, 90, 0.0, 1.0, 1.0),
        # T4's resolution target still pending on the business clock: null.
        (1, 0, 1, 0.0, None) + (None,) * 9 + (0.0, None),
        (0, 0, 1) + (None,) * 13,
    ]
    assert rows == [pytest.approx(row) for row in expected]


def test_business_time_beside_calendar_time_and_contact_rate(
    data: dict[str, Any], pages: dict[str, str]
) -> None:
    """The README's business averages and contact rates; the SLA cards name each
    priority's clock; the response and resolution panels draw the business-hours
    average beside the calendar one; the contact rate has its card and its definition
    in both languages."""
    assert columns(
        month_rows(data, "support_kpis"), "avg_first_response_minutes",
        "avg_first_response_business_minutes", "avg_resolution_hours",
        "avg_resolution_business_hours", "contact_rate_per_100_orders",
    ) == [
        (25.0, 25.0, 99.0, 3.25, 100.0),
        (1.0, 1.0, 1.0, 1.0, 50.0),
        (None, None, None, None, 100.0),
        (None, None, None, None, 0.0),
    ]
    cards = {card["kpi"]: card for card in data["headline"]["month"]["cards"]}
    contact = cards["contact_rate_per_100_orders"]
    assert (contact["value"], contact["previous"]) == (100.0, 50.0)
    assert contact["display"] == "100,0" and contact["change"] == "+50,0"
    assert contact["good"] is False
    notes = {
        "vi": "Đồng hồ SLA – Khẩn cấp: theo lịch (24/7); cao, bình thường, thấp: theo giờ "
              "làm việc.",
        "en": "SLA clocks – Urgent: calendar clock (24/7); high, normal, low: business hours.",
    }
    for kpi in ("first_response_sla_rate", "resolution_sla_rate"):
        assert cards[kpi]["note"] == notes["vi"]
    assert cards["fcr_rate"]["note"] is None
    for lang, html in pages.items():
        assert notes[lang] in html
        definition = LABELS[lang]["kpis"]["contact_rate_per_100_orders"][1]
        assert definition in html
        specs = json.loads(html.split('id="report-specs">')[1].split("</script>")[0])
        for chart, columns_drawn in (
            ("first_response", ("avg_first_response_minutes",
                                "avg_first_response_business_minutes")),
            ("resolution", ("avg_resolution_hours", "avg_resolution_business_hours")),
        ):
            assert all(column in json.dumps(specs[chart]) for column in columns_drawn)


def test_cohorts_and_customer_dimension(data: dict[str, Any]) -> None:
    cohorts = data["datasets"]["cohort_retention"]
    assert columns(
        cohorts, "cohort_month", "month_offset", "cohort_size", "active_customers",
        "retention_rate", "revenue",
    ) == [
        ("2025-01-01", 0, 2, 2, 1.0, 300),
        ("2025-01-01", 1, 2, 1, 0.5, 150),
        ("2025-01-01", 2, 2, 0, 0.0, 0),
        ("2025-01-01", 3, 2, 1, 0.5, 80),
        ("2025-03-01", 0, 1, 1, 1.0, 120),
        ("2025-03-01", 1, 1, 0, 0.0, 0),
    ]
    assert [row["cohort_label"] for row in cohorts][::4] == ["T1/2025", "T3/2025"]
    stages = {row["key"]: row["customers"] for row in data["datasets"]["lifecycle_stages"]}
    assert stages == {"prospect": 1, "new": 1, "active": 1, "at_risk": 0, "churned": 1}
    tiers = {row["key"]: row["customers"] for row in data["datasets"]["loyalty_tiers"]}
    assert tiers == {"none": 1, "one_time": 2, "repeat": 1, "loyal": 0}


def test_agent_scorecard_of_the_latest_complete_period(data: dict[str, Any]) -> None:
    """March (the latest complete month) has no agent activity (T4 has no agent); the
    latest complete quarter, Q1 2025, is January plus February of the README's table."""
    agents = data["datasets"]["agent_scorecard"]
    assert {row["period_grain"] for row in agents} == {"quarter"}
    assert columns(
        agents, "period_start", "agent_id", "agent_name", "team", "tickets_assigned",
        "tickets_resolved", "fcr_rate", "avg_resolution_hours", "resolution_sla_rate",
        "csat_responses", "csat_rate",
    ) == [
        ("2025-01-01", "A1", "Phạm Thu Hà", "CSKH Hà Nội", 2, 2, 0.5, 99.0, 0.5, 2, 0.5),
        ("2025-01-01", "A2", "Võ Quốc Việt", "unassigned", 1, 1, 0.0, 1.0, 1.0, 0, None),
    ]
    teams = {row["team"]: row for row in data["datasets"]["team_scorecard"]}
    assert set(teams) == {"CSKH Hà Nội", "unassigned"}
    for agent in agents:
        team = teams[agent["team"]]
        for column in ("tickets_assigned", "tickets_resolved", "fcr_rate", "csat_rate"):
            assert team[column] == agent[column]


def test_headline_cards_compare_with_the_previous_period(data: dict[str, Any]) -> None:
    month = data["headline"]["month"]
    assert month["period_start"] == "2025-03-01" and month["previous_start"] == "2025-02-01"
    assert month["period_name"] == "Tháng 3/2025"
    cards = {card["kpi"]: card for card in month["cards"]}
    assert (cards["customers_end"]["value"], cards["customers_end"]["previous"]) == (1, 1)
    assert (cards["retention_rate"]["value"], cards["retention_rate"]["previous"]) == (0.0, 0.5)
    assert cards["retention_rate"]["display"] == f"0,0{NBSP}%"
    assert cards["retention_rate"]["change"] == f"-50,0{NBSP}điểm{NBSP}%"
    assert cards["retention_rate"]["good"] is False
    assert cards["churn_rate"]["display"] == f"100,0{NBSP}%"
    assert cards["churn_rate"]["direction"] == "up" and cards["churn_rate"]["good"] is False
    assert (cards["revenue"]["value"], cards["revenue"]["previous"]) == (120, 150)
    assert cards["revenue"]["change"] == f"-20,0{NBSP}%"
    assert cards["new_customers"]["change"] == "+1"
    assert cards["nps"]["display"] == "–" and cards["nps"]["change"] is None
    assert cards["backlog_end"]["value"] == 1 and cards["backlog_end"]["good"] is False
    assert data["headline"]["quarter"]["period_start"] == "2025-01-01"
    assert data["headline"]["quarter"]["previous_start"] is None
    assert data["headline"]["year"] == {"period_start": None, "period_name": None, "cards": []}


def test_data_quality_block(data: dict[str, Any], pages: dict[str, str]) -> None:
    counts = {
        row["source_table"]: (row["raw_rows"], row["valid_rows"], row["rejected_rows"])
        for row in data["datasets"]["source_reconciliation"]
    }
    assert counts == {
        "customers": (3, 3, 0),
        "orders": (6, 6, 0),
        "tickets": (4, 4, 0),
        "survey_responses": (5, 5, 0),
        "agents": (2, 2, 0),
    }
    assert data["datasets"]["rejected_rows"] == []
    assert data["quality_gates"] is None
    assert LABELS["vi"]["rejected_none"] in pages["vi"]
    assert LABELS["vi"]["gates_none"].split("`")[0] in pages["vi"]


# --------------------------------------------------------------------------
# The page's numbers equal the marts
# --------------------------------------------------------------------------


@pytest.mark.parametrize("mart", PERIOD_MARTS)
def test_period_datasets_are_the_marts_row_for_row(
    data: dict[str, Any], warehouse: Warehouse, mart: str
) -> None:
    expected = warehouse.rows(f"select * from marts.{mart}")
    embedded = data["datasets"][mart]
    assert len(embedded) == len(expected)
    by_key = {(row["period_grain"], row["period_start"]): row for row in embedded}
    for row in expected:
        page_row = by_key[(row["period_grain"], row["period_start"].isoformat())]
        for column, value in row.items():
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif value is not None and not isinstance(value, bool | str):
                value = pytest.approx(float(value), rel=1e-12)
            assert page_row[column] == value, (mart, column, row["period_start"])


def test_agent_rows_are_the_marts(data: dict[str, Any], warehouse: Warehouse) -> None:
    expected = warehouse.rows(
        "select agent_id, tickets_resolved, csat_rate from marts.agent_scorecard "
        "where period_grain = 'quarter' and period_start = date '2025-01-01' order by 1"
    )
    assert columns(data["datasets"]["agent_scorecard"], "agent_id", "tickets_resolved",
                   "csat_rate") == [tuple(row.values()) for row in expected]


# --------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------


def test_numbers_follow_the_language() -> None:
    assert format_number(1234567, "count", "vi") == "1.234.567"
    assert format_number(1234567, "count", "en") == "1,234,567"
    assert format_number(0.682, "rate", "vi") == f"68,2{NBSP}%"
    assert format_number(0.682, "rate", "en") == "68.2%"
    assert format_number(1234.5, "hours", "vi") == "1.234,5"
    assert format_number(4.256, "rating", "en") == "4.26"
    assert format_number(None, "rate", "vi") == "–"
    assert format_change(0.7, 0.65, "rate", "vi", "điểm %") == f"+5,0{NBSP}điểm %"
    assert format_change(0.7, 0.65, "rate", "en", "pp") == f"+5.0{NBSP}pp"
    assert format_change(1100, 1000, "amount", "vi", "") == f"+10,0{NBSP}%"
    assert format_change(1, 0, "amount", "vi", "") is None


def test_dates_follow_the_language() -> None:
    start = dt.date(2024, 12, 30)
    assert period_label("week", start, start, LABELS["vi"]) == "Tuần 1/2025"
    assert period_label("week", start, start, LABELS["en"]) == "W01 2025"
    march = dt.date(2025, 3, 1)
    assert period_label("month", march, march, LABELS["vi"]) == "T3/2025"
    assert period_label("quarter", march, march, LABELS["en"]) == "Q1 2025"


def test_both_languages_share_one_label_table_shape() -> None:
    def shape(table: Any) -> Any:
        if isinstance(table, dict):
            return {key: shape(value) for key, value in table.items()}
        return type(table).__name__

    assert shape(LABELS["vi"]) == shape(LABELS["en"])
    for chart in CHARTS:
        for lang in LABELS:
            assert chart.chart_id in LABELS[lang]["charts"]
            assert all(kpi in LABELS[lang]["kpis"] for kpi in chart.kpis)


def test_page_language_title_and_formats(pages: dict[str, str]) -> None:
    vi, en = pages["vi"], pages["en"]
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert "<title>Báo cáo chăm sóc khách hàng – Tháng 3/2025</title>" in vi
    assert "<title>Customer care report – Mar 2025</title>" in en
    assert f"100,0{NBSP}%" in vi and "100.0%" in en
    assert page_data(vi)["format"]["locale"]["decimal"] == ","
    assert page_data(en)["format"]["locale"]["thousands"] == ","
    assert "T3/2025" in {row["period_label"] for row in month_rows(page_data(vi), "revenue")}
    assert "Apr 2025*" in {row["period_label"] for row in month_rows(page_data(en), "revenue")}


def test_every_kpi_definition_is_on_the_page(pages: dict[str, str]) -> None:
    for lang, html in pages.items():
        for chart in CHARTS:
            for kpi in chart.kpis:
                definition = LABELS[lang]["kpis"][kpi][1]
                assert definition.replace("'", "&#39;").replace('"', "&#34;") in html, kpi


# --------------------------------------------------------------------------
# Self-contained, atomic, command line
# --------------------------------------------------------------------------


def test_page_loads_nothing_from_outside(pages: dict[str, str]) -> None:
    html = pages["vi"]
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
    warehouse: Warehouse, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "en.html"
    assert main(["--lang", "en", "--warehouse", str(warehouse.path), "--out", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert page_data(out.read_text(encoding="utf-8"))["meta"]["lang"] == "en"
    assert main(["--warehouse", str(tmp_path / "none.duckdb"), "--out", str(out)]) == 1
    assert "No warehouse at" in capsys.readouterr().err


def test_published_snapshot_reasons_and_gates(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """From a published snapshot (no audit.rejected_rows), the reasons come from the work
    database beside it, and the nightly run's gates from quality_gates.json."""
    import duckdb

    published = tmp_path / "published" / "cs_analytics.duckdb"
    published.parent.mkdir()
    with duckdb.connect(str(published)) as con:
        con.execute(f"attach '{warehouse.path}' as work (read_only)")
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
    sources = Sources(published, warehouse.path, published.parent)
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


# --------------------------------------------------------------------------
# Service and retention (cs_analytics/report/service_retention.py)
# --------------------------------------------------------------------------


def test_service_retention_dataset_is_the_mart(data: dict[str, Any], warehouse: Warehouse) -> None:
    expected = warehouse.rows("select * from marts.service_retention")
    embedded = {
        (row["period_grain"], row["period_start"], row["service_band"]): row
        for row in data["datasets"]["service_retention"]
    }
    assert len(embedded) == len(expected) == len(data["datasets"]["service_retention"])
    for row in expected:
        page_row = embedded[(row["period_grain"], row["period_start"].isoformat(),
                             row["service_band"])]
        for column, value in row.items():
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif value is not None and not isinstance(value, bool | str):
                value = pytest.approx(float(value), rel=1e-12)
            assert page_row[column] == value, (column, row)


def test_service_bands_of_the_latest_complete_period(
    data: dict[str, Any], pages: dict[str, str]
) -> None:
    """March 2025, the latest complete month: KH1 alone is active at its start, no_ticket
    (README), too few customers to show a rate; the bands in the contract's order."""
    month = [row for row in data["datasets"]["service_bands_latest"]
             if row["period_grain"] == "month"]
    assert columns(month, "period_start", "service_band", "customers_start", "retention_rate",
                   "is_readable", "shown_retention_rate") == [
        ("2025-03-01", "unresolved", 0, None, False, None),
        ("2025-03-01", "dissatisfied", 0, None, False, None),
        ("2025-03-01", "sla_breached", 0, None, False, None),
        ("2025-03-01", "served", 0, None, False, None),
        ("2025-03-01", "no_ticket", 1, 0.0, False, None),
    ]
    assert {row["period_grain"] for row in data["datasets"]["service_bands_latest"]} == {
        "week", "month", "quarter"}
    assert all(row["unresolved_vs_no_ticket"] is None and row["dissatisfied_vs_no_ticket"]
               is None for row in data["datasets"]["service_vs_no_ticket"])
    assert not data["charts"]["service_band_rates"]["has_data"]
    assert LABELS["vi"]["service_retention"]["too_small"].format(minimum=30) in pages["vi"]
    assert LABELS["en"]["service_retention"]["association"] in pages["en"].replace("&#39;", "'")


def test_service_bands_too_small_below_thirty_customers() -> None:
    """A band is read from 30 customers on: its rate and interval are shown; at 29 it
    is too small, and so is its difference to no_ticket (hand-made mart rows)."""
    from cs_analytics.report import service_retention as section

    def row(start: str, band: str, customers: int, rate: float, vs: float | None) -> dict:
        return {"period_grain": "month", "period_start": start, "period_end": start,
                "is_complete": True, "period_label": start, "period_name": start,
                "service_band": band, "customers_start": customers, "retention_rate": rate,
                "retention_rate_ci_low": rate - 0.1, "retention_rate_ci_high": rate + 0.1,
                "retention_rate_vs_no_ticket": vs}

    rows = [
        row("2025-01-01", "unresolved", 30, 0.5, -0.2),
        row("2025-01-01", "dissatisfied", 29, 0.6, -0.1),
        row("2025-01-01", "no_ticket", 30, 0.7, 0.0),
        row("2025-02-01", "unresolved", 40, 0.5, -0.1),
        row("2025-02-01", "no_ticket", 29, 0.6, 0.0),
    ]
    latest = {"month": {"period_start": "2025-01-01"}}
    shown = section.band_rows(rows, latest, LABELS["en"])
    assert [(r["service_band"], r["is_readable"], r["shown_retention_rate"],
             r["shown_retention_rate_ci_high"]) for r in shown] == [
        ("unresolved", True, 0.5, 0.6), ("dissatisfied", False, None, None),
        ("no_ticket", True, 0.7, pytest.approx(0.8)),
    ]
    assert [(r["period_start"], r["unresolved_vs_no_ticket"], r["dissatisfied_vs_no_ticket"])
            for r in section.trend_rows(rows)] == [
        ("2025-01-01", -0.2, None), ("2025-02-01", None, None)]
    # Without any customer in a band but no_ticket (a shop without a helpdesk): nothing.
    alone = [r for r in rows if r["service_band"] == "no_ticket"]
    assert not any(r["is_readable"] for r in section.band_rows(alone, latest, LABELS["en"]))


def test_a_warehouse_built_before_the_service_mart(warehouse: Warehouse, tmp_path: Path) -> None:
    """A snapshot published before marts.service_retention existed still gives a page,
    whose service section says it has no data."""
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(warehouse.path, old)
    with duckdb.connect(str(old)) as con:
        con.execute("drop table marts.service_retention")
    html = write_report(old, tmp_path / "report.html", "en")
    data = page_data(html)
    assert data["datasets"]["service_retention"] == []
    assert not data["charts"]["service_band_rates"]["has_data"]
    assert not data["charts"]["service_vs_no_ticket"]["has_data"]
    assert LABELS["en"]["service_retention"]["no_helpdesk"] in html

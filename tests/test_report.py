"""The KPI report (cs_analytics.report) on the contract's worked example: its numbers.

The numbers are read from the data block the page embeds (what the browser
draws), never by re-running the report's SQL, and compared with the values
typed in from tests/fixtures/worked-example/README.md and with direct selects of
the marts. The worked example's report is written once per session (conftest's
`report_pages` and `report_data`); the page's language, its sources and its
service section have their own test_report_*.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import Warehouse
from report_page import NBSP, as_embedded, columns, month_rows

from cs_analytics.report.labels import LABELS

PERIOD_MARTS = ("customer_retention", "revenue", "nps", "csat", "support_kpis")


# --------------------------------------------------------------------------
# The page's numbers equal the worked example's hand-computed values
# --------------------------------------------------------------------------


def test_retention_months(report_data: dict[str, Any]) -> None:
    rows = month_rows(report_data, "customer_retention")
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


def test_revenue_months(report_data: dict[str, Any]) -> None:
    assert columns(
        month_rows(report_data, "revenue"),
        "orders", "completed_orders", "cancelled_orders", "cancellation_rate", "revenue",
        "revenue_new_customers", "revenue_returning_customers", "returning_revenue_share",
        "avg_order_value", "buyers",
    ) == [
        (2, 2, 0, 0.0, 300, 300, 0, 0.0, 150, 2),
        (2, 1, 1, 0.5, 150, 0, 150, 1.0, 150, 1),
        (1, 1, 0, 0.0, 120, 120, 0, 0.0, 120, 1),
        (1, 1, 0, 0.0, 80, 0, 80, 1.0, 80, 1),
    ]


def test_nps_and_csat_months(report_data: dict[str, Any]) -> None:
    nps = columns(month_rows(report_data, "nps"), "responses", "promoters", "detractors", "nps")
    assert nps[1:] == [(0, 0, 0, None), (0, 0, 0, None), (0, 0, 0, None)]
    assert nps[0][:3] == (3, 2, 1) and nps[0][3] == pytest.approx(100 / 3)
    assert columns(
        month_rows(report_data, "csat"), "responses", "satisfied", "dissatisfied", "csat_rate",
        "avg_rating",
    )[:3] == [(1, 1, 0, 1.0, 5.0), (1, 0, 1, 0.0, 2.0), (0, 0, 0, None, None)]


def test_support_months(report_data: dict[str, Any]) -> None:
    rows = columns(
        month_rows(report_data, "support_kpis"),
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
    report_data: dict[str, Any], report_pages: dict[str, str]
) -> None:
    """The README's business averages and contact rates; the SLA cards name each
    priority's clock; the response and resolution panels draw the business-hours
    average beside the calendar one; the contact rate has its card and its definition
    in both languages."""
    assert columns(
        month_rows(report_data, "support_kpis"), "avg_first_response_minutes",
        "avg_first_response_business_minutes", "avg_resolution_hours",
        "avg_resolution_business_hours", "contact_rate_per_100_orders",
    ) == [
        (25.0, 25.0, 99.0, 3.25, 100.0),
        (1.0, 1.0, 1.0, 1.0, 50.0),
        (None, None, None, None, 100.0),
        (None, None, None, None, 0.0),
    ]
    cards = {card["kpi"]: card for card in report_data["headline"]["month"]["cards"]}
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
    for lang, html in report_pages.items():
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


def test_cohorts_and_customer_dimension(report_data: dict[str, Any]) -> None:
    cohorts = report_data["datasets"]["cohort_retention"]
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
    stages = {row["key"]: row["customers"] for row in report_data["datasets"]["lifecycle_stages"]}
    assert stages == {"prospect": 1, "new": 1, "active": 1, "at_risk": 0, "churned": 1}
    tiers = {row["key"]: row["customers"] for row in report_data["datasets"]["loyalty_tiers"]}
    assert tiers == {"none": 1, "one_time": 2, "repeat": 1, "loyal": 0}


def test_agent_scorecard_of_the_latest_complete_period(report_data: dict[str, Any]) -> None:
    """March (the latest complete month) has no agent activity (T4 has no agent); the
    latest complete quarter, Q1 2025, is January plus February of the README's table."""
    agents = report_data["datasets"]["agent_scorecard"]
    assert {row["period_grain"] for row in agents} == {"quarter"}
    assert columns(
        agents, "period_start", "agent_id", "agent_name", "team", "tickets_assigned",
        "tickets_resolved", "fcr_rate", "avg_resolution_hours", "resolution_sla_rate",
        "csat_responses", "csat_rate",
    ) == [
        ("2025-01-01", "A1", "Phạm Thu Hà", "CSKH Hà Nội", 2, 2, 0.5, 99.0, 0.5, 2, 0.5),
        ("2025-01-01", "A2", "Võ Quốc Việt", "unassigned", 1, 1, 0.0, 1.0, 1.0, 0, None),
    ]
    teams = {row["team"]: row for row in report_data["datasets"]["team_scorecard"]}
    assert set(teams) == {"CSKH Hà Nội", "unassigned"}
    for agent in agents:
        team = teams[agent["team"]]
        for column in ("tickets_assigned", "tickets_resolved", "fcr_rate", "csat_rate"):
            assert team[column] == agent[column]


def test_headline_cards_compare_with_the_previous_period(report_data: dict[str, Any]) -> None:
    month = report_data["headline"]["month"]
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
    assert report_data["headline"]["quarter"]["period_start"] == "2025-01-01"
    assert report_data["headline"]["quarter"]["previous_start"] is None
    assert report_data["headline"]["year"] == {
        "period_start": None, "period_name": None, "cards": []
    }


def test_data_quality_block(report_data: dict[str, Any], report_pages: dict[str, str]) -> None:
    counts = {
        row["source_table"]: (row["raw_rows"], row["valid_rows"], row["rejected_rows"])
        for row in report_data["datasets"]["source_reconciliation"]
    }
    assert counts == {
        "customers": (3, 3, 0),
        "orders": (6, 6, 0),
        "tickets": (4, 4, 0),
        "survey_responses": (5, 5, 0),
        "agents": (2, 2, 0),
    }
    assert report_data["datasets"]["rejected_rows"] == []
    assert report_data["quality_gates"] is None
    assert LABELS["vi"]["rejected_none"] in report_pages["vi"]
    assert LABELS["vi"]["gates_none"].split("`")[0] in report_pages["vi"]


# --------------------------------------------------------------------------
# The page's numbers equal the marts
# --------------------------------------------------------------------------


@pytest.mark.parametrize("mart", PERIOD_MARTS)
def test_period_datasets_are_the_marts_row_for_row(
    report_data: dict[str, Any], worked_example: Warehouse, mart: str
) -> None:
    expected = worked_example.rows(f"select * from marts.{mart}")
    embedded = report_data["datasets"][mart]
    assert len(embedded) == len(expected)
    by_key = {(row["period_grain"], row["period_start"]): row for row in embedded}
    for row in expected:
        page_row = by_key[(row["period_grain"], row["period_start"].isoformat())]
        for column, value in row.items():
            assert page_row[column] == as_embedded(value), (mart, column, row["period_start"])


def test_agent_rows_are_the_marts(report_data: dict[str, Any], worked_example: Warehouse) -> None:
    expected = worked_example.rows(
        "select agent_id, tickets_resolved, csat_rate from marts.agent_scorecard "
        "where period_grain = 'quarter' and period_start = date '2025-01-01' order by 1"
    )
    assert columns(report_data["datasets"]["agent_scorecard"], "agent_id", "tickets_resolved",
                   "csat_rate") == [tuple(row.values()) for row in expected]

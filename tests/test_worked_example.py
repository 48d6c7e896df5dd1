"""The contract's worked example, end to end: every customer-side value of
tests/fixtures/worked-example/README.md, typed in from the README, and its
business time ticket by ticket (the support marts' values are in
tests/test_support_marts.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from conftest import Warehouse


@pytest.fixture(scope="module")
def warehouse(worked_example: Warehouse) -> Warehouse:
    """The session's build of the worked example (conftest)."""
    return worked_example


def test_as_of_and_period_coverage(warehouse: Warehouse) -> None:
    assert warehouse.scalar("select as_of_at from intermediate.int_reporting_window") == (
        datetime(2025, 4, 2)
    )
    months = warehouse.rows(
        "select period_start, period_end, is_complete from marts.revenue "
        "where period_grain = 'month' order by period_start"
    )
    assert [m["period_start"] for m in months] == [date(2025, m, 1) for m in (1, 2, 3, 4)]
    assert months[-1]["period_end"] == date(2025, 4, 30)
    assert [m["is_complete"] for m in months] == [True, True, True, False]
    weeks = warehouse.rows(
        "select min(period_start) as first, max(period_start) as last, count(*) as n "
        "from marts.revenue where period_grain = 'week'"
    )[0]
    assert weeks == {"first": date(2024, 12, 30), "last": date(2025, 3, 31), "n": 14}
    quarters = warehouse.rows(
        "select period_start, is_complete from marts.revenue "
        "where period_grain = 'quarter' order by 1"
    )
    assert quarters == [
        {"period_start": date(2025, 1, 1), "is_complete": True},
        {"period_start": date(2025, 4, 1), "is_complete": False},
    ]


def test_customer_retention_months(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        "select customers_start, customers_end, new_customers, retained_customers, "
        "churned_customers, reactivated_customers, retention_rate, churn_rate, "
        "retention_rate_textbook, churn_rate_textbook from marts.customer_retention "
        "where period_grain = 'month' order by period_start"
    )
    expected = [
        (0, 2, 2, 0, 0, 0, None, None, None, None),
        (2, 1, 0, 1, 1, 0, 0.5, 0.5, 0.5, 0.5),
        (1, 1, 1, 0, 1, 0, 0.0, 1.0, 0.0, 0.0),
        (1, 2, 0, 1, 0, 1, 1.0, 0.0, 2.0, -1.0),
    ]
    assert [tuple(row.values()) for row in rows] == expected


def test_revenue_months(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        "select orders, completed_orders, cancelled_orders, cancellation_rate, revenue, "
        "revenue_new_customers, revenue_returning_customers, returning_revenue_share, "
        "avg_order_value, buyers from marts.revenue where period_grain = 'month' "
        "order by period_start"
    )
    expected = [
        (2, 2, 0, 0.0, 300, 300, 0, 0.0, 150, 2),
        (2, 1, 1, 0.5, 150, 0, 150, 1.0, 150, 1),
        (1, 1, 0, 0.0, 120, 120, 0, 0.0, 120, 1),
        (1, 1, 0, 0.0, 80, 0, 80, 1.0, 80, 1),
    ]
    assert [tuple(row.values()) for row in rows] == expected


def test_cohort_retention(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        "select cohort_month, month_offset, cohort_size, active_customers, "
        "retention_rate, revenue from marts.cohort_retention order by 1, 2"
    )
    expected = [
        (date(2025, 1, 1), 0, 2, 2, 1.0, 300),
        (date(2025, 1, 1), 1, 2, 1, 0.5, 150),
        (date(2025, 1, 1), 2, 2, 0, 0.0, 0),
        (date(2025, 1, 1), 3, 2, 1, 0.5, 80),
        (date(2025, 3, 1), 0, 1, 1, 1.0, 120),
        (date(2025, 3, 1), 1, 1, 0, 0.0, 0),
    ]
    assert [tuple(row.values()) for row in rows] == expected


def test_dim_customers(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        "select customer_id, is_inferred, acquisition_channel, first_purchase_at, "
        "last_purchase_at, purchases, lifetime_revenue, tickets, latest_nps_score, "
        "avg_csat_rating, lifecycle_stage, loyalty_tier, is_vip, is_detractor "
        "from marts.dim_customers order by customer_id"
    )
    kh1_first, kh1_last = datetime(2025, 1, 5, 10), datetime(2025, 4, 1, 3)
    kh2, kh3 = datetime(2025, 1, 20, 12), datetime(2025, 3, 20, 14)
    expected = [
        ("KH1", False, "facebook", kh1_first, kh1_last, 3, Decimal(330), 1, 10, 5.0,
         "active", "repeat", True, False),
        ("KH2", False, "unknown", kh2, kh2, 1, Decimal(200), 1, 6, 2.0,
         "churned", "one_time", False, True),
        ("KH3", False, "zalo", kh3, kh3, 1, Decimal(120), 1, 9, None,
         "new", "one_time", False, False),
        ("KH9", True, "unknown", None, None, 0, Decimal(0), 1, None, None,
         "prospect", "none", False, False),
    ]
    assert [tuple(row.values()) for row in rows] == expected


def test_service_bands_at_as_of(warehouse: Warehouse) -> None:
    """README: the window is [2025-03-03, 2025-04-02); KH3's T4 is open, the other
    customers' tickets and surveys are older."""
    rows = warehouse.rows(
        "select customer_id, service_band from marts.dim_customers order by customer_id"
    )
    assert [tuple(row.values()) for row in rows] == [
        ("KH1", "no_ticket"), ("KH2", "no_ticket"), ("KH3", "unresolved"), ("KH9", "no_ticket"),
    ]


def test_service_retention_months(warehouse: Warehouse) -> None:
    """README: the non-empty bands of each month; every other band has no customer
    and null rates. Wilson at 95% for n = 1: (0.2065493, 1.0) for p = 1, (0.0,
    0.7934507) for p = 0."""
    rows = warehouse.rows(
        "select period_start, service_band, customers_start, retained_customers, "
        "churned_customers, retention_rate, retention_rate_ci_low, retention_rate_ci_high, "
        "retention_rate_vs_no_ticket from marts.service_retention "
        "where period_grain = 'month' order by period_start, service_band"
    )
    assert len(rows) == 4 * 5
    listed = {
        (date(2025, 2, 1), "served"): (1, 1, 0, 1.0, 0.2065493, 1.0, None),
        (date(2025, 2, 1), "unresolved"): (1, 0, 1, 0.0, 0.0, 0.7934507, None),
        (date(2025, 3, 1), "no_ticket"): (1, 0, 1, 0.0, 0.0, 0.7934507, 0.0),
        (date(2025, 4, 1), "unresolved"): (1, 1, 0, 1.0, 0.2065493, 1.0, None),
    }
    for row in rows:
        values = tuple(row.values())
        expected = listed.get(values[:2], (0, 0, 0, None, None, None, None))
        assert values[2:] == pytest.approx(expected, abs=5e-8), values[:2]
    starts = warehouse.rows(
        "select period_start, sum(customers_start) as start, sum(retained_customers) as kept, "
        "sum(churned_customers) as churned from marts.service_retention "
        "where period_grain = 'month' group by 1 order by 1"
    )
    assert [tuple(row.values())[1:] for row in starts] == [
        (0, 0, 0), (2, 1, 1), (1, 0, 1), (1, 1, 0),
    ]


def test_source_reconciliation(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        "select source_table, raw_rows, valid_rows, duplicate_rows, rejected_rows "
        "from audit.source_reconciliation order by source_table"
    )
    counts = {row["source_table"]: tuple(list(row.values())[1:]) for row in rows}
    assert counts == {
        "customers": (3, 3, 0, 0),
        "orders": (6, 6, 0, 0),
        "tickets": (4, 4, 0, 0),
        "survey_responses": (5, 5, 0, 0),
        "agents": (2, 2, 0, 0),
    }
    assert warehouse.scalar("select count(*) from audit.rejected_rows") == 0


def test_business_time_ticket_by_ticket(warehouse: Warehouse) -> None:
    """The README's table: both clocks, the priority's clock and the SLA
    statuses on it. T4 is unanswered: 182 calendar h and 50 business h to
    as_of, over its 480-minute response target, under its 72-hour
    resolution target."""
    rows = warehouse.rows(
        "select ticket_id, priority, sla_clock, first_response_minutes, "
        "first_response_business_minutes, resolution_hours, resolution_business_hours, "
        "first_response_sla_status, resolution_sla_status from marts.fct_tickets "
        "order by ticket_id"
    )
    assert [tuple(row.values()) for row in rows] == [
        ("T1", "high", "business", 30.0, 30.0, 6.0, 4.5, "met", "met"),
        ("T2", "urgent", "calendar", 20.0, 20.0, 192.0, 2.0, "breached", "breached"),
        ("T3", "normal", "business", 1.0, 1.0, 1.0, 1.0, "met", "met"),
        ("T4", "low", "business", None, None, None, None, "breached", "pending"),
    ]
    # The day spine's reading at as_of less T4's at creation: 50 business h.
    open_business_hours = warehouse.scalar(
        "select (days.business_microseconds_before - tickets.business_clock_at_creation)"
        " / 3600e6 from intermediate.int_business_days as days"
        " cross join intermediate.int_tickets_enriched as tickets"
        " where days.business_date = date '2025-04-02' and tickets.ticket_id = 'T4'"
    )
    assert open_business_hours == 50.0


def test_build_ran_the_data_tests_and_left_unit_tests_out(warehouse: Warehouse) -> None:
    """Builds run every data test; the unit tests run once per session in
    tests/test_unit_tests.py."""
    output = warehouse.result.stdout
    assert "customer_retention_start_identity" in output
    assert "assert_revenue_matches_fct_orders" in output
    assert "unit_test" not in output
    assert "ERROR=0" in output and "FAIL" not in output.replace("FAIL=0", "")


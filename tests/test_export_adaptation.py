"""Contract section 6, adapting an export, end to end.

- A Vietnamese export (data/examples/vietnamese_export, the README's example):
  Vietnamese headers mapped with raw_column_names (one header with stray
  spaces), dd/mm/yyyy HH:MM:SS and bare dd/mm/yyyy timestamps beside ISO ones,
  amounts such as 1.250.000 and 1.250.000,5, a byte-order mark, CRLF lines, a
  multi-line comment. Every expected value below is computed by hand.
- The same export as Vietnamese offices also save it
  (tests/vietnamese_examples.py): a CSV with `;` between fields and its var
  csv_delimiter, and Excel workbooks whose dates and amounts are date and
  number cells beside text cells. Each gives the same hand-computed values,
  and the three give the same marts, cell for cell.
- An orders-only shop and a helpdesk-only one (absent_tables).
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import (
    MODELS_ONLY,
    ORDERS_ONLY_VARS,
    WORKED_EXAMPLE_RAW,
    Warehouse,
    build,
    shared_build,
)
from spark_tables import compare_table, duckdb_table, duckdb_tables
from vietnamese_examples import COMMA, SEMICOLON, WORKBOOKS, write_semicolon, write_workbooks

from cs_analytics.raw.workbooks import read_sheet, sheet_records

EXAMPLE = COMMA
VERSIONS = {"comma": COMMA, "semicolon": SEMICOLON, "workbooks": WORKBOOKS}
# The derived versions build the models only: the comma's build runs the data
# tests, and the versions' marts are compared cell for cell below.


@pytest.fixture(scope="module")
def vietnamese_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Warehouse]:
    builds = {}
    for version, folder in VERSIONS.items():
        variables = yaml.safe_load((folder / "vars.yml").read_text(encoding="utf-8"))
        builds[version] = build(
            tmp_path_factory.mktemp(f"vi-{version}"), folder, variables,
            args=() if version == "comma" else MODELS_ONLY,
        )
    return builds


@pytest.fixture(scope="module", params=list(VERSIONS))
def vietnamese(
    vietnamese_builds: dict[str, Warehouse], request: pytest.FixtureRequest
) -> Warehouse:
    return vietnamese_builds[request.param]


def test_the_examples_are_the_ones_the_recipe_writes(tmp_path: Path) -> None:
    """data/examples/ holds what tests/vietnamese_examples.py writes from the
    original: the `;` CSV byte for byte, the workbooks cell for cell."""
    write_semicolon(tmp_path / "semicolon")
    write_workbooks(tmp_path / "workbooks")
    for written in sorted((tmp_path / "semicolon").iterdir()):
        assert written.read_bytes() == (SEMICOLON / written.name).read_bytes(), written.name
    for written in sorted((tmp_path / "workbooks").iterdir()):
        committed = WORKBOOKS / written.name
        if written.suffix == ".xlsx":
            assert list(sheet_records(read_sheet(committed)[1])) == list(
                sheet_records(read_sheet(written)[1])
            ), written.name
        else:
            assert written.read_bytes() == committed.read_bytes(), written.name
    assert {path.name for path in SEMICOLON.iterdir()} == {
        path.name for path in (tmp_path / "semicolon").iterdir()
    }


def test_the_three_versions_give_the_same_marts(vietnamese_builds: dict[str, Warehouse]) -> None:
    comma = vietnamese_builds["comma"].path
    tables = duckdb_tables(comma)
    assert ("marts", "revenue") in tables and ("audit", "source_reconciliation") in tables
    for version in ("semicolon", "workbooks"):
        other = vietnamese_builds[version].path
        assert duckdb_tables(other) == tables, version
        problems = [
            problem
            for schema, table in tables
            for problem in compare_table(
                duckdb_table(comma, schema, table), duckdb_table(other, schema, table),
                f"{version}: {schema}.{table}",
            )
        ]
        assert problems == []


def month_rows(warehouse: Warehouse, mart: str, columns: str) -> list[dict[str, object]]:
    return warehouse.rows(
        f"select period_start, {columns} from marts.{mart} "
        "where period_grain = 'month' order by period_start"
    )


def test_every_row_of_the_vietnamese_export_is_read(vietnamese: Warehouse) -> None:
    counts = vietnamese.rows(
        "select source_table, raw_rows, valid_rows, duplicate_rows, rejected_rows "
        "from audit.source_reconciliation order by source_table"
    )
    assert counts == [
        {"source_table": t, "raw_rows": n, "valid_rows": n, "duplicate_rows": 0,
         "rejected_rows": 0}
        for t, n in [("agents", 0), ("customers", 2), ("orders", 4),
                     ("survey_responses", 3), ("tickets", 3)]
    ]


def test_vietnamese_timestamps_amounts_and_text(vietnamese: Warehouse) -> None:
    orders = vietnamese.rows(
        "select order_id, customer_id, status, amount, ordered_at from marts.fct_orders "
        "order by order_id"
    )
    assert [
        (o["order_id"], o["status"], Decimal(o["amount"]), o["ordered_at"]) for o in orders
    ] == [
        ("DH1", "completed", Decimal("1250000"), datetime(2025, 1, 5, 10, 0)),
        ("DH2", "completed", Decimal("1250000.5"), datetime(2025, 1, 20, 14, 30)),
        ("DH3", "cancelled", Decimal("300000"), datetime(2025, 2, 10, 9, 0)),
        ("DH4", "completed", Decimal("2000000.25"), datetime(2025, 2, 15, 0, 0)),
    ]
    customers = vietnamese.rows(
        "select customer_id, city, acquisition_channel, signed_up_at, purchases, "
        "lifetime_revenue, tickets from marts.dim_customers order by customer_id"
    )
    assert [
        (c["customer_id"], c["city"], c["acquisition_channel"], c["signed_up_at"],
         c["purchases"], Decimal(c["lifetime_revenue"]), c["tickets"])
        for c in customers
    ] == [
        # KH1: DH1 + DH4 (DH3 is cancelled); tickets PH1 and PH3.
        ("KH1", "Hà Nội", "zalo", datetime(2024, 12, 1), 2, Decimal("3250000.25"), 2),
        ("KH2", "Đà Nẵng", "facebook", datetime(2024, 12, 15), 1, Decimal("1250000.5"), 1),
    ]
    comments = {
        r["response_id"]: r["comment"]
        for r in vietnamese.rows("select response_id, comment from marts.fct_survey_responses")
    }
    assert comments == {
        "PS1": "Rất tốt.\nSẽ quay lại.",
        "PS2": "Nhân viên nhiệt tình, nhưng phải chờ lâu",
        "PS3": 'Giao chậm\r\nlần thứ "hai"',
    }
    tickets = vietnamese.rows(
        "select ticket_id, channel, category, priority, contact_count, created_at, "
        "resolved_at from marts.fct_tickets order by ticket_id"
    )
    assert [tuple(t.values()) for t in tickets] == [
        ("PH1", "zalo", "giao hàng", "high", 1, datetime(2025, 1, 6, 8), datetime(2025, 1, 6, 12)),
        # "Cao" is not in the default ticket_priority_map: normal.
        ("PH2", "điện thoại", "đổi trả, hoàn tiền", "normal", 2, datetime(2025, 1, 21, 9),
         datetime(2025, 1, 23)),
        ("PH3", "email", "thanh toán", "low", 1, datetime(2025, 2, 12, 15), None),
    ]


def test_vietnamese_revenue_and_retention_by_hand(vietnamese: Warehouse) -> None:
    # as_of: the latest event is PS3, 2025-02-20 08:00, so 2025-02-21 00:00.
    revenue = month_rows(
        vietnamese, "revenue",
        "orders, completed_orders, cancelled_orders, revenue, revenue_new_customers, "
        "revenue_returning_customers, returning_revenue_share, avg_order_value, buyers, "
        "is_complete",
    )
    assert [(r["period_start"], r["orders"], r["completed_orders"], r["cancelled_orders"],
             Decimal(r["revenue"]), Decimal(r["revenue_new_customers"]),
             Decimal(r["revenue_returning_customers"]), r["returning_revenue_share"],
             r["avg_order_value"], r["buyers"], r["is_complete"]) for r in revenue] == [
        # January: DH1 + DH2, both first purchases.
        (date(2025, 1, 1), 2, 2, 0, Decimal("2500000.5"), Decimal("2500000.5"), Decimal("0"),
         0.0, 1250000.25, 2, True),
        # February: DH3 cancelled, DH4 from KH1, who first bought in January.
        (date(2025, 2, 1), 2, 1, 1, Decimal("2000000.25"), Decimal("0"),
         Decimal("2000000.25"), 1.0, 2000000.25, 1, False),
    ]
    retention = month_rows(
        vietnamese, "customer_retention",
        "customers_start, customers_end, new_customers, retained_customers, "
        "churned_customers, reactivated_customers, retention_rate",
    )
    assert [tuple(r.values())[1:] for r in retention] == [
        (0, 2, 2, 0, 0, 0, None),
        (2, 2, 0, 2, 0, 0, 1.0),
    ]
    cohorts = vietnamese.rows(
        "select cohort_month, month_offset, cohort_size, active_customers, revenue "
        "from marts.cohort_retention order by month_offset"
    )
    assert [(c["month_offset"], c["cohort_size"], c["active_customers"], Decimal(c["revenue"]))
            for c in cohorts] == [
        (0, 2, 2, Decimal("2500000.5")),
        (1, 2, 1, Decimal("2000000.25")),
    ]


def test_vietnamese_support_and_surveys_by_hand(vietnamese: Warehouse) -> None:
    support = month_rows(
        vietnamese, "support_kpis",
        "tickets_created, tickets_resolved, backlog_end, resolution_rate, fcr_rate, "
        "avg_first_response_minutes, avg_resolution_hours, first_response_sla_rate, "
        "resolution_sla_rate",
    )
    assert [tuple(r.values())[1:] for r in support] == [
        # SLA on the default clocks (business hours for high, normal, low).
        # PH1 (high, Monday 08:00): 30 min, 4 h: met, met. PH2 (normal,
        # Tuesday 09:00): 240 calendar min but 180 business min to 13:00
        # (the lunch break ends at 13:30): met; resolved Thursday 00:00, 39
        # calendar h but 7 + 8 = 15 business h: met. Two contacts (no FCR).
        (2, 2, 0, 1.0, 0.5, 135.0, 21.5, 1.0, 1.0),
        # PH3 (low, Wednesday 15:00), unanswered at as_of (Friday 21/2
        # 00:00): 2.5 + 8 + 8 + 4 + 4 x 8 = 54.5 business h, over 480 min
        # (breached) but not over 72 h (pending: no resolution SLA rate).
        (1, 0, 1, 0.0, None, None, None, 0.0, None),
    ]
    nps = month_rows(vietnamese, "nps", "responses, promoters, detractors, nps")
    assert [tuple(r.values())[1:] for r in nps] == [(1, 1, 0, 100.0), (1, 0, 1, -100.0)]
    csat = month_rows(vietnamese, "csat", "responses, satisfied, csat_rate, avg_rating")
    assert [tuple(r.values())[1:] for r in csat] == [(1, 1, 1.0, 4.0), (0, 0, None, None)]
    agents = vietnamese.rows(
        "select period_start, agent_id, agent_name, team, tickets_assigned, tickets_resolved, "
        "fcr_rate, avg_resolution_hours, resolution_sla_rate, csat_responses, csat_rate "
        "from marts.agent_scorecard where period_grain = 'month' order by period_start"
    )
    # NV1 is not in any agents file (declared absent): no name, team unassigned.
    assert [tuple(a.values()) for a in agents] == [
        (date(2025, 1, 1), "NV1", None, "unassigned", 2, 2, 0.5, 21.5, 1.0, 1, 1.0),
    ]


@pytest.fixture(scope="module")
def orders_only(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The session's one build of this shop (tests/test_report_browser.py
    reports on it)."""
    raw = tmp_path_factory.mktemp("orders-only-raw")
    for table in ("customers", "orders"):
        shutil.copy(WORKED_EXAMPLE_RAW / f"{table}.csv", raw / f"{table}.csv")
    return shared_build(tmp_path_factory, raw, ORDERS_ONLY_VARS)


def test_an_orders_only_shop_gets_its_customer_marts(orders_only: Warehouse) -> None:
    revenue = month_rows(orders_only, "revenue", "revenue")
    assert [float(r["revenue"]) for r in revenue] == [300, 150, 120, 80]
    support = month_rows(orders_only, "support_kpis", "tickets_created, backlog_end, fcr_rate")
    assert [tuple(r.values())[1:] for r in support] == [(0, 0, None)] * 4
    nps = month_rows(orders_only, "nps", "responses, nps")
    assert [tuple(r.values())[1:] for r in nps] == [(0, None)] * 4
    assert orders_only.scalar("select count(*) from marts.agent_scorecard") == 0
    assert orders_only.scalar("select count(*) from marts.fct_tickets") == 0
    reconciliation = orders_only.rows(
        "select source_table, raw_rows from audit.source_reconciliation order by 1"
    )
    assert reconciliation == [
        {"source_table": "agents", "raw_rows": 0},
        {"source_table": "customers", "raw_rows": 3},
        {"source_table": "orders", "raw_rows": 6},
        {"source_table": "survey_responses", "raw_rows": 0},
        {"source_table": "tickets", "raw_rows": 0},
    ]


@pytest.fixture(scope="module")
def helpdesk_only(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    raw = tmp_path_factory.mktemp("helpdesk-only-raw")
    for table in ("customers", "tickets", "survey_responses", "agents"):
        shutil.copy(WORKED_EXAMPLE_RAW / f"{table}.csv", raw / f"{table}.csv")
    # Models only: the nightly job builds a helpdesk-only shop with its data
    # tests (tests/test_orchestration_exports.py).
    return build(
        tmp_path_factory.mktemp("helpdesk-only"), raw,
        {"churn_window_days": 30, "absent_tables": ["orders"]}, args=MODELS_ONLY,
    )


def test_a_helpdesk_only_shop_gets_its_support_marts(helpdesk_only: Warehouse) -> None:
    # The worked example's tickets and surveys (its README): created 2, 1, 1
    # in January to March, resolved 1, 2, 0; NPS 3 answers in January.
    support = month_rows(helpdesk_only, "support_kpis", "tickets_created, tickets_resolved")
    assert [tuple(r.values())[1:] for r in support][:3] == [(2, 1), (1, 2), (1, 0)]
    nps = month_rows(helpdesk_only, "nps", "responses, promoters, detractors")
    assert [tuple(r.values())[1:] for r in nps][0] == (3, 2, 1)
    revenue = month_rows(helpdesk_only, "revenue", "orders, revenue")
    assert {(r["orders"], float(r["revenue"])) for r in revenue} == {(0, 0.0)}
    retention = month_rows(helpdesk_only, "customer_retention", "customers_end")
    assert {r["customers_end"] for r in retention} == {0}
    stages = helpdesk_only.rows(
        "select distinct lifecycle_stage, loyalty_tier from marts.dim_customers"
    )
    assert stages == [{"lifecycle_stage": "prospect", "loyalty_tier": "none"}]
    assert helpdesk_only.scalar("select count(*) from marts.cohort_retention") == 0
    assert helpdesk_only.scalar(
        "select raw_rows from audit.source_reconciliation where source_table = 'orders'"
    ) == 0

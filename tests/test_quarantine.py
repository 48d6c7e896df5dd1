"""Bad input never crashes the build and never disappears (contract section
4): a raw folder with bad rows of every reason, each expected reason written
by hand next to its row."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from conftest import WITHOUT_UNIT_TESTS, Warehouse, build, run_dbt, writable_copy, write_csv

# (row, expected reason or None for a valid row kept)
ORDERS = (
    ["order_id", "customer_id", "status", "amount", "ordered_at", "updated_at"],
    [
        (["o-ok", "c1", "completed", "100", "2025-01-05 10:00:00", ""], None),
        (["   ", "c1", "completed", "1", "2025-01-05", ""], "missing_key"),
        (["", "c1", "completed", "1", "2025-01-05", ""], "missing_key"),
        (["o-nocust", " ", "completed", "1", "2025-01-05", ""], "missing_customer"),
        (["o-badts", "c1", "completed", "1", "2025-13-45", ""], "invalid_timestamp"),
        (["o-hour24", "c1", "completed", "1", "2025-01-05 24:00:00", ""], "invalid_timestamp"),
        (["o-nots", "c1", "completed", "1", "", ""], "invalid_timestamp"),
        (["o-badupd", "c1", "completed", "1", "2025-01-05", "yesterday"], "invalid_timestamp"),
        (["o-status", "c1", "lost in mail", "1", "2025-01-05", ""], "invalid_status"),
        (["o-comma", "c1", "completed", "1,000", "2025-01-05", ""], "invalid_amount"),
        (["o-neg", "c1", "completed", "-5", "2025-01-05", ""], "invalid_amount"),
        (["o-nan", "c1", "completed", "NaN", "2025-01-05", ""], "invalid_amount"),
        (["o-cur", "c1", "completed", "$12", "2025-01-05", ""], "invalid_amount"),
        (["o-noamt", "c1", "completed", "", "2025-01-05", ""], "invalid_amount"),
        (["o-dup", "c1", "completed", "10", "2025-01-06", "2025-01-07"], "duplicate_key"),
        (["o-dup", "c1", "completed", "20", "2025-01-06", "2025-01-08"], None),
        (["o-dup", "c1", "completed", "-1", "2025-01-06", "2025-01-09"], "invalid_amount"),
    ],
)
TICKETS = (
    ["ticket_id", "customer_id", "priority", "created_at", "first_response_at",
     "resolved_at", "contact_count", "reopen_count", "wait_seconds"],
    [
        (["t-ok", "c1", "High", "2025-01-05 10:00", "2025-01-05 10:30", "", "", "", ""], None),
        (["", "c1", "", "2025-01-05", "", "", "", "", ""], "missing_key"),
        (["t-nocreated", "c1", "", "", "", "", "", "", ""], "invalid_timestamp"),
        (["t-badresp", "c1", "", "2025-01-05", "soon", "", "", "", ""], "invalid_timestamp"),
        (["t-frac", "c1", "", "2025-01-05", "", "", "4.5", "", ""], "invalid_count"),
        (["t-two", "c1", "", "2025-01-05", "", "", "2.0", "", ""], "invalid_count"),
        (["t-zero", "c1", "", "2025-01-05", "", "", "0", "", ""], "invalid_count"),
        (["t-negreopen", "c1", "", "2025-01-05", "", "", "", "-1", ""], "invalid_count"),
        (["t-word", "c1", "", "2025-01-05", "", "", "", "", "two"], "invalid_count"),
        (["t-negwait", "c1", "", "2025-01-05", "", "", "", "", "-3"], "invalid_count"),
        (["t-early", "c1", "", "2025-01-05 10:00", "2025-01-05 09:00", "", "", "", ""],
         "response_before_creation"),
        (["t-early2", "c1", "", "2025-01-05 10:00", "", "2025-01-05 09:00", "", "", ""],
         "resolved_before_creation"),
        (["t-sci", "c1", "", "2025-01-05", "", "", "", "1e3", ""], "invalid_count"),
    ],
)
SURVEYS = (
    ["response_id", "survey_type", "customer_id", "ticket_id", "score", "submitted_at"],
    [
        # Loses to the same key further down the file (no updated_at column).
        (["s-ok", "NPS", "c1", "", "9", "2025-01-06"], "duplicate_key"),
        (["s-ok2", "csat", "c1", "t-ok", "3", "2025-01-06"], None),
        ([" ", "nps", "c1", "", "9", "2025-01-06"], "missing_key"),
        (["s-ts", "nps", "c1", "", "9", "06/01/2025"], "invalid_timestamp"),
        (["s-type", "ces", "c1", "", "3", "2025-01-06"], "invalid_survey_type"),
        (["s-notype", "", "c1", "", "3", "2025-01-06"], "invalid_survey_type"),
        (["s-hi", "nps", "c1", "", "11", "2025-01-06"], "invalid_score"),
        (["s-lo", "csat", "c1", "", "0", "2025-01-06"], "invalid_score"),
        (["s-frac", "csat", "c1", "", "4.5", "2025-01-06"], "invalid_score"),
        (["s-null", "csat", "c1", "", "", "2025-01-06"], "invalid_score"),
        (["s-ok", "nps", "c1", "", "10", "2025-01-06"], None),
    ],
)
CUSTOMERS = (
    ["customer_id", "full_name", "signed_up_at"],
    [
        (["c1", "Nguyễn Văn An (old)", "2024-11-01"], "duplicate_key"),
        (["", "Trần Thị Bình", "2024-12-01"], "missing_key"),
        (["c2", "Lê Minh Châu", "2024-02-30"], "invalid_timestamp"),
        (["c1", "Nguyễn Văn An", "2024-12-01"], None),
    ],
)
AGENTS = (
    ["agent_id", "agent_name", "team", "updated_at"],
    [
        (["a1", "Phạm Thu Hà", "CSKH", ""], None),
        (["", "Nobody", "CSKH", ""], "missing_key"),
        (["a2", "Võ Quốc Việt", "", "not a date"], "invalid_timestamp"),
    ],
)
TABLES = {
    "orders": ORDERS, "tickets": TICKETS, "survey_responses": SURVEYS,
    "customers": CUSTOMERS, "agents": AGENTS,
}
KEYS = {"orders": "order_id", "tickets": "ticket_id", "survey_responses": "response_id",
        "customers": "customer_id", "agents": "agent_id"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    raw: Path = tmp_path_factory.mktemp("bad-raw")
    for table, (header, rows) in TABLES.items():
        write_csv(raw, table, header, [row for row, _ in rows])
    # Every table is mostly bad here: allow it, the share test is not the point.
    return build(tmp_path_factory.mktemp("bad"), raw, {"max_rejected_share": 1})


def test_build_succeeds_and_warns_about_rejections(warehouse: Warehouse) -> None:
    assert "warn_rejected_rows_present" in warehouse.result.stdout
    assert "WARN" in warehouse.result.stdout


@pytest.mark.parametrize("table", list(TABLES))
def test_every_bad_row_is_quarantined_with_its_reason(warehouse: Warehouse, table: str) -> None:
    header, rows = TABLES[table]
    quarantined = warehouse.rows(
        "select source_key, reason, source_row_number, raw_record from audit.rejected_rows "
        f"where source_table = '{table}' order by source_row_number"
    )
    expected = [
        (position, reason)
        for position, (_, reason) in enumerate(rows, start=1)
        if reason is not None
    ]
    assert [(q["source_row_number"], q["reason"]) for q in quarantined] == expected
    for record in quarantined:
        original = rows[record["source_row_number"] - 1][0]
        as_json = json.loads(record["raw_record"])
        assert [as_json[column] or "" for column in header] == original
        key = original[header.index(KEYS[table])].strip() or None
        assert record["source_key"] == key


@pytest.mark.parametrize("table", list(TABLES))
def test_reconciliation_counts(warehouse: Warehouse, table: str) -> None:
    _, rows = TABLES[table]
    reasons = [reason for _, reason in rows]
    counts = warehouse.rows(
        "select raw_rows, valid_rows, duplicate_rows, rejected_rows "
        f"from audit.source_reconciliation where source_table = '{table}'"
    )
    assert counts == [{
        "raw_rows": len(rows),
        "valid_rows": reasons.count(None),
        "duplicate_rows": reasons.count("duplicate_key"),
        "rejected_rows": len(rows) - reasons.count(None) - reasons.count("duplicate_key"),
    }]


def test_valid_rows_flow_into_the_marts(warehouse: Warehouse) -> None:
    orders = warehouse.rows("select order_id, amount from marts.fct_orders order by 1")
    assert [(o["order_id"], float(o["amount"])) for o in orders] == [
        ("o-dup", 20.0), ("o-ok", 100.0)]
    assert warehouse.scalar("select count(*) from marts.dim_customers") == 1


def test_too_many_rejected_rows_keep_the_previous_marts(
    tmp_path: Path, worked_example: Warehouse
) -> None:
    """Above max_rejected_share the build fails with an error that names each
    table, its share, its top reasons with an example, and the two ways out;
    the marts of the previous good build (a copy of the session's worked
    example) stay exactly as they were."""
    work = tmp_path / "wh"
    warehouse = writable_copy(worked_example, work)
    before = mart_contents(warehouse)

    raw = tmp_path / "raw"
    for table, (header, rows) in TABLES.items():
        write_csv(raw, table, header, [row for row, _ in rows])
    _, result = run_dbt(["build", *WITHOUT_UNIT_TESTS], work, raw)
    assert result.returncode != 0
    output = result.stdout
    assert "Too many rejected rows (more than var max_rejected_share = 0.05" in output
    orders_rows = len(TABLES["orders"][1])
    orders_rejected = sum(
        1 for _, reason in TABLES["orders"][1] if reason not in (None, "duplicate_key")
    )
    assert f"orders: {100 * orders_rejected / orders_rows:.1f}% of its {orders_rows} rows" in output
    assert "invalid_amount 6 (e.g. {" in output
    assert "Fix the export" in output
    assert '--vars "{max_rejected_share: 0.5}"' in output
    assert "SKIP relation staging.stg_shop__orders" in output
    assert mart_contents(warehouse) == before
    # The audit describes the new, refused export.
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (quarantined,) = con.execute(
            "select count(*) from audit.rejected_rows where source_table = 'orders'"
        ).fetchone()
    assert quarantined == sum(1 for _, reason in TABLES["orders"][1] if reason is not None)


def mart_contents(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            table: con.execute(f"select * from marts.{table} order by all").fetchall()
            for table in tables
        }

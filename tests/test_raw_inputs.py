"""How the raw folder is read (contract sections 1 and 5): missing files,
CSV or Parquet (workbooks: test_workbooks.py), columns in any order, extra or
absent columns, an absent agents file, and an explicit as_of_date."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from conftest import MODELS_ONLY, WORKED_EXAMPLE_RAW, Warehouse, build, run_dbt, write_csv

WORKED_EXAMPLE_MONTHLY_REVENUE = [300, 150, 120, 80]


def copy_worked_example(target: Path) -> Path:
    shutil.copytree(WORKED_EXAMPLE_RAW, target)
    return target


def test_missing_required_file_stops_the_build_with_one_sentence(tmp_path: Path) -> None:
    raw = copy_worked_example(tmp_path / "raw")
    (raw / "orders.csv").unlink()
    warehouse, result = run_dbt(["build"], tmp_path / "wh", raw)
    assert result.returncode != 0
    message = (
        f"The raw file orders.csv (or orders.parquet, or orders.xlsx) is missing from the raw "
        f"folder '{raw}': add it, or point CS_RAW_DIR at the folder of your export."
    )
    assert message in result.stdout
    assert "OK created" not in result.stdout


def test_a_table_in_both_formats_is_refused(tmp_path: Path) -> None:
    raw = copy_worked_example(tmp_path / "raw")
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_csv('{raw}/agents.csv', all_varchar = true)) "
            f"to '{raw}/agents.parquet' (format parquet)"
        )
    _, result = run_dbt(["build"], tmp_path / "wh", raw)
    assert result.returncode != 0
    assert (
        "holds agents.csv and agents.parquet, more than one file for the table agents: keep "
        "exactly one of them." in result.stdout
    )


@pytest.fixture(scope="module")
def parquet_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The worked example as Parquet, columns reversed, an extra column, a
    padded header, no updated_at anywhere and no agents file."""
    source = WORKED_EXAMPLE_RAW
    raw = tmp_path_factory.mktemp("parquet-raw")
    with duckdb.connect() as con:
        for table in ["customers", "orders", "tickets", "survey_responses"]:
            csv = source / f"{table}.csv"
            columns = [
                row[0]
                for row in con.execute(
                    f"describe select * from read_csv('{csv}', all_varchar = true)"
                ).fetchall()
            ]
            reordered = ", ".join(f'"{c}"' for c in reversed(columns))
            con.execute(
                f"copy (select {reordered}, 'x' as export_batch "
                f"from read_csv('{csv}', all_varchar = true)) "
                f"to '{raw}/{table}.parquet' (format parquet)"
            )
    # Models only: the data tests run on the worked example's CSV build, and
    # the marts of this one are compared with its values.
    return build(
        tmp_path_factory.mktemp("parquet"), raw, {"churn_window_days": 30}, args=MODELS_ONLY
    )


def test_parquet_input_gives_the_worked_example(parquet_warehouse: Warehouse) -> None:
    revenue = parquet_warehouse.rows(
        "select revenue from marts.revenue where period_grain = 'month' order by period_start"
    )
    assert [float(r["revenue"]) for r in revenue] == WORKED_EXAMPLE_MONTHLY_REVENUE
    retention = parquet_warehouse.rows(
        "select customers_end from marts.customer_retention "
        "where period_grain = 'month' order by period_start"
    )
    assert [r["customers_end"] for r in retention] == [2, 1, 1, 2]


def test_absent_agents_file_is_a_row_of_zeros(parquet_warehouse: Warehouse) -> None:
    agents = parquet_warehouse.rows(
        "select raw_rows, valid_rows, duplicate_rows, rejected_rows "
        "from audit.source_reconciliation where source_table = 'agents'"
    )
    assert agents == [{"raw_rows": 0, "valid_rows": 0, "duplicate_rows": 0, "rejected_rows": 0}]
    teams = parquet_warehouse.rows(
        "select distinct agent_name, team from marts.agent_scorecard"
    )
    assert teams == [{"agent_name": None, "team": "unassigned"}]


@pytest.fixture(scope="module")
def early_as_of(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    raw = copy_worked_example(tmp_path_factory.mktemp("asof") / "raw")
    return build(tmp_path_factory.mktemp("asof-wh"), raw,
                 {"churn_window_days": 30, "as_of_date": "2025-01-26"})


def test_as_of_date_drops_later_events(early_as_of: Warehouse) -> None:
    assert early_as_of.scalar("select as_of_at from intermediate.int_reporting_window") == (
        datetime(2025, 1, 26))
    months = early_as_of.rows(
        "select period_start, period_end, is_complete, orders, revenue from marts.revenue "
        "where period_grain = 'month'"
    )
    assert [(m["period_start"], m["period_end"], m["is_complete"], m["orders"],
             float(m["revenue"])) for m in months] == [
        (date(2025, 1, 1), date(2025, 1, 31), False, 2, 300.0)]
    assert early_as_of.rows("select order_id from marts.fct_orders order by 1") == [
        {"order_id": "O1"}, {"order_id": "O2"}]


def test_as_of_date_keeps_customers_and_drops_later_contacts(early_as_of: Warehouse) -> None:
    customers = early_as_of.rows(
        "select customer_id, purchases, tickets, latest_nps_score, lifecycle_stage "
        "from marts.dim_customers order by 1"
    )
    assert customers == [
        {"customer_id": "KH1", "purchases": 1, "tickets": 1, "latest_nps_score": 10,
         "lifecycle_stage": "new"},
        {"customer_id": "KH2", "purchases": 1, "tickets": 1, "latest_nps_score": None,
         "lifecycle_stage": "new"},
        {"customer_id": "KH3", "purchases": 0, "tickets": 0, "latest_nps_score": None,
         "lifecycle_stage": "prospect"},
    ]


def test_resolution_after_as_of_has_not_happened(early_as_of: Warehouse) -> None:
    ticket = early_as_of.rows(
        "select resolved_at, is_resolved, first_response_sla_status, resolution_sla_status "
        "from marts.fct_tickets where ticket_id = 'T2'"
    )
    # Urgent: answered in 20 minutes (target 15), unresolved 14 hours after
    # creation at as_of (target 4 hours).
    assert ticket == [{"resolved_at": None, "is_resolved": False,
                       "first_response_sla_status": "breached",
                       "resolution_sla_status": "breached"}]
    january = early_as_of.rows(
        "select tickets_created, tickets_resolved, backlog_end from marts.support_kpis "
        "where period_grain = 'month'"
    )
    assert january == [{"tickets_created": 2, "tickets_resolved": 1, "backlog_end": 1}]


@pytest.fixture(scope="module")
def ragged_and_typed(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The worked example with two ragged order rows, and its tickets as a
    Parquet file with typed columns (one build for both)."""
    raw = copy_worked_example(tmp_path_factory.mktemp("ragged-typed") / "raw")
    with (raw / "orders.csv").open("a", encoding="utf-8") as handle:
        handle.write("O7,KH1,completed\n")  # amount and ordered_at missing
        handle.write("O8,KH2,completed,90,2025-03-01 10:00:00,surplus\n")
    with duckdb.connect() as con:
        con.execute(
            f"copy (select ticket_id, customer_id, agent_id, channel, category, priority, "
            f"cast(created_at as timestamp) as created_at, first_response_at, resolved_at, "
            f"cast(contact_count as double) as contact_count, "
            f"cast(reopen_count as double) as reopen_count, "
            f"cast(wait_seconds as double) as wait_seconds "
            f"from read_csv('{raw}/tickets.csv', all_varchar = true)) "
            f"to '{raw}/tickets.parquet' (format parquet)"
        )
    (raw / "tickets.csv").unlink()
    # O7 is 1 of 8 orders, above the default rejected share.
    return build(tmp_path_factory.mktemp("ragged-typed-wh"), raw, {"max_rejected_share": 1})


def test_ragged_csv_rows_are_validated_not_fatal(ragged_and_typed: Warehouse) -> None:
    quarantined = ragged_and_typed.rows(
        "select source_key, reason from audit.rejected_rows order by source_key"
    )
    assert quarantined == [{"source_key": "O7", "reason": "invalid_timestamp"}]
    amount = ragged_and_typed.scalar("select amount from marts.fct_orders where order_id = 'O8'")
    assert float(amount) == 90.0


def test_typed_parquet_columns_are_read_as_their_values(ragged_and_typed: Warehouse) -> None:
    rejected = "select count(*) from audit.rejected_rows where source_table = 'tickets'"
    assert ragged_and_typed.scalar(rejected) == 0
    tickets = ragged_and_typed.rows(
        "select ticket_id, contact_count, reopen_count, wait_seconds from marts.fct_tickets "
        "order by ticket_id"
    )
    assert [tuple(t.values()) for t in tickets] == [
        ("T1", 1, 0, 45), ("T2", 2, 0, None), ("T3", 1, 1, 90), ("T4", 1, 0, None)]


def test_an_export_without_any_valid_event_builds_empty_marts(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_csv(raw, "customers", ["customer_id", "city"], [["KH1", "Huế"]])
    write_csv(raw, "orders", ["order_id", "customer_id", "status", "amount", "ordered_at"],
              [["O1", "KH1", "completed", "10", "not a date"]])
    write_csv(raw, "tickets", ["ticket_id", "created_at"], [])
    write_csv(raw, "survey_responses", ["response_id", "survey_type", "score", "submitted_at"],
              [])
    warehouse = build(tmp_path / "wh", raw, {"max_rejected_share": 1})
    assert warehouse.scalar("select count(*) from marts.customer_retention") == 0
    assert warehouse.rows("select customer_id, lifecycle_stage from marts.dim_customers") == [
        {"customer_id": "KH1", "lifecycle_stage": "prospect"}]
    assert warehouse.rows(
        "select reason from audit.rejected_rows where source_table = 'orders'"
    ) == [{"reason": "invalid_timestamp"}]


@pytest.mark.parametrize("clash", [False, True], ids=["numbered-by-duckdb", "own-file_row_number"])
def test_parquet_rows_are_numbered_by_their_place_in_the_file(tmp_path: Path, clash: bool) -> None:
    """source_row_number is a row's place in its Parquet file, from 1, across
    row groups read in parallel; a file with its own `file_row_number`
    column (DuckDB then refuses to add its own) is numbered by the window."""
    from cs_analytics.raw.export_settings import load_export_settings
    from cs_analytics.raw.files import inspect_folder
    from cs_analytics.raw.reader import reader_select
    from cs_analytics.raw.tables import raw_tables

    raw = copy_worked_example(tmp_path / "raw")
    (raw / "agents.csv").unlink()
    # Ids that do not sort in file order, in 25 row groups of 200 rows.
    agent_ids = [f"A{(index * 7919) % 5000:04d}" for index in range(5000)]
    extra = ", 'theirs' as file_row_number" if clash else ""
    with duckdb.connect() as con:
        con.execute(
            f"copy (select agent_ids[i] as agent_id, 'Team ' || (i % 3) as team{extra} "
            f"from (select ? as agent_ids), range(1, 5001) as r(i) order by i) "
            f"to '{raw}/agents.parquet' (format parquet, row_group_size 200)",
            [agent_ids],
        )
    agents = inspect_folder(raw, load_export_settings({}))["agents"]
    with duckdb.connect() as con:
        con.execute("set threads = 2; set preserve_insertion_order = false")
        numbered = con.execute(
            f"select source_row_number, agent_id, raw_record from "
            f"{reader_select(agents, raw_tables()['agents'].column_names)} "
            "order by source_row_number"
        ).fetchall()
        picked = con.execute(
            f"select source_row_number, raw_record from "
            f"{reader_select(agents, ['agent_id'], rows='(7, 4999)')} order by 1"
        ).fetchall()
    assert [(number, agent) for number, agent, _ in numbered] == list(
        enumerate(agent_ids, start=1)
    )
    assert picked == [(7, numbered[6][2]), (4999, numbered[4998][2])]
    assert agent_ids[6] in picked[0][1]

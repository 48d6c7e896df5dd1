"""Generation in blocks (as scale XL runs), on a small scale cut into several blocks:
every table shared out, ids without gaps, every relationship and every fault kept,
one Parquet row group per block, the same bytes every time; and the progress line.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from contract_validators import (
    REASONS,
    TABLES,
    column_values,
    expected_reasons,
    file_bytes,
    ids,
    reasons,
    valid_rows,
)

from cs_analytics import generate as gen
from cs_analytics.generate.progress import Progress

BLOCKED = gen.Scale("blocked", 2_000, 20_000, 6_000, 4_000, 12, 2, date(2024, 1, 1), "csv")
SMALL_BLOCK = 500


@pytest.fixture(scope="module")
def blocked_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("blocked")
    gen.generate(out, BLOCKED, seed=11, bad_rows=True, block_customers=SMALL_BLOCK)
    return out


def test_blocks_share_out_every_table_and_number_ids_without_gaps() -> None:
    blocks = gen.plan_blocks(BLOCKED, SMALL_BLOCK)
    assert len(blocks) == 4
    for table in ("customers", "orders", "tickets", "survey_responses"):
        assert sum(b.valid_rows(table) for b in blocks) == getattr(BLOCKED, table)
    for first, size in (
        ("first_customer", "customers"),
        ("first_order", "orders"),
        ("first_ticket", "tickets"),
        ("first_response", "survey_responses"),
        ("first_late_customer", "late_customers"),
        ("first_stranger", "strangers"),
    ):
        for before, after in zip(blocks, blocks[1:], strict=False):
            assert getattr(after, first) == getattr(before, first) + getattr(before, size)
    assert blocks[0].first_late_customer == BLOCKED.customers + 1
    assert blocks[0].first_stranger == blocks[-1].first_late_customer + blocks[-1].late_customers


def test_blocks_keep_every_relationship(blocked_set: Path) -> None:
    blocks = gen.plan_blocks(BLOCKED, SMALL_BLOCK)
    customers = ids([r["customer_id"] for r in valid_rows(blocked_set, "customers")])
    assert len(customers) == BLOCKED.customers
    orders = valid_rows(blocked_set, "orders")
    assert len(orders) == BLOCKED.orders
    late = {r["customer_id"] for r in orders} - customers
    assert len(late) == sum(b.late_customers for b in blocks), "late-arriving customers"
    assert all(int((c or "C0")[1:]) > BLOCKED.customers for c in late)
    tickets = valid_rows(blocked_set, "tickets")
    assert len(tickets) == BLOCKED.tickets
    strangers = ids([r["customer_id"] for r in tickets]) - customers - late
    assert strangers and all(int(c[1:]) >= blocks[0].first_stranger for c in strangers)
    agents = ids(column_values(blocked_set, "agents", "agent_id"))
    assigned = ids([r["agent_id"] for r in tickets])
    assert len(assigned - agents) <= 2, "only the agents who left"
    surveys = valid_rows(blocked_set, "survey_responses")
    assert len(surveys) == BLOCKED.survey_responses
    about = [r["ticket_id"] for r in surveys if r["ticket_id"]]
    assert set(about) <= {r["ticket_id"] for r in tickets}
    assert len(about) == len(set(about)), "at most one response per ticket"


@pytest.mark.parametrize("table", sorted(REASONS))
def test_blocks_inject_every_fault_in_every_block(blocked_set: Path, table: str) -> None:
    blocks = gen.plan_blocks(BLOCKED, SMALL_BLOCK)
    expected = expected_reasons(table, *(b.valid_rows(table) for b in blocks))
    assert reasons(blocked_set, table) == expected
    assert set(expected) == REASONS[table]


def test_blocks_write_one_parquet_file_per_table_with_a_row_group_per_block(
    blocked_set: Path, tmp_path: Path
) -> None:
    gen.generate(
        tmp_path,
        BLOCKED,
        seed=11,
        file_format="parquet",
        bad_rows=True,
        block_customers=SMALL_BLOCK,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    orders = pq.ParquetFile(tmp_path / "orders.parquet")
    assert orders.metadata.num_row_groups == len(gen.plan_blocks(BLOCKED, SMALL_BLOCK))
    with open(blocked_set / "orders.csv", encoding="utf-8", newline="") as f:
        from_csv = [{k: v or None for k, v in row.items()} for row in csv.DictReader(f)]
    assert orders.read().to_pylist() == from_csv


def test_blocks_are_deterministic(blocked_set: Path, tmp_path: Path) -> None:
    gen.generate(tmp_path, BLOCKED, seed=11, bad_rows=True, block_customers=SMALL_BLOCK)
    assert file_bytes(tmp_path) == file_bytes(blocked_set)


def test_progress_line_counts_rows_of_every_table() -> None:
    stream = io.StringIO()
    report = Progress({"orders": 4_000, "tickets": 1_500}, stream=stream, every=0.0)
    report.add("orders", 2_000)
    report.close()
    lines = stream.getvalue().splitlines()
    assert lines and "orders 2.0k/4.0k" in lines[-1] and "tickets 0/1.5k" in lines[-1]
    assert "36%" in lines[-1] and "rows/s" in lines[-1] and "ETA" in lines[-1]

"""The same project on Apache Spark (contract section 0), on generated data:
a set with bad rows of every kind (another seed than the demo's), agents as
Parquet, survey responses as an Excel workbook (scores as number cells and
timestamps as date cells where they are well formed, the rest text cells),
customers rewritten with a byte-order mark and CRLF lines, and rows in
the spirit of tests/test_csv_torture.py added to customers and orders: quoted
LF and CRLF line breaks, doubled quotes, short and long rows, blank and
whitespace-only lines, an empty first field, a row of empty fields, control
characters, fractional seconds with an offset and amounts that round; and
tickets written by hand for business time (contract section 7): at night, at
weekends, in the lunch break, on Vietnamese holidays (Tết, 30/4 and 1/5), an
offset that moves the local date onto a holiday, a 24:00-like midnight
instant, fractional seconds at an opening, and a ticket open for a year.
Built on DuckDB and on Spark, every table of `marts` and `audit` must be
equal cell for cell and `raw_record` byte-identical.

The Spark build runs models and seeds only: the worked example's full build
(tests/test_spark_equivalence.py) proves the unit and data tests on Spark.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import MODELS_ONLY, PROJECT_ROOT, build
from openpyxl import load_workbook
from spark_tables import assert_same_summary, assert_same_warehouses
from workbook_files import write_workbook

pytestmark = pytest.mark.spark


# Rows added to the generated files (fields; None is a blank line of that text).
EXTRA_CUSTOMERS: list[list[str] | str] = [
    ["CT1", "2024-01-05 10:00:00", "Trần\nThị\r\nCúc", "", "", " Đà Nẵng ", "Zalo", ""],
    "\r\n",
    ["CT2", "2024-01-06", 'Lê "Bé" Ba, "x"', "", "", "", "", ""],
    ["", "2024-01-06", "Không có mã"],
    "  \t\r\n",
    ["CT3", "2024-01-07", "Dài", "", "", "", "", "", "thêm 1", "", "thêm, 3"],
    ["CT4\t", "2024-01-08T10:00:00Z", "Tab\x01ctl"],
    ["", "", "", "", "", "", "", ""],
    ["CT5", "2024-13-01"],
]
EXTRA_ORDERS: list[list[str] | str] = [
    ["", "CT1", "2025-01-05", "completed", "10"],
    ["OT1", "CT1", "2025-01-05 10:00:00.25+07:00", "Completed", "1.23456",
     'lý do\r\n"nhiều" dòng', ""],
    "\n",
    ["OT2", "CT2", "2025-01-06", "paid", "5.00005", "", "", "extra 1", ""],
    ["OT3", "CT2", "2025-01-07 23:59:59.999999", "pending", "1e3"],
    ["OT4", "CT3", "2025-01-08 10:00", "completed", "0.00015"],
]
# ticket_id, customer_id, agent_id, channel, category, priority, created_at,
# first_response_at, resolved_at, contact_count, reopen_count, wait_seconds,
# updated_at (the generator's header).
EXTRA_TICKETS: list[list[str] | str] = [
    # Friday night to Monday, through Saturday's morning hours.
    ["BT01", "", "A0001", "chat", "", "high", "2025-03-07 22:10:00", "2025-03-10 08:05:00",
     "2025-03-10 09:00:00", "1", "0", "", ""],
    # Created in the lunch break, answered before 13:30 (0 business min).
    ["BT02", "", "A0002", "phone", "", "normal", "2025-03-11 12:05:00",
     "2025-03-11 13:29:59.999999", "2025-03-11 17:30:00", "1", "0", "", ""],
    # Across Tết 2025, urgent on the calendar clock and low on business hours.
    ["BT03", "", "A0001", "zalo", "", "urgent", "2025-01-24 16:00:00", "2025-02-03 08:30:00",
     "2025-02-03 14:00:00", "2", "1", "", ""],
    ["BT04", "", "A0003", "zalo", "", "low", "2025-01-26 23:59:59.5", "2025-02-03 08:00:00.5",
     None, "1", "0", "", ""],
    # Across 30/4 and 1/5 (and the 2/5 substitute day), created on a Sunday.
    ["BT05", "", "A0002", "email", "", "normal", "2025-04-27 10:00:00", "2025-05-03 09:00:00",
     "2025-05-05 09:00:00", "1", "0", "", ""],
    # An offset: 2025-04-29T17:30:00Z is 30/4 00:30 local, a holiday.
    ["BT06", "", "A0004", "web", "", "high", "2025-04-29T17:30:00Z", "2025-05-02T02:00:00Z",
     "2025-05-05T01:00:00Z", "1", "0", "", ""],
    # Resolved at a local midnight, created at Saturday's closing.
    ["BT07", "", "A0001", "chat", "", "normal", "2025-03-08 12:00:00", "2025-03-09 00:00:00",
     "2025-03-10 00:00:00", "1", "0", "", ""],
    # Open for a year, unanswered for its first months.
    ["BT08", "", "A0005", "email", "", "low", "2024-06-03 08:00:00", "2024-09-04 10:00:00",
     "2025-06-03 08:00:00", "3", "2", "", ""],
    # Unanswered, created on a holiday night.
    ["BT09", "", "", "phone", "", "normal", "2025-09-01 21:00:00", None, None, "", "", "", ""],
]


def append_rows(path: Path, rows: list[list[str] | str], terminator: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator=terminator)
        for row in rows:
            if isinstance(row, str):
                handle.write(row)
            else:
                writer.writerow(row)


def generated_folder(target: Path) -> Path:
    """The generator's small set with bad rows, under another seed than the
    demo's; customers rewritten with a byte-order mark and CRLF lines, torture
    rows added to customers and orders, business-time tickets added, agents
    as Parquet, survey responses as a workbook."""
    subprocess.run(
        [sys.executable, "-m", "cs_analytics.generate", "--out", str(target),
         "--scale", "S", "--seed", "7", "--bad-rows"],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )
    customers = target / "customers.csv"
    with customers.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with customers.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    append_rows(customers, EXTRA_CUSTOMERS, "\r\n")
    append_rows(target / "orders.csv", EXTRA_ORDERS, "\n")
    append_rows(target / "tickets.csv", EXTRA_TICKETS, "\n")
    agents = target / "agents.csv"
    with agents.open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    columns = {name: [row[i] or None for row in body] for i, name in enumerate(header)}
    pq.write_table(pa.table(columns, schema=pa.schema([(n, pa.string()) for n in header])),
                   target / "agents.parquet")
    agents.unlink()
    surveys = target / "survey_responses.csv"
    with surveys.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    write_workbook(target / "survey_responses.xlsx", [rows[0], *map(typed_cells, rows[1:])])
    surveys.unlink()
    return target


def typed_cells(row: list[str]) -> list[object]:
    """A row as an export types it: a plain integer as a number cell, a
    well-formed date-time as a date cell, anything else as text."""
    cells: list[object] = []
    for value in row:
        if re.fullmatch(r"-?[0-9]{1,9}", value):
            cells.append(int(value))
        elif re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}", value):
            try:
                cells.append(datetime.strptime(value, "%Y-%m-%d %H:%M:%S"))
            except ValueError:
                cells.append(value)
        else:
            cells.append(value or None)
    return cells


def test_generated_bad_rows_are_the_same_on_spark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = generated_folder(tmp_path / "raw")
    duck = build(tmp_path / "duckdb", raw)
    spark = build(tmp_path / "spark", raw, target="spark", args=MODELS_ONLY)
    assert_same_warehouses(duck.path, spark.path)
    # `make run`'s summary, quarantine by reason included, is the same on Spark.
    assert "Quarantined rows by reason" in assert_same_summary(
        duck.path, spark.path, monkeypatch, capsys
    )
    # The added rows are in: every kind of row reached the comparison.
    quarantined = {row["source_key"] for row in duck.rows(
        "select source_key from audit.rejected_rows where source_key like 'CT%'")}
    assert quarantined == {"CT5"}
    # The business-time tickets are in, each with both clocks.
    business = duck.rows(
        "select count(*) as tickets, count(first_response_business_minutes) as answered "
        "from marts.fct_tickets where ticket_id like 'BT%'")
    assert business == [{"tickets": 9, "answered": 8}]
    surveys = duck.scalar(
        "select raw_rows from audit.source_reconciliation where source_table = 'survey_responses'"
    )
    # Every record of the workbook, counted by openpyxl: its rows below the
    # header that hold a value.
    sheet = load_workbook(raw / "survey_responses.xlsx", read_only=True).active
    records = sum(
        any(value is not None for value in row)
        for row in sheet.iter_rows(min_row=2, values_only=True)
    )
    assert surveys == records > 1000

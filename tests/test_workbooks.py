"""Excel workbooks (contract section 6, "Excel workbooks"): every kind of cell
becomes the text the contract gives it, by the same reader as a CSV's fields
(the records of cs_analytics.raw.workbooks read by cs_analytics.raw.reader),
and then every rule of sections 4 and 5 applies as to a CSV field.

The workbooks are written with openpyxl, cell by cell; every expected text
and reason is written by hand from the contract's words."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import STAGING_AND_AUDIT, WORKED_EXAMPLE_RAW, Warehouse, build
from workbook_files import with_formulas, write_workbook

from cs_analytics.bench.workbooks import (
    calamine_records,
    openpyxl_records,
    write_orders_workbook,
)
from cs_analytics.raw.export_settings import load_export_settings
from cs_analytics.raw.files import inspect_folder
from cs_analytics.raw.reader import reader_select
from cs_analytics.raw.tables import raw_tables
from cs_analytics.raw.workbooks import cell_text, read_sheet, sheet_records

HEADER = [
    "order_id", " customer_id ", "ordered_at", "status", "amount", "cancel_reason",
    "updated_at",
]
# The sheet begins at B3: two empty rows and an empty column A before it.
FIRST_ROW, FIRST_COLUMN = 3, 2
ROWS: list[list[Any]] = [
    HEADER,
    # A text id that looks like a number; a date-time with microseconds; a
    # whole number stored as a float.
    ["007", "KH1", datetime(2025, 1, 5, 10, 0, 0, 123456), "completed", 1250000.0],
    # A date-only cell; 1e-7 (never in exponent notation).
    ["DH2", "KH2", date(2025, 1, 6), "Completed", 1e-7],
    # Microseconds that round up to the next second; 0.1.
    ["DH3", "KH1", datetime(2025, 1, 7, 8, 0, 0, 999700), "completed", 0.1],
    # A time of day alone.
    ["DH4", "KH1", time(10, 30), "completed", 10],
    # An error cell where an amount is required.
    ["DH5", "KH1", datetime(2025, 1, 8, 9, 0), "completed", "#N/A"],
    # A boolean where a status is required.
    ["DH6", "KH2", datetime(2025, 1, 8, 9, 30), True, 20],
    # An empty row (only a space in it): skipped, it takes no row number.
    [None, " ", None],
    # Formulas (their cached values); cells beyond the header, one empty
    # between them; a percentage-formatted number.
    ["DH7", "KH2", datetime(2025, 1, 9, 12, 0), "completed", 6, "đổi ý", None, None,
     "ghi chú", 0.15],
    # A merged range over cancel_reason and updated_at: its value is in its
    # top-left cell only.
    ["DH8", "KH3", datetime(2025, 1, 10), "cancelled", 1250000.5, "gộp ô", None],
    # A duration ([h]:mm, 30 hours) where a timestamp is required.
    ["DH9", "KH3", datetime(2025, 1, 11), "completed", 5, None, 1.25],
]
# Cells by reference (the sheet starts at B3, so the header is row 3).
FORMULAS = {"F11": "2*3", "G11": 'LOWER("ĐỔI Ý")'}
FORMATS = {"K11": "0%", "H13": "[h]:mm"}
MERGED = ["G12:H12"]

# The records as text, with '.' and with ',' as the decimal mark: each written
# by hand from the contract's rules.
EXPECTED_POINT: list[list[str | None]] = [
    ["007", "KH1", "2025-01-05 10:00:00.123000", "completed", "1250000", None, None],
    ["DH2", "KH2", "2025-01-06 00:00:00", "Completed", "0.0000001", None, None],
    ["DH3", "KH1", "2025-01-07 08:00:01", "completed", "0.1", None, None],
    ["DH4", "KH1", "10:30:00", "completed", "10", None, None],
    ["DH5", "KH1", "2025-01-08 09:00:00", "completed", "#N/A", None, None],
    ["DH6", "KH2", "2025-01-08 09:30:00", "true", "20", None, None],
    ["DH7", "KH2", "2025-01-09 12:00:00", "completed", "6", "đổi ý", None, None, "ghi chú",
     "0.15"],
    ["DH8", "KH3", "2025-01-10 00:00:00", "cancelled", "1250000.5", "gộp ô", None],
    ["DH9", "KH3", "2025-01-11 00:00:00", "completed", "5", None, "1.25"],
]
COMMA_CELLS = {(1, 4): "0,0000001", (2, 4): "0,1", (6, 9): "0,15", (7, 4): "1250000,5",
               (8, 6): "1,25"}
EXPECTED_COMMA = [
    [COMMA_CELLS.get((row, column), text) for column, text in enumerate(record)]
    for row, record in enumerate(EXPECTED_POINT)
]
# The reason of each record (None: kept), by hand: a time of day alone and a
# duration are not timestamps; #N/A is not an amount; true is not a status.
REASONS = [None, None, None, "invalid_timestamp", "invalid_amount", "invalid_status", None,
           None, "invalid_timestamp"]


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workbook-raw")
    for table in ("customers", "tickets", "survey_responses", "agents"):
        shutil.copy(WORKED_EXAMPLE_RAW / f"{table}.csv", folder / f"{table}.csv")
    path = write_workbook(
        folder / "orders.xlsx", ROWS, title="Đơn hàng", first_row=FIRST_ROW,
        first_column=FIRST_COLUMN, number_formats=FORMATS, merged=MERGED,
    )
    with_formulas(path, FORMULAS)
    return folder


def test_each_kind_of_cell_reads_as_the_contract_says(raw: Path) -> None:
    sheet, rows = read_sheet(raw / "orders.xlsx")
    assert sheet == "Đơn hàng"
    records = list(sheet_records(rows))
    assert [point for point, _ in records] == [HEADER, *EXPECTED_POINT]
    assert [comma for _, comma in records] == [HEADER, *EXPECTED_COMMA]


def read_orders(raw: Path, variables: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The orders as the DuckDB reader gives them to staging."""
    orders = inspect_folder(raw, load_export_settings(variables))["orders"]
    assert orders.format == "xlsx" and orders.header == tuple(h.strip() for h in HEADER)
    columns = raw_tables()["orders"].column_names
    with duckdb.connect() as con:
        return con.execute(
            f"select {', '.join(columns)}, source_row_number, raw_record "
            f"from {reader_select(orders, columns)} order by source_row_number"
        ).fetchall()


@pytest.mark.parametrize(
    ("variables", "expected"),
    [({}, EXPECTED_POINT), ({"amount_decimal_separator": ","}, EXPECTED_COMMA)],
)
def test_the_reader_gives_the_cells_by_position_with_raw_record(
    raw: Path, variables: dict[str, Any], expected: list[list[str | None]]
) -> None:
    header = [name.strip() for name in HEADER]
    found = read_orders(raw, variables)
    for number, (row, record) in enumerate(zip(found, expected, strict=True), start=1):
        assert row[:7] == tuple(record[:7])
        assert row[7] == number
        written: dict[str, Any] = dict(zip(header, record[:7], strict=True))
        if len(record) > 7:
            written["_extra_fields"] = record[7:]
        assert json.loads(row[8]) == written
    # The extra cells are the raw_record's last key, in file order.
    extras = json.dumps(expected[6][7:], ensure_ascii=False, separators=(",", ":"))
    assert found[6][8].endswith(f'"_extra_fields":{extras}}}')


def test_a_record_is_numbered_in_the_workbook_without_its_empty_rows(raw: Path) -> None:
    orders = inspect_folder(raw)["orders"]
    with duckdb.connect() as con:
        picked = con.execute(
            f"select * from {reader_select(orders, ['order_id'], '(select 7)')}"
        ).fetchall()
    assert [(number, json.loads(record)["order_id"]) for number, record in picked] == [
        (7, "DH7")
    ]


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory, raw: Path) -> Warehouse:
    """Staging and the audit only, with ',' as the decimal mark."""
    return build(
        tmp_path_factory.mktemp("workbook-staged"), raw,
        {"amount_decimal_separator": ",", "max_rejected_share": 1},
        args=STAGING_AND_AUDIT,
    )


def test_workbook_records_go_through_staging_as_csv_fields(staged: Warehouse) -> None:
    rejected = staged.rows(
        "select source_row_number, reason from audit.rejected_rows "
        "where source_table = 'orders' order by 1"
    )
    assert rejected == [
        {"source_row_number": number, "reason": reason}
        for number, reason in enumerate(REASONS, start=1)
        if reason is not None
    ]
    kept = staged.rows(
        "select order_id, ordered_at, amount, cancel_reason from staging.stg_shop__orders "
        "order by order_id"
    )
    assert [(k["order_id"], k["ordered_at"], str(k["amount"]), k["cancel_reason"])
            for k in kept] == [
        ("007", datetime(2025, 1, 5, 10, 0, 0, 123000), "1250000.0000", None),
        ("DH2", datetime(2025, 1, 6), "0.0000", None),
        ("DH3", datetime(2025, 1, 7, 8, 0, 1), "0.1000", None),
        ("DH7", datetime(2025, 1, 9, 12), "6.0000", "đổi ý"),
        ("DH8", datetime(2025, 1, 10), "1250000.5000", "gộp ô"),
    ]


def test_the_first_worksheet_in_tab_order_and_the_1904_calendar(tmp_path: Path) -> None:
    """A hidden worksheet before the table's is the first in tab order: it is
    the one read. A workbook saved in the 1904 date system holds other
    numbers for the same dates: they read as the same dates."""
    rows = [["id", "at"], ["A", datetime(2025, 3, 1, 7, 45)], ["B", date(1904, 1, 2)]]
    first = write_workbook(tmp_path / "first.xlsx", rows, sheet_before="Ghi chú")
    assert read_sheet(first)[0] == "Ghi chú"
    assert list(sheet_records(read_sheet(first)[1])) == [(["not the table"], ["not the table"])]
    mac = write_workbook(tmp_path / "mac.xlsx", rows, epoch_1904=True)
    assert [point for point, _ in sheet_records(read_sheet(mac)[1])] == [
        ["id", "at"], ["A", "2025-03-01 07:45:00"], ["B", "1904-01-02 00:00:00"],
    ]


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (45000.25, "hh:mm", "2023-03-15 06:00:00"),  # a time format over a day
        (0.5, "yyyy-mm-dd", "12:00:00"),  # a date format under a day
        (timedelta(hours=36), "[h]:mm:ss", "1.5"),  # a duration: its days
        (-3.25, "General", "-3.25"),
        (1e21, "General", "1000000000000000000000"),
        (123456789.125, "#,##0.00", "123456789.125"),  # no thousands separator
        (False, "General", "false"),
    ],
)
def test_number_formats_decide_dates_but_never_the_digits(
    tmp_path: Path, value: Any, number_format: str, text: str
) -> None:
    path = write_workbook(
        tmp_path / "formats.xlsx", [["v"], [value]], number_formats={"A2": number_format}
    )
    assert list(sheet_records(read_sheet(path)[1]))[1][0] == [text]


def test_rounding_to_the_millisecond_can_reach_the_next_day() -> None:
    """python-calamine rounds a time of day itself; a value given as it is
    rounds as a timestamp would: a whole day is 24:00:00, never 00:00:00."""
    assert cell_text(time(23, 59, 59, 999600)) == "24:00:00"
    assert cell_text(time(23, 59, 59, 999400)) == "23:59:59.999000"
    assert cell_text(datetime(2025, 12, 31, 23, 59, 59, 999500)) == "2026-01-01 00:00:00"


def test_the_benchmark_workbook_reads_alike_with_openpyxl(tmp_path: Path) -> None:
    """The reader benchmark's workbook (cs_analytics.bench.workbooks) gives
    the same records read by openpyxl as by python-calamine, so its figures
    time the same work; and its first order reads as written."""
    path = write_orders_workbook(tmp_path / "orders.xlsx", 200)
    assert calamine_records(path) == openpyxl_records(path)
    assert calamine_records(path)[4][0] == [
        "DH0000004", "KH00004", "2025-01-01 08:28:00", "cancelled", "129000.5", "khách đổi ý",
        "2025-01-01 10:28:00.004000",
    ]

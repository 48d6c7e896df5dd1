"""A CSV torture corpus (contract section 5, "CSV is RFC 4180 as spreadsheets
write it"): for each of the five tables a file written by hand with quoted
line breaks, doubled quotes, delimiters in quotes, CRLF and LF lines, a UTF-8
byte-order mark, blank and whitespace-only lines, short rows and long rows,
mixed with valid and invalid values.

The corpus is written with each delimiter the var csv_delimiter allows
(section 6: a comma, a semicolon, a tab, a vertical bar) and read with it:
every rule holds with each. One build per delimiter holds the five tables,
of staging and the audit: what reading a file decides.

The expected rows come from Python's own `csv` module, an independent reader,
never from DuckDB; the expected reason of each row is written by hand next to
it. Every row Python's reader sees is accounted for: kept, dropped as a
duplicate, or rejected with its reason and its original `raw_record`.
tests/test_spark_refusals.py reads the same corpus on Spark.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import STAGING_AND_AUDIT, Warehouse, build

# (fields of the row, expected reason or None when kept). A row may have
# fewer fields than the header (the rest are null) or more (extras).
Row = tuple[list[str], str | None]

TABLES: dict[str, dict[str, Any]] = {
    "customers": {
        "key": "customer_id",
        "header": [
            "customer_id", " full_name ", "email", "phone", "city",
            "acquisition_channel", "signed_up_at", "updated_at", "ghi chú",
        ],
        "rows": [
            (["C1", "Nguyễn Văn An", "an@vd.vn", "0901", "Hà Nội", "Zalo",
              "2024-01-05 10:00:00", "", "có dấu phẩy, ở đây"], "duplicate_key"),
            (["C2", 'Lê "Bé" Ba', "", "", " Đà Nẵng ", "", "2024-01-06", "", ""], None),
            (["C3", "Trần\nThị\r\nCúc", "", "", "", "FACEBOOK", "", "", ""], None),
            (["  ", "Không có mã", "", "", "", "", "", "", ""], "missing_key"),
            (["C4", "Ngắn"], None),
            (["C5", "Sai ngày", "", "", "", "", "2024-13-01", "", ""], "invalid_timestamp"),
            (["C1", "Nguyễn Văn An", "an@vd.vn", "0901", "Hà Nội", "zalo",
              "2024-01-05 10:00:00", "2024-02-01", ""], None),
            (["C6", "Dài", "", "", "", "", "", "", "n", "thêm 1", "", "thêm, 3"], None),
            (["C7\t", "Tab", "", "", "", "", "", "", ""], None),
        ],
    },
    "orders": {
        "key": "order_id",
        "header": [
            "order_id", "customer_id", "ordered_at", "status", "amount",
            "cancel_reason", "updated_at",
        ],
        "rows": [
            (["O1", "C1", "2025-01-05 10:00:00", "completed", "100", "", ""], "duplicate_key"),
            (["O2", "C2", "2025-01-06T10:00:00Z", "Cancelled", "50",
              "Khách đổi ý, hủy đơn", ""], None),
            (["O3", "C3", "2025-01-07", "completed", "1,000", "", ""], "invalid_amount"),
            (["O4", "", "2025-01-07", "completed", "10"], "missing_customer"),
            (["O5", "C1", "2025-01-08", "completed", "10", 'lý do\n"nhiều" dòng',
              "2025-01-09"], None),
            (["O1", "C1", "2025-01-05", "completed", "200", "", "2025-01-10"], None),
            (["O6", "C4", "2025-01-09", "lost", "10", "", ""], "invalid_status"),
            (["O7", "C4", "2025-01-09", "completed", "10", "", "", "", "extra"], None),
            (["O8", "C4", "yesterday", "completed", "10"], "invalid_timestamp"),
        ],
    },
    "tickets": {
        "key": "ticket_id",
        "header": [
            "ticket_id", "customer_id", "agent_id", "channel", "category", "priority",
            "created_at", "first_response_at", "resolved_at", "contact_count",
            "reopen_count", "wait_seconds", "updated_at",
        ],
        "rows": [
            (["T1", "C1", "A1", "Phone", "Giao hàng", "High", "2025-01-05 09:00",
              "2025-01-05 09:10", "2025-01-05 12:00", "1", "0", "30", ""], "duplicate_key"),
            (["T2", "C2", "A1", "chat", "đổi trả, hoàn tiền", "urgent", "2025-01-06 09:00",
              "", "", "2", "0", "", ""], None),
            (["T3", "", "", "", "", "", "2025-01-06 10:00"], None),
            (["T4", "C1", "A2", "email", "x", "low", "2025-01-07 10:00",
              "2025-01-07 09:00"], "response_before_creation"),
            (["T5", "C1", "A2", "email", "x", "low", "2025-01-07 10:00", "",
              "2025-01-07 09:00"], "resolved_before_creation"),
            (["T6", "C1", "A2", "email", "x", "low", "2025-01-07 10:00", "", "", "2.0"],
             "invalid_count"),
            (["", "C1"], "missing_key"),
            (["T7", "C1", "A2", "email", "Dòng một\r\nDòng hai", "low", "2025-01-08"], None),
            (["T1", "C1", "A1", "phone", "giao hàng", "high", "2025-01-05 09:00",
              "2025-01-05 09:10", "2025-01-05 12:00", "1", "1", "30", ""], None),
        ],
    },
    "survey_responses": {
        "key": "response_id",
        "header": [
            "response_id", "survey_type", "customer_id", "ticket_id", "score",
            "submitted_at", "comment",
        ],
        "rows": [
            (["R1", "nps", "C1", "", "10", "2025-01-05 12:00", "Rất hài lòng, cảm ơn!"],
             "duplicate_key"),
            (["R2", "CSAT", "C1", "T1", "4", "2025-01-05 13:00",
              'Dòng 1\nDòng 2 "trích dẫn", hết'], None),
            (["R3", "nps", "C2", "", "11", "2025-01-06", ""], "invalid_score"),
            (["R4", "ces", "C2", "", "3", "2025-01-06", ""], "invalid_survey_type"),
            (["R5", "csat", "C2", "T2", "4.5", "2025-01-06", ""], "invalid_score"),
            (["R6", "nps", "C3", "", "7", "06/01/2025", "\n"], "invalid_timestamp"),
            (["R7", "nps", "C3", "", "8", "2025-01-07", "a comment", "x", "y"], None),
            (["R8", "csat", "", "", "5"], "invalid_timestamp"),
            (["R1", "nps", "C1", "", "9", "2025-01-05 12:00", "sau đó\r\n\r\nđổi ý"], None),
        ],
    },
    "agents": {
        "key": "agent_id",
        "header": ["agent_id", "agent_name", "team"],
        "rows": [
            (["A1", "Phạm Thu Hà", "CSKH, Hà Nội"], None),
            (["A2", "Võ Quốc Việt"], None),
            (["", "Nobody", "X"], "missing_key"),
            (["A3", "Tên\nhai dòng", "T"], None),
        ],
    },
}

# How each file is written: a byte-order mark, line endings, and blank or
# whitespace-only lines inserted after given rows (1 = after the first row).
SHAPES: dict[str, dict[str, Any]] = {
    "customers": {"bom": True, "crlf": True, "blank_after": {3: "\r\n", 5: "   \t\r\n"}},
    "orders": {"bom": False, "crlf": False, "blank_after": {0: "\n", 4: "\n\n", 9: " \n"}},
    "tickets": {"bom": True, "crlf": True, "blank_after": {8: "\r\n"}},
    "survey_responses": {"bom": False, "crlf": "mixed", "blank_after": {2: "  \n"}},
    "agents": {"bom": False, "crlf": False, "blank_after": {}, "no_final_newline": True},
}


DELIMITERS = [",", ";", "\t", "|"]
DELIMITER_IDS = ["comma", "semicolon", "tab", "vertical_bar"]
# The vars of each build: the corpus is mostly bad rows on purpose.
BUILD_VARS: dict[str, Any] = {"max_rejected_share": 1}


def encode_row(fields: list[str], terminator: str, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=terminator, delimiter=delimiter).writerow(fields)
    return buffer.getvalue()


def write_shaped(path: Path, table: str, delimiter: str = ",") -> bytes:
    spec, shape = TABLES[table], SHAPES[table]
    lines = []
    for position, fields in enumerate([spec["header"], *(row for row, _ in spec["rows"])]):
        if shape["crlf"] == "mixed":
            terminator = "\r\n" if position % 2 else "\n"
        else:
            terminator = "\r\n" if shape["crlf"] else "\n"
        lines.append(encode_row(fields, terminator, delimiter))
        if position in shape["blank_after"]:
            lines.append(shape["blank_after"][position])
    text = "".join(lines)
    if shape.get("no_final_newline"):
        text = text.rstrip("\r\n")
    data = ("\ufeff" if shape["bom"] else "").encode() + text.encode("utf-8")
    path.write_bytes(data)
    return data


def python_rows(data: bytes, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    """Header and data rows as Python's csv module reads the file, blank
    (empty or whitespace-only) lines skipped: a line of one whitespace-only
    field, or, when the delimiter is itself whitespace (a tab), of
    whitespace-only fields."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, body = rows[0], rows[1:]
    body = [
        row for row in body
        if row and not (
            (len(row) == 1 or not delimiter.strip()) and all(not field.strip() for field in row)
        )
    ]
    return [name.strip() for name in header], body


def expected_record(header: list[str], row: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {
        name: row[index] if index < len(row) else None for index, name in enumerate(header)
    }
    if len(row) > len(header):
        record["_extra_fields"] = row[len(header):]
    return record


def write_corpus(raw: Path, delimiter: str) -> dict[str, bytes]:
    raw.mkdir(parents=True, exist_ok=True)
    return {table: write_shaped(raw / f"{table}.csv", table, delimiter) for table in TABLES}


def expected_records(data: bytes, table: str, delimiter: str) -> list[dict[str, Any]]:
    """Each row the reader must give: its position and its raw_record."""
    header, rows = python_rows(data, delimiter)
    return [
        {"source_row_number": number, "raw_record": expected_record(header, row)}
        for number, row in enumerate(rows, start=1)
    ]


Corpus = tuple[Path, dict[str, bytes], str]


@pytest.fixture(scope="module", params=DELIMITERS, ids=DELIMITER_IDS)
def corpus(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Corpus:
    delimiter = request.param
    raw = tmp_path_factory.mktemp("torture-raw")
    return raw, write_corpus(raw, delimiter), delimiter


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Warehouse:
    raw, _, delimiter = corpus
    return build(
        tmp_path_factory.mktemp("torture"), raw, {**BUILD_VARS, "csv_delimiter": delimiter},
        args=STAGING_AND_AUDIT,
    )


@pytest.mark.parametrize("table", list(TABLES))
def test_python_reads_the_rows_as_written(corpus: Corpus, table: str) -> None:
    """The oracle itself: the file holds exactly the intended rows."""
    _, files, delimiter = corpus
    header, rows = python_rows(files[table], delimiter)
    assert header == [name.strip() for name in TABLES[table]["header"]]
    assert rows == [row for row, _ in TABLES[table]["rows"]]


@pytest.mark.parametrize("table", list(TABLES))
def test_every_row_is_accounted_for(warehouse: Warehouse, corpus: Corpus, table: str) -> None:
    _, files, delimiter = corpus
    header, rows = python_rows(files[table], delimiter)
    reasons = [reason for _, reason in TABLES[table]["rows"]]
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
    quarantined = warehouse.rows(
        "select source_row_number, reason, source_key, raw_record from audit.rejected_rows "
        f"where source_table = '{table}' order by source_row_number"
    )
    key_index = header.index(TABLES[table]["key"])
    expected = [
        {
            "source_row_number": number,
            "reason": reason,
            "source_key": (row[key_index].strip() or None) if key_index < len(row) else None,
            "raw_record": expected_record(header, row),
        }
        for number, (row, reason) in enumerate(zip(rows, reasons, strict=True), start=1)
        if reason is not None
    ]
    for record in quarantined:
        record["raw_record"] = json.loads(record["raw_record"])
    assert quarantined == expected


@pytest.mark.parametrize("table", list(TABLES))
def test_kept_rows_are_the_valid_ones(warehouse: Warehouse, corpus: Corpus, table: str) -> None:
    _, files, delimiter = corpus
    header, rows = python_rows(files[table], delimiter)
    key = TABLES[table]["key"]
    key_index = header.index(key)
    kept = [
        row[key_index].strip()
        for row, (_, reason) in zip(rows, TABLES[table]["rows"], strict=True)
        if reason is None
    ]
    model = {
        "customers": "stg_crm__customers",
        "orders": "stg_shop__orders",
        "tickets": "stg_helpdesk__tickets",
        "survey_responses": "stg_survey__survey_responses",
        "agents": "stg_helpdesk__agents",
    }[table]
    found = warehouse.rows(f"select {key} from staging.{model} order by {key}")
    assert [row[key] for row in found] == sorted(kept)


def test_values_with_line_breaks_quotes_and_commas_survive(warehouse: Warehouse) -> None:
    comments = {
        row["response_id"]: row["comment"]
        for row in warehouse.rows(
            "select response_id, comment from staging.stg_survey__survey_responses"
        )
    }
    assert comments["R2"] == 'Dòng 1\nDòng 2 "trích dẫn", hết'
    assert comments["R1"] == "sau đó\r\n\r\nđổi ý"
    category = warehouse.scalar(
        "select category from staging.stg_helpdesk__tickets where ticket_id = 'T7'"
    )
    assert category == "dòng một\r\ndòng hai"
    reason = warehouse.scalar(
        "select cancel_reason from staging.stg_shop__orders where order_id = 'O5'"
    )
    assert reason == 'lý do\n"nhiều" dòng'
    team = warehouse.scalar("select team from staging.stg_helpdesk__agents where agent_id = 'A1'")
    assert team == "CSKH, Hà Nội"
    city = warehouse.scalar("select city from staging.stg_crm__customers where customer_id = 'C2'")
    assert city == "Đà Nẵng"
    # The later duplicate of T1 (no updated_at: the row further down wins).
    reopen_count = "select reopen_count from staging.stg_helpdesk__tickets where ticket_id = 'T1'"
    assert warehouse.scalar(reopen_count) == 1


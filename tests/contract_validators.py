"""Validators written from the data contract (sections 1, 4 and 5), to judge the
raw rows the generator (cs_analytics.generate) writes, independently of the
generator and of the dbt models: each row's rejection reason, de-duplication by
latest updated_at, and readers of a raw folder. Used by tests/test_generate*.py.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cs_analytics import generate as gen
from cs_analytics.raw.tables import raw_tables

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "data" / "demo"

# The one description of the raw tables (models/staging/_raw__sources.yml).
TABLES = raw_tables()
KEYS = {name: table.key for name, table in TABLES.items()}
TIMESTAMPS = {name: table.of_kind("timestamp") for name, table in TABLES.items()}
REQUIRED_TIMESTAMPS = {
    column.name
    for table in TABLES.values()
    for column in table.columns
    if column.kind == "timestamp" and column.required
}
REASONS = {
    "customers": {"missing_key", "invalid_timestamp", "duplicate_key"},
    "orders": {
        "missing_key",
        "missing_customer",
        "invalid_timestamp",
        "invalid_status",
        "invalid_amount",
        "duplicate_key",
    },
    "tickets": {
        "missing_key",
        "invalid_timestamp",
        "invalid_count",
        "response_before_creation",
        "resolved_before_creation",
        "duplicate_key",
    },
    "survey_responses": {
        "missing_key",
        "invalid_timestamp",
        "invalid_survey_type",
        "invalid_score",
        "duplicate_key",
    },
}
TIMESTAMP_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
INTEGER_RE = re.compile(r"^[+-]?\d+$")
AMOUNT_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
LOCAL_OFFSET = timedelta(hours=7)


class Invalid(ValueError):
    pass


def parse_timestamp(text: str) -> datetime:
    """Local (UTC+7) wall-clock time of a contract timestamp."""
    match = TIMESTAMP_RE.match(text)
    if not match:
        raise Invalid(text)
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
        )
    except ValueError as error:
        raise Invalid(text) from error
    if offset is None:
        return moment
    if offset == "Z":
        return moment + LOCAL_OFFSET
    digits = offset[1:].replace(":", "")
    shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return moment - (shift if offset[0] == "+" else -shift) + LOCAL_OFFSET


def status_map() -> dict[str, str]:
    with open(ROOT / "seeds" / "order_status_map.csv", encoding="utf-8", newline="") as f:
        return {row["raw_status"].strip(): row["status"] for row in csv.DictReader(f)}


Row = dict[str, str | None]


def clean(row: dict[str, str]) -> Row:
    """Contract 5: every value trimmed, empty means null."""
    return {k.strip(): (v.strip() or None) if v is not None else None for k, v in row.items()}


def timestamps_of(table: str, row: Row) -> dict[str, datetime | None]:
    moments: dict[str, datetime | None] = {}
    for column in TIMESTAMPS[table]:
        value = row.get(column)
        if value is None:
            if column in REQUIRED_TIMESTAMPS:
                raise Invalid(column)
            moments[column] = None
        else:
            moments[column] = parse_timestamp(value)
    return moments


def is_integer(value: str | None, minimum: int) -> bool:
    if value is None:
        return True
    return bool(INTEGER_RE.match(value)) and int(value) >= minimum


def ticket_reason(row: Row, moments: dict[str, datetime | None]) -> str | None:
    counts_ok = (
        is_integer(row["contact_count"], 1)
        and is_integer(row["reopen_count"], 0)
        and is_integer(row["wait_seconds"], 0)
    )
    if not counts_ok:
        return "invalid_count"
    created = moments["created_at"]
    assert created is not None
    if moments["first_response_at"] is not None and moments["first_response_at"] < created:
        return "response_before_creation"
    if moments["resolved_at"] is not None and moments["resolved_at"] < created:
        return "resolved_before_creation"
    return None


def survey_reason(row: Row) -> str | None:
    kind = (row["survey_type"] or "").lower()
    if kind not in ("nps", "csat"):
        return "invalid_survey_type"
    score = row["score"]
    if score is None or not INTEGER_RE.match(score):
        return "invalid_score"
    low, high = (0, 10) if kind == "nps" else (1, 5)
    return None if low <= int(score) <= high else "invalid_score"


def order_reason(row: Row, statuses: dict[str, str]) -> str | None:
    if (row["status"] or "").lower() not in statuses:
        return "invalid_status"
    amount = row["amount"]
    if amount is None or not AMOUNT_RE.match(amount) or float(amount) < 0:
        return "invalid_amount"
    return None


def rejection(table: str, row: Row, statuses: dict[str, str]) -> str | None:
    """The first reason of contract section 4 that applies, or None."""
    if row[KEYS[table]] is None:
        return "missing_key"
    if table == "orders" and row["customer_id"] is None:
        return "missing_customer"
    try:
        moments = timestamps_of(table, row)
    except Invalid:
        return "invalid_timestamp"
    if table == "orders":
        return order_reason(row, statuses)
    if table == "tickets":
        return ticket_reason(row, moments)
    if table == "survey_responses":
        return survey_reason(row)
    return None


@dataclass
class Verdict:
    position: int
    row: Row
    reason: str | None  # None: valid and kept


def read_rows(path: Path) -> Iterator[Row]:
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield clean(row)


def validate(raw_dir: Path, table: str) -> list[Verdict]:
    """Reason per row, de-duplicating valid rows by latest updated_at, then file order."""
    statuses = status_map()
    verdicts = [
        Verdict(i, row, rejection(table, row, statuses))
        for i, row in enumerate(read_rows(raw_dir / f"{table}.csv"))
    ]
    winners: dict[str, Verdict] = {}
    for verdict in verdicts:
        if verdict.reason is not None:
            continue
        key = verdict.row[KEYS[table]]
        assert key is not None
        best = winners.get(key)
        if best is None or _newer_or_equal(verdict.row, best.row):
            if best is not None:
                best.reason = "duplicate_key"
            winners[key] = verdict
        else:
            verdict.reason = "duplicate_key"
    return verdicts


def _newer_or_equal(candidate: Row, best: Row) -> bool:
    """Candidate is further down the file: it wins unless its updated_at is older."""
    new, old = candidate.get("updated_at"), best.get("updated_at")
    if new is None:
        return old is None
    if old is None:
        return True
    return parse_timestamp(new) >= parse_timestamp(old)


def reasons(raw_dir: Path, table: str) -> Counter[str]:
    return Counter(v.reason for v in validate(raw_dir, table) if v.reason is not None)


def expected_reasons(table: str, *blocks_valid: int) -> Counter[str]:
    """Bad rows per reason, for blocks of the given numbers of valid rows."""
    counts: Counter[str] = Counter()
    for fault in gen.FAULTS.get(table, list)():
        for n_valid in blocks_valid:
            counts[fault.reason] += gen.fault_count(fault, n_valid)
    return counts


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def column_values(raw_dir: Path, table: str, column: str) -> list[str | None]:
    return [row.get(column) for row in read_rows(raw_dir / f"{table}.csv")]


def valid_rows(raw_dir: Path, table: str) -> list[Row]:
    return [v.row for v in validate(raw_dir, table) if v.reason is None]


def ids(values: list[str | None]) -> set[str]:
    return {v for v in values if v is not None}

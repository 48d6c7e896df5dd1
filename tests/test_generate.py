"""Tests of the raw data generator (cs_analytics.generate).

The rejection reasons are checked with small validators written here from the
data contract (sections 1, 4 and 5), independently of the generator and of
the dbt models.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cs_analytics import generate as gen
from cs_analytics.generate import cli
from cs_analytics.generate.progress import Progress
from cs_analytics.generate.writer import conform
from cs_analytics.raw.tables import raw_tables, table_names

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

# ---------------------------------------------------------------------------
# Validators written from the contract
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------

SCALE_S = gen.SCALES["S"]


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo set regenerated with its documented arguments."""
    out = tmp_path_factory.mktemp("demo")
    cli.main(["--out", str(out), *gen.DEMO_ARGS[2:]])
    return out


@pytest.fixture(scope="module")
def clean_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    gen.generate(out, SCALE_S, seed=7)
    return out


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def column_values(raw_dir: Path, table: str, column: str) -> list[str | None]:
    return [row.get(column) for row in read_rows(raw_dir / f"{table}.csv")]


def valid_rows(raw_dir: Path, table: str) -> list[Row]:
    return [v.row for v in validate(raw_dir, table) if v.reason is None]


# ---------------------------------------------------------------------------
# Determinism and layout
# ---------------------------------------------------------------------------


def test_demo_args_documented() -> None:
    assert gen.DEMO_ARGS == ("--out", "data/demo", "--scale", "S", "--seed", "42", "--bad-rows")


def test_demo_set_matches_generator(demo_copy: Path) -> None:
    assert file_bytes(DEMO_DIR) == file_bytes(demo_copy)


def test_same_seed_gives_identical_bytes(demo_copy: Path, tmp_path: Path) -> None:
    gen.generate(tmp_path, SCALE_S, seed=42, bad_rows=True)
    assert file_bytes(tmp_path) == file_bytes(demo_copy)


def test_different_seed_gives_different_files(demo_copy: Path, tmp_path: Path) -> None:
    gen.generate(tmp_path, SCALE_S, seed=43, bad_rows=True)
    other, demo = file_bytes(tmp_path), file_bytes(demo_copy)
    assert other.keys() == demo.keys()
    assert all(other[name] != demo[name] for name in demo)


def test_every_described_table_has_the_described_columns_in_order(demo_copy: Path) -> None:
    assert sorted(p.name for p in demo_copy.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    for table, described in TABLES.items():
        with open(demo_copy / f"{table}.csv", encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert tuple(header) == described.column_names, table


def test_a_column_without_generated_values_is_written_empty(demo_copy: Path) -> None:
    for table in ("survey_responses", "agents"):
        assert set(column_values(demo_copy, table, "updated_at")) == {None}, table


def test_a_generated_column_the_description_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="does not describe"):
        conform("agents", {"agent_id": pa.array(["A1"]), "shoe_size": pa.array(["42"])})


def test_start_date_moves_the_window(tmp_path: Path) -> None:
    cli.main(["--out", str(tmp_path), "--scale", "S", "--start-date", "2022-03-01"])
    days = [parse_timestamp(v).date() for v in column_values(tmp_path, "orders", "ordered_at")]
    assert min(days) >= date(2022, 3, 1)
    assert max(days) < date(2024, 3, 1)


def test_parquet_columns_are_strings_with_the_csv_values(clean_set: Path, tmp_path: Path) -> None:
    gen.generate(tmp_path, SCALE_S, seed=7, file_format="parquet")
    for table in table_names():
        data = pq.read_table(tmp_path / f"{table}.parquet")
        assert all(field.type == pa.string() for field in data.schema), table
        with open(clean_set / f"{table}.csv", encoding="utf-8", newline="") as f:
            from_csv = list(csv.DictReader(f))
        as_text = [
            {k: (v if v is not None else "") for k, v in r.items()} for r in data.to_pylist()
        ]
        assert as_text == from_csv, table


def test_switching_format_removes_the_other_file(tmp_path: Path) -> None:
    gen.generate(tmp_path, SCALE_S, seed=1)
    gen.generate(tmp_path, SCALE_S, seed=1, file_format="parquet")
    expected = sorted(f"{t}.parquet" for t in table_names())
    assert sorted(p.name for p in tmp_path.iterdir()) == expected


# ---------------------------------------------------------------------------
# Bad rows
# ---------------------------------------------------------------------------


def test_clean_set_has_no_rejected_or_duplicate_rows(clean_set: Path) -> None:
    for table in table_names():
        assert reasons(clean_set, table) == Counter(), table


@pytest.mark.parametrize("table", sorted(REASONS))
def test_bad_rows_cover_every_reason(table: str) -> None:
    found = reasons(DEMO_DIR, table)
    assert set(found) == REASONS[table]


@pytest.mark.parametrize("table", table_names())
def test_each_injected_row_has_its_intended_reason(table: str) -> None:
    n_valid = getattr(SCALE_S, table)
    assert reasons(DEMO_DIR, table) == expected_reasons(table, n_valid)


def test_bad_rows_are_well_under_one_percent_of_the_demo() -> None:
    for table in table_names():
        verdicts = validate(DEMO_DIR, table)
        bad = sum(v.reason is not None for v in verdicts)
        assert bad / len(verdicts) < 0.007, table


def test_large_sets_scale_the_bad_rows(tmp_path: Path) -> None:
    scale = gen.Scale("test", 3_000, 40_000, 30_000, 5_000, 30, 2, date(2024, 1, 1), "csv")
    gen.generate(tmp_path, scale, seed=5, bad_rows=True)
    for table in ("orders", "tickets"):
        n_valid = getattr(scale, table)
        expected = expected_reasons(table, n_valid)
        assert reasons(tmp_path, table) == expected
        assert sum(expected.values()) > len(gen.FAULTS[table]())


RAW_BAD_VALUES = {
    ("tickets", "missing_key"): ["   "],
    ("orders", "invalid_timestamp"): ["2025-13-45", "2025-03-01 24:00:00", "N/A"],
    ("tickets", "invalid_timestamp"): ["yesterday"],
    ("customers", "invalid_timestamp"): ["15/03/2025 10:00"],
    ("orders", "invalid_amount"): ["1,000", "NaN", "-5", "$12"],
    ("tickets", "invalid_count"): ["4.5", "2.0", "-1", "two"],
    ("survey_responses", "invalid_score"): ["11", "0", "4.5"],
}


def _raw_values(verdict: Verdict, raw_dir: Path, table: str) -> set[str]:
    with open(raw_dir / f"{table}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return set(rows[verdict.position].values())


def test_bad_rows_use_the_listed_spellings() -> None:
    for (table, reason), spellings in RAW_BAD_VALUES.items():
        rejected = [v for v in validate(DEMO_DIR, table) if v.reason == reason]
        values = set().union(*(_raw_values(v, DEMO_DIR, table) for v in rejected))
        assert set(spellings) <= values, (table, reason)


def test_duplicates_are_decided_by_updated_at_not_only_file_order() -> None:
    for table in ("customers", "orders", "tickets"):
        verdicts = validate(DEMO_DIR, table)
        key = KEYS[table]
        losers = [v for v in verdicts if v.reason == "duplicate_key"]
        winners = {v.row[key]: v for v in verdicts if v.reason is None}
        later_losers = [d for d in losers if d.position > winners[d.row[key]].position]
        assert later_losers, f"{table}: no duplicate where an earlier row wins"


# ---------------------------------------------------------------------------
# Realistic shapes
# ---------------------------------------------------------------------------


def _ids(values: list[str | None]) -> set[str]:
    return {v for v in values if v is not None}


def _longest_gap(times: list[datetime]) -> float:
    ordered = sorted(times)
    gaps = [(b - a).total_seconds() / 86_400 for a, b in zip(ordered, ordered[1:], strict=False)]
    return max(gaps, default=0.0)


def test_customers_have_every_purchase_shape() -> None:
    orders = valid_rows(DEMO_DIR, "orders")
    known = _ids([r["customer_id"] for r in valid_rows(DEMO_DIR, "customers")])
    per_customer: dict[str, list[datetime]] = {}
    for row in orders:
        when = parse_timestamp(row["ordered_at"] or "")
        per_customer.setdefault(row["customer_id"] or "", []).append(when)
    counts = Counter(len(v) for v in per_customer.values())
    assert counts[1] > 100 and sum(n for k, n in counts.items() if k >= 5) > 50
    assert len(known - set(per_customer)) > 100, "prospects"
    assert set(per_customer) - known, "late-arriving customers"
    reactivated = [c for c, times in per_customer.items() if _longest_gap(times) > 90]
    assert len(reactivated) > 100


def test_values_have_mixed_spellings() -> None:
    with open(DEMO_DIR / "orders.csv", encoding="utf-8", newline="") as f:
        statuses = {row["status"] for row in csv.DictReader(f)}
    assert {"completed", "Delivered", " paid ", "canceled", "refunded", "shipped"} <= statuses
    channels = _ids(column_values(DEMO_DIR, "tickets", "channel"))
    assert {"phone", "Phone", "email", "chat", "zalo", "facebook", "web"} <= channels
    acquisition = column_values(DEMO_DIR, "customers", "acquisition_channel")
    assert {"Facebook", "zalo", "google", "tiktok", "referral", None} <= set(acquisition)
    priorities = set(column_values(DEMO_DIR, "tickets", "priority"))
    assert {"low", "normal", "High", "urgent", None} <= priorities
    assert priorities - {"low", "normal", "high", "urgent", "Low", "High", "Urgent", None}
    categories = set(column_values(DEMO_DIR, "tickets", "category"))
    assert {"giao hàng", "thanh toán", "đổi trả", "tài khoản", None} <= categories
    assert {"nps", "NPS", "csat"} <= set(column_values(DEMO_DIR, "survey_responses", "survey_type"))


def test_personal_data_is_vietnamese() -> None:
    rows = list(read_rows(DEMO_DIR / "customers.csv"))
    names = [r["full_name"] for r in rows if r["full_name"]]
    assert any(n.startswith("Nguyễn ") for n in names)
    assert any(" Thị " in n for n in names)
    assert {"Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ"} <= {
        r["city"] for r in rows
    }
    assert all("@" in r["email"] for r in rows if r["email"])
    assert all(re.fullmatch(r"(0|\+84)\d{9}", r["phone"]) for r in rows if r["phone"])


def test_timestamps_come_in_every_spelling() -> None:
    values = [v for v in column_values(DEMO_DIR, "orders", "ordered_at") if v]
    plain = [v for v in values if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", v)]
    assert len(plain) > 0.8 * len(values)
    assert any("T" in v and not v.endswith(("Z", "+07:00")) for v in values)
    assert any(v.endswith("Z") for v in values)
    assert any(v.endswith("+07:00") for v in values)


def test_tickets_have_every_shape() -> None:
    rows = valid_rows(DEMO_DIR, "tickets")
    customers = _ids(column_values(DEMO_DIR, "customers", "customer_id"))
    agents = _ids(column_values(DEMO_DIR, "agents", "agent_id"))
    assert any(r["first_response_at"] is None for r in rows), "unanswered"
    assert any(r["resolved_at"] is None and r["first_response_at"] for r in rows)
    assert any(int(r["contact_count"] or 1) > 1 for r in rows), "multi-contact"
    assert any(int(r["reopen_count"] or 0) > 0 for r in rows), "reopened"
    assert any(r["agent_id"] is None for r in rows), "unassigned"
    assert any(r["agent_id"] and r["agent_id"] not in agents for r in rows)
    assert any(r["customer_id"] and r["customer_id"] not in customers for r in rows)
    assert any(r["customer_id"] is None for r in rows)
    for row in rows:
        channel = (row["channel"] or "").lower()
        if channel not in ("phone", "chat"):
            assert row["wait_seconds"] is None, row
    queued = [r for r in rows if (r["channel"] or "").lower() in ("phone", "chat")]
    assert sum(r["wait_seconds"] is not None for r in queued) > 0.9 * len(queued)


def _open_days(raw_dir: Path) -> list[float]:
    """Days each valid ticket stays open: to its resolution, or to the end of the
    generated window (2026-01-01) when unresolved."""
    end = datetime(2026, 1, 1)
    return [
        ((parse_timestamp(r["resolved_at"]) if r["resolved_at"] else end)
         - parse_timestamp(r["created_at"])) / timedelta(days=1)
        for r in valid_rows(raw_dir, "tickets")
    ]


def test_long_open_tickets_stay_open_for_months(tmp_path: Path) -> None:
    """`--long-open` (the business-time benchmark's data, docs/performance.md): about
    half the tickets stay open a month or more, against a few percent without it; the
    rows keep every rule of the contract (no reply or resolution before creation)."""
    assert cli.main(["--out", str(tmp_path), "--scale", "S", "--seed", "42",
                     "--long-open"]) == 0
    long_open = _open_days(tmp_path)
    usual = _open_days(DEMO_DIR)
    assert sum(d >= 30 for d in long_open) / len(long_open) > 0.4
    assert sum(d >= 30 for d in usual) / len(usual) < 0.1
    assert sum(d >= 180 for d in long_open) > 0.1 * len(long_open)
    assert all(validation.reason is None for validation in validate(tmp_path, "tickets"))


def test_surveys_reference_tickets_and_carry_quoted_comments() -> None:
    rows = valid_rows(DEMO_DIR, "survey_responses")
    tickets = _ids(column_values(DEMO_DIR, "tickets", "ticket_id"))
    csat = [r for r in rows if (r["survey_type"] or "").lower() == "csat"]
    about_tickets = [r for r in csat if r["ticket_id"]]
    assert len(about_tickets) > 0.8 * len(csat)
    assert all(r["ticket_id"] in tickets for r in about_tickets)
    nps = {int(r["score"] or 0) for r in rows if (r["survey_type"] or "").lower() == "nps"}
    assert nps == set(range(11))
    comments = [r["comment"] for r in rows if r["comment"]]
    assert any("," in c and '"' in c for c in comments)
    assert any(c != c.encode("ascii", "ignore").decode() for c in comments)
    raw = (DEMO_DIR / "survey_responses.csv").read_text(encoding="utf-8")
    assert '""' in raw, "quotes are escaped by doubling"


def test_agents_have_names_and_some_empty_teams() -> None:
    rows = list(read_rows(DEMO_DIR / "agents.csv"))
    assert len(rows) == SCALE_S.agents
    assert all(r["agent_name"] for r in rows)
    assert any(r["team"] is None for r in rows) and any(r["team"] for r in rows)


# ---------------------------------------------------------------------------
# Real-export CSV shapes
# ---------------------------------------------------------------------------


def test_demo_comments_hold_quoted_line_breaks_commas_and_doubled_quotes() -> None:
    rows = list(read_rows(DEMO_DIR / "survey_responses.csv"))
    multiline = [r["comment"] for r in rows if r["comment"] and "\n" in r["comment"]]
    assert 2 <= len(multiline) <= 0.01 * len(rows), "a few rows, not many"
    assert any("," in c and '"' in c for c in multiline)
    assert any("\n\n" in c for c in multiline), "an empty line inside a value"
    raw = (DEMO_DIR / "survey_responses.csv").read_text(encoding="utf-8")
    assert raw.count("\n") > len(rows) + 1, "line breaks inside quoted values"
    assert '""' in raw, "quotes are escaped by doubling"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_demo_csv_round_trips_through_the_csv_module(table: str) -> None:
    """RFC 4180 as Python writes it: reading and writing back gives the same bytes."""
    path = DEMO_DIR / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert {len(row) for row in rows} == {len(TABLES[table].column_names)}
    written = io.StringIO(newline="")
    csv.writer(written, lineterminator="\n").writerows(rows)
    assert written.getvalue() == path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Generation in blocks (as XL runs), on a small scale cut into several blocks
# ---------------------------------------------------------------------------

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
    customers = _ids([r["customer_id"] for r in valid_rows(blocked_set, "customers")])
    assert len(customers) == BLOCKED.customers
    orders = valid_rows(blocked_set, "orders")
    assert len(orders) == BLOCKED.orders
    late = {r["customer_id"] for r in orders} - customers
    assert len(late) == sum(b.late_customers for b in blocks), "late-arriving customers"
    assert all(int((c or "C0")[1:]) > BLOCKED.customers for c in late)
    tickets = valid_rows(blocked_set, "tickets")
    assert len(tickets) == BLOCKED.tickets
    strangers = _ids([r["customer_id"] for r in tickets]) - customers - late
    assert strangers and all(int(c[1:]) >= blocks[0].first_stranger for c in strangers)
    agents = _ids(column_values(blocked_set, "agents", "agent_id"))
    assigned = _ids([r["agent_id"] for r in tickets])
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

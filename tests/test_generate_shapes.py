"""The generator's demo set looks like real exports: every purchase and ticket shape
the marts must handle, mixed spellings, Vietnamese personal data, every timestamp
spelling, and CSV as real exports write it (quoted line breaks, commas, doubled
quotes).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from contract_validators import (
    DEMO_DIR,
    TABLES,
    column_values,
    ids,
    parse_timestamp,
    read_rows,
    valid_rows,
    validate,
)

from cs_analytics import generate as gen
from cs_analytics.generate import cli


def _longest_gap(times: list[datetime]) -> float:
    ordered = sorted(times)
    gaps = [(b - a).total_seconds() / 86_400 for a, b in zip(ordered, ordered[1:], strict=False)]
    return max(gaps, default=0.0)


def test_customers_have_every_purchase_shape() -> None:
    orders = valid_rows(DEMO_DIR, "orders")
    known = ids([r["customer_id"] for r in valid_rows(DEMO_DIR, "customers")])
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
    channels = ids(column_values(DEMO_DIR, "tickets", "channel"))
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
    customers = ids(column_values(DEMO_DIR, "customers", "customer_id"))
    agents = ids(column_values(DEMO_DIR, "agents", "agent_id"))
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
    tickets = ids(column_values(DEMO_DIR, "tickets", "ticket_id"))
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
    assert len(rows) == gen.SCALES["S"].agents
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

"""Customer marts on random data the project has never seen, compared cell
for cell with the brute-force reference in tests/reference.py."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Warehouse, build, write_csv
from reference import (
    CALENDAR,
    GRAINS,
    SERVICE_BANDS,
    SLA_TARGETS,
    Order,
    Response,
    Ticket,
    customer_marts,
    linear_percentile,
    midnight,
    service_band,
    service_retention,
)

RAW_STATUSES = {
    "completed": "completed", " Delivered ": "completed", "PAID": "completed",
    "cancelled": "cancelled", "canceled": "cancelled", "refunded": "returned",
    "returned": "returned", "shipped": "pending", "pending": "pending",
}
UTC_OFFSET = timedelta(hours=7)


def make_raw(folder: Path, seed: int) -> dict:
    """Random raw folder; returns the orders and other events as the
    warehouse should read them (local time)."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1)
    customers = [f"C{i:03d}" for i in range(60)]
    orders: list[Order] = []
    order_rows = []
    for number in range(700):
        customer = rng.choice(customers[:50] + ["LATE1", "LATE2"])
        ordered_at = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 540))
        raw_status = rng.choice(list(RAW_STATUSES) + ["completed"] * 6)
        amount = Decimal(rng.randrange(0, 50000)) / 100
        if number % 7 == 0:
            text = (ordered_at - UTC_OFFSET).strftime("%Y-%m-%dT%H:%M:%SZ")
        elif number % 11 == 0:
            text = ordered_at.strftime("%Y-%m-%dT%H:%M")
        else:
            text = ordered_at.strftime("%Y-%m-%d %H:%M:%S")
        order_id = f"O{number:04d}"
        orders.append(Order(order_id, customer, ordered_at, RAW_STATUSES[raw_status], amount))
        order_rows.append([order_id, customer, raw_status, str(amount), text])
    write_csv(folder, "orders", ["order_id", "customer_id", "status", "amount", "ordered_at"],
              order_rows)
    write_csv(folder, "customers", ["customer_id", "city", "acquisition_channel"],
              [[c, "Hà Nội", rng.choice(["Zalo", "", "facebook "])] for c in customers])
    tickets, ticket_rows = make_tickets(rng, start, customers)
    write_csv(folder, "tickets", ["ticket_id", "customer_id", "channel", "priority", "created_at",
                                  "first_response_at", "resolved_at"], ticket_rows)
    responses, survey_rows = make_responses(rng, start, customers, len(ticket_rows))
    write_csv(folder, "survey_responses",
              ["response_id", "survey_type", "customer_id", "ticket_id", "score",
               "submitted_at"], survey_rows)
    ticket_events = [
        at for t in tickets for at in (t.created_at, t.first_response_at, t.resolved_at) if at
    ]
    return {
        "orders": orders,
        "customers": customers,
        "tickets": tickets,
        "responses": responses,
        "events": [o.ordered_at for o in orders] + ticket_events
        + [r.submitted_at for r in responses],
        "coverage_events": [o.ordered_at for o in orders] + [t.created_at for t in tickets]
        + [r.submitted_at for r in responses],
    }


def local_text(moment: datetime, rng: random.Random) -> str:
    """A local time as an export writes it: mostly plain, sometimes in UTC with Z."""
    if rng.random() < 0.1:
        return (moment - UTC_OFFSET).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def some_instant(rng: random.Random, start: datetime, days: int) -> datetime:
    """A random minute, or a local midnight (a period start, or the S - W edge of
    one, for some of them)."""
    day = start + timedelta(days=rng.randrange(0, days))
    return day if rng.random() < 0.25 else day + timedelta(minutes=rng.randrange(1, 24 * 60))


def make_tickets(rng: random.Random, start: datetime, customers: list[str]) -> tuple:
    """Valid tickets of every shape the service bands read (no customer, unanswered,
    answered or resolved exactly at a target or at a midnight, answered after the
    resolution, still open), then faulty rows: two rejected, and repeated keys whose
    last row wins."""
    tickets: dict[str, Ticket] = {}
    rows = []
    priorities = {"low": "low", "Normal": "normal", "HIGH": "high", "urgent": "urgent",
                  "": "normal", "khẩn": "normal"}
    for number in range(260):
        raw_priority = rng.choice(list(priorities))
        priority = priorities[raw_priority]
        first_minutes, resolution_hours = SLA_TARGETS[priority]
        created = some_instant(rng, start, 560)
        # Exactly at a target, and one second over it, on the priority's clock.
        first_due = CALENDAR.instant_after(priority, created, timedelta(minutes=first_minutes))
        resolution_due = CALENDAR.instant_after(
            priority, created, timedelta(hours=resolution_hours)
        )
        response = rng.choice([
            None, first_due, first_due + timedelta(seconds=1),
            created + timedelta(minutes=rng.randrange(0, 3000)),
            created + timedelta(minutes=rng.randrange(0, 60)),
        ])
        resolved = rng.choice([
            None, created, resolution_due, resolution_due + timedelta(seconds=1),
            created + timedelta(minutes=rng.randrange(0, 60 * 24 * 20)),
            midnight((created + timedelta(days=rng.randrange(1, 40))).date()),
        ])
        customer = rng.choice(customers + ["WALKIN", None, None])
        ticket_id = f"T{number:03d}"
        tickets[ticket_id] = Ticket(ticket_id, customer, priority, created, response, resolved)
        rows.append([ticket_id, customer, "chat", raw_priority, local_text(created, rng),
                     local_text(response, rng) if response else None,
                     local_text(resolved, rng) if resolved else None])
    created = start + timedelta(days=100)
    rows += [
        # Rejected: resolved before creation, and an unreadable first response.
        ["BAD1", customers[0], "chat", "low", created.strftime("%Y-%m-%d %H:%M:%S"), None,
         (created - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")],
        ["BAD2", customers[1], "chat", "low", created.strftime("%Y-%m-%d %H:%M:%S"),
         "2025-13-45", None],
    ]
    for ticket_id in ("T001", "T002", "T003"):
        # A repeated key: the row further down the file wins.
        old = tickets[ticket_id]
        resolved = old.created_at + timedelta(days=rng.randrange(0, 30), minutes=7)
        tickets[ticket_id] = Ticket(ticket_id, customers[2], old.priority, old.created_at,
                                    None, resolved)
        rows.append([ticket_id, customers[2], "chat", old.priority,
                     old.created_at.strftime("%Y-%m-%d %H:%M:%S"), None,
                     resolved.strftime("%Y-%m-%d %H:%M:%S")])
    return list(tickets.values()), rows


def make_responses(rng: random.Random, start: datetime, customers: list[str],
                   ticket_count: int) -> tuple:
    """Valid responses with and without a customer or a ticket, and one rejected
    (a CSAT score out of range)."""
    responses, rows = [], []
    for number in range(160):
        kind = rng.choice(["nps", "csat"])
        score = rng.randrange(0, 11) if kind == "nps" else rng.randrange(1, 6)
        submitted = some_instant(rng, start, 550)
        customer = rng.choice(customers + [None])
        ticket = rng.choice([None, f"T{rng.randrange(0, ticket_count):03d}"])
        response_id = f"S{number:03d}"
        responses.append(Response(response_id, customer, kind, score, submitted))
        rows.append([response_id, kind, customer, ticket, score, local_text(submitted, rng)])
    rows.append(["S999", "csat", customers[0], None, 9, "2024-06-01 10:00:00"])
    return responses, rows


def compare_period_mart(warehouse: Warehouse, table: str, expected: dict) -> None:
    columns = list(next(iter(expected.values())))
    rows = warehouse.rows(f"select period_grain, period_start, {', '.join(columns)} "
                          f"from marts.{table}")
    actual = {(r.pop("period_grain"), r.pop("period_start")): r for r in rows}
    assert set(actual) == set(expected), f"{table}: period spine differs"
    for key, values in expected.items():
        for column, value in values.items():
            got = actual[key][column]
            if value is None or got is None:
                assert got == value, f"{table} {key} {column}: {got} != {value}"
            else:
                assert float(got) == pytest.approx(float(value), rel=1e-9, abs=1e-9), (
                    f"{table} {key} {column}: {got} != {value}"
                )


@pytest.fixture(scope="module", params=[
    {"seed": 7, "vars": {}, "window": 90, "as_of": None},
    {"seed": 11, "vars": {"churn_window_days": 45, "as_of_date": "2025-02-15"},
     "window": 45, "as_of": datetime(2025, 2, 15)},
], ids=["default-as-of-w90", "explicit-as-of-w45"])
def scenario(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    raw = tmp_path_factory.mktemp("raw")
    data = make_raw(raw, request.param["seed"])
    warehouse = build(tmp_path_factory.mktemp("wh"), raw, request.param["vars"])
    as_of = request.param["as_of"] or datetime.combine(
        max(data["events"]).date() + timedelta(days=1), datetime.min.time()
    )
    first_event = min(e for e in data["coverage_events"] if e < as_of)
    expected = customer_marts(data["orders"], as_of, request.param["window"], first_event)
    expected["service_retention"] = service_retention(
        data["orders"], data["tickets"], data["responses"], as_of, request.param["window"],
        first_event,
    )
    return warehouse, data, expected, as_of, request.param["window"]


def test_as_of(scenario) -> None:
    warehouse, _, _, as_of, _ = scenario
    assert warehouse.scalar("select as_of_at from intermediate.int_reporting_window") == as_of


def test_customer_retention_matches_reference(scenario) -> None:
    warehouse, _, expected, _, _ = scenario
    assert {grain for grain, _ in expected["retention"]} == set(GRAINS)
    compare_period_mart(warehouse, "customer_retention", expected["retention"])


def test_revenue_matches_reference(scenario) -> None:
    warehouse, _, expected, _, _ = scenario
    compare_period_mart(warehouse, "revenue", expected["revenue"])


def test_cohorts_match_reference(scenario) -> None:
    warehouse, _, expected, _, _ = scenario
    rows = warehouse.rows("select cohort_month, month_offset, cohort_size, active_customers, "
                          "retention_rate, revenue from marts.cohort_retention")
    actual = {(r.pop("cohort_month"), r.pop("month_offset")): r for r in rows}
    assert set(actual) == set(expected["cohorts"])
    for key, values in expected["cohorts"].items():
        for column, value in values.items():
            assert float(actual[key][column]) == pytest.approx(float(value)), (key, column)


def test_dim_customers_matches_reference(scenario) -> None:
    warehouse, data, _, as_of, window = scenario
    orders = [o for o in data["orders"] if o.ordered_at < as_of]
    purchases: dict[str, list] = {}
    for order in orders:
        if order.status == "completed":
            purchases.setdefault(order.customer_id, []).append(order)
    tickets = [t for t in data["tickets"] if t.created_at < as_of]
    responses = [r for r in data["responses"] if r.submitted_at < as_of]
    ids = (set(data["customers"]) | {o.customer_id for o in orders}
           | {t.customer_id for t in tickets} | {r.customer_id for r in responses}) - {None}
    revenues = [sum(o.amount for o in ps) for ps in purchases.values()]
    threshold = linear_percentile(revenues, 0.95)
    rows = {r["customer_id"]: r for r in warehouse.rows("select * from marts.dim_customers")}
    assert set(rows) == ids
    for customer in ids:
        row, bought = rows[customer], purchases.get(customer, [])
        assert row["is_inferred"] == (customer not in data["customers"])
        assert row["purchases"] == len(bought)
        assert row["tickets"] == sum(t.customer_id == customer for t in tickets)
        nps = sorted((r for r in responses if r.customer_id == customer
                      and r.survey_type == "nps"), key=lambda r: (r.submitted_at, r.response_id))
        assert row["latest_nps_score"] == (nps[-1].score if nps else None)
        assert row["is_detractor"] == bool(nps and nps[-1].score <= 6)
        assert row["service_band"] == service_band(
            customer, as_of, tickets, responses, window
        ), customer
        if not bought:
            assert (row["lifecycle_stage"], row["loyalty_tier"], row["is_vip"]) == (
                "prospect", "none", False)
            continue
        first = min(o.ordered_at for o in bought)
        last = max(o.ordered_at for o in bought)
        if last < as_of - timedelta(days=window):
            stage = "churned"
        elif first >= as_of - timedelta(days=30):
            stage = "new"
        elif as_of - last > timedelta(days=60):
            stage = "at_risk"
        else:
            stage = "active"
        tier = {1: "one_time", 2: "repeat", 3: "repeat", 4: "repeat"}.get(len(bought), "loyal")
        revenue = sum(o.amount for o in bought)
        assert (row["first_purchase_at"], row["last_purchase_at"]) == (first, last)
        assert row["lifetime_revenue"] == revenue
        assert (row["lifecycle_stage"], row["loyalty_tier"]) == (stage, tier), customer
        assert row["is_vip"] == (float(revenue) >= threshold - 1e-9), customer


def test_service_retention_matches_reference(scenario) -> None:
    """Every cell of every grain, period and band, against every active customer
    tested one by one at S and E (tests/reference.py)."""
    warehouse, _, expected, _, _ = scenario
    rows = warehouse.rows("select * from marts.service_retention")
    actual = {(r.pop("period_grain"), r.pop("period_start"), r.pop("service_band")): r
              for r in rows}
    assert set(actual) == set(expected["service_retention"])
    for key, values in expected["service_retention"].items():
        for column, value in values.items():
            got = actual[key][column]
            if value is None or got is None:
                assert got == value, (key, column, got, value)
            else:
                assert got == pytest.approx(value, rel=1e-9, abs=1e-12), (key, column)
    # The data reach every band and both sides of the reference's edges.
    reached = {band for (_, _, band), v in expected["service_retention"].items()
               if v["customers_start"]}
    assert reached == set(SERVICE_BANDS)


def test_service_bands_add_up_to_customer_retention(scenario) -> None:
    warehouse, _, expected, _, _ = scenario
    for (grain, start), totals in expected["retention"].items():
        bands = [v for (g, s, _), v in expected["service_retention"].items()
                 if (g, s) == (grain, start)]
        assert len(bands) == len(SERVICE_BANDS)
        for column in ("customers_start", "retained_customers", "churned_customers"):
            assert sum(v[column] for v in bands) == totals[column]

"""Customer marts on random data the project has never seen, compared cell
for cell with the brute-force reference in tests/reference.py."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Warehouse, build, write_csv
from reference import GRAINS, Order, customer_marts, linear_percentile

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
    tickets = []
    for number in range(40):
        created = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 560))
        tickets.append([f"T{number}", rng.choice(customers + ["WALKIN"]), "chat",
                        created.strftime("%Y-%m-%d %H:%M:%S")])
    write_csv(folder, "tickets", ["ticket_id", "customer_id", "channel", "created_at"], tickets)
    surveys = []
    for number in range(60):
        submitted = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 550))
        kind = rng.choice(["nps", "csat"])
        score = rng.randrange(0, 11) if kind == "nps" else rng.randrange(1, 6)
        surveys.append([f"S{number:03d}", kind, rng.choice(customers), score,
                        submitted.strftime("%Y-%m-%d %H:%M:%S")])
    write_csv(folder, "survey_responses",
              ["response_id", "survey_type", "customer_id", "score", "submitted_at"], surveys)
    ticket_times = [datetime.fromisoformat(t[3]) for t in tickets]
    survey_times = [datetime.fromisoformat(s[4]) for s in surveys]
    return {
        "orders": orders,
        "customers": customers,
        "tickets": tickets,
        "surveys": surveys,
        "events": [o.ordered_at for o in orders] + ticket_times + survey_times,
    }


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
    first_event = min(e for e in data["events"] if e < as_of)
    expected = customer_marts(data["orders"], as_of, request.param["window"], first_event)
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
    tickets = [t for t in data["tickets"] if datetime.fromisoformat(t[3]) < as_of]
    surveys = [s for s in data["surveys"] if datetime.fromisoformat(s[4]) < as_of]
    ids = (set(data["customers"]) | {o.customer_id for o in orders}
           | {t[1] for t in tickets} | {s[2] for s in surveys})
    revenues = [sum(o.amount for o in ps) for ps in purchases.values()]
    threshold = linear_percentile(revenues, 0.95)
    rows = {r["customer_id"]: r for r in warehouse.rows("select * from marts.dim_customers")}
    assert set(rows) == ids
    for customer in ids:
        row, bought = rows[customer], purchases.get(customer, [])
        assert row["is_inferred"] == (customer not in data["customers"])
        assert row["purchases"] == len(bought)
        assert row["tickets"] == sum(t[1] == customer for t in tickets)
        nps = sorted((s for s in surveys if s[2] == customer and s[1] == "nps"),
                     key=lambda s: (s[4], s[0]))
        assert row["latest_nps_score"] == (nps[-1][3] if nps else None)
        assert row["is_detractor"] == bool(nps and nps[-1][3] <= 6)
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

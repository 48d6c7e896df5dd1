"""A brute-force reference implementation of the customer marts, written
from the contract's definitions (sections 2, 3.1, 3.6, 3.7, 3.8) with plain
Python loops. Slow and obvious on purpose: the SQL counts spells at period
boundaries, this one tests every customer at every boundary."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

GRAINS = ("week", "month", "quarter", "year")


@dataclass(frozen=True)
class Order:
    order_id: str
    customer_id: str
    ordered_at: datetime
    status: str
    amount: Decimal


def period_start(grain: str, day: date) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def next_period_start(grain: str, start: date) -> date:
    if grain == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def periods(grain: str, first_event: datetime, as_of: datetime) -> list[tuple[date, date]]:
    """(period_start, next_period_start) from the first event's period through
    the period holding the last day before as_of."""
    last_day = (as_of - timedelta(days=1)).date()
    start = period_start(grain, first_event.date())
    result = []
    while start <= last_day:
        following = next_period_start(grain, start)
        result.append((start, following))
        start = following
    return result


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def customer_marts(
    orders: list[Order], as_of: datetime, window_days: int, first_event: datetime
) -> dict:
    window = timedelta(days=window_days)
    orders = [o for o in orders if o.ordered_at < as_of]
    purchases: dict[str, list[Order]] = defaultdict(list)
    for order in orders:
        if order.status == "completed":
            purchases[order.customer_id].append(order)
    first_purchase = {c: min(o.ordered_at for o in ps) for c, ps in purchases.items()}

    def active(customer: str, instant: datetime) -> bool:
        return any(instant - window <= o.ordered_at < instant for o in purchases[customer])

    retention, revenue = {}, {}
    for grain in GRAINS:
        for start, following in periods(grain, first_event, as_of):
            s = midnight(start)
            e = min(midnight(following), as_of)
            at_s = {c for c in purchases if active(c, s)}
            at_e = {c for c in purchases if active(c, e)}
            new = {c for c, fp in first_purchase.items() if s <= fp < e}
            retained = at_s & at_e
            reactivated = {c for c in at_e - at_s if first_purchase[c] < s}
            cs, ce = len(at_s), len(at_e)
            retention[(grain, start)] = {
                "customers_start": cs,
                "customers_end": ce,
                "new_customers": len(new),
                "retained_customers": len(retained),
                "churned_customers": len(at_s - at_e),
                "reactivated_customers": len(reactivated),
                "retention_rate": len(retained) / cs if cs else None,
                "churn_rate": len(at_s - at_e) / cs if cs else None,
                "retention_rate_textbook": (ce - len(new)) / cs if cs else None,
                "churn_rate_textbook": (cs - ce) / cs if cs else None,
            }
            in_period = [o for o in orders if s <= o.ordered_at < e]
            completed = [o for o in in_period if o.status == "completed"]
            total = sum((o.amount for o in completed), Decimal(0))
            new_revenue = sum(
                (
                    o.amount
                    for o in completed
                    if period_start(grain, first_purchase[o.customer_id].date()) == start
                ),
                Decimal(0),
            )
            count = len(in_period)
            revenue[(grain, start)] = {
                "orders": count,
                "completed_orders": len(completed),
                "cancelled_orders": sum(o.status == "cancelled" for o in in_period),
                "returned_orders": sum(o.status == "returned" for o in in_period),
                "revenue": total,
                "revenue_new_customers": new_revenue,
                "revenue_returning_customers": total - new_revenue,
                "buyers": len({o.customer_id for o in completed}),
                "avg_order_value": float(total) / len(completed) if completed else None,
            }
    cohorts = {}
    months = periods("month", first_event, as_of)
    for customer, fp in first_purchase.items():
        cohorts.setdefault(period_start("month", fp.date()), set()).add(customer)
    cohort_rows = {}
    for cohort_month, members in cohorts.items():
        offsets = [m for m in months if m[0] >= cohort_month]
        for offset, (month_start, month_next) in enumerate(offsets):
            bought = [
                o
                for c in members
                for o in purchases[c]
                if midnight(month_start) <= o.ordered_at < midnight(month_next)
            ]
            active_members = {o.customer_id for o in bought}
            cohort_rows[(cohort_month, offset)] = {
                "cohort_size": len(members),
                "active_customers": len(active_members),
                "retention_rate": len(active_members) / len(members),
                "revenue": sum((o.amount for o in bought), Decimal(0)),
            }
    return {"retention": retention, "revenue": revenue, "cohorts": cohort_rows}


def linear_percentile(values: list[Decimal], fraction: float) -> float:
    ordered = sorted(float(v) for v in values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)

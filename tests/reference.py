"""A brute-force reference implementation of the customer marts, written
from the contract's definitions (sections 2, 3.1, 3.6, 3.7, 3.8, 3.10) with
plain Python loops. Slow and obvious on purpose: the SQL counts spells and
band segments at period boundaries, this one tests every customer at every
boundary, with every ticket and response of the window."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from business_calendar import BusinessCalendar

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


# --------------------------------------------------------------------------
# Service bands and service_retention (contract 3.10, 3.8's service_band)
# --------------------------------------------------------------------------

SERVICE_BANDS = ("unresolved", "dissatisfied", "sla_breached", "served", "no_ticket")
WILSON_Z = 1.959963984540054
# seeds/business_hours.csv, holidays.csv and sla_targets.csv, read with the csv
# module (tests/business_calendar.py): each priority's targets and clock.
CALENDAR = BusinessCalendar.from_seeds()
# priority -> (first response minutes, resolution hours).
SLA_TARGETS = {
    priority: (first // timedelta(minutes=1), resolution // timedelta(hours=1))
    for priority, (first, resolution, _) in CALENDAR.targets.items()
}


@dataclass(frozen=True)
class Ticket:
    """A valid ticket as the warehouse reads it (local times, normalised priority)."""

    ticket_id: str
    customer_id: str | None
    priority: str
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None


@dataclass(frozen=True)
class Response:
    """A valid survey response."""

    response_id: str
    customer_id: str | None
    survey_type: str
    score: int
    submitted_at: datetime


def seed_elapsed(ticket: Ticket, start: datetime, end: datetime) -> timedelta:
    """The ticket's elapsed time from start to end on its priority's clock
    (contract sections 3.4 and 7), walked day by day."""
    return CALENDAR.elapsed(ticket.priority, start, end)


def sla_breached_at(ticket: Ticket, instant: datetime, elapsed=seed_elapsed) -> bool:
    """Contract 3.4 with as_of replaced by `instant`: a target is breached when the
    event took longer than it, or has not happened before `instant` (an event at or
    after it has not happened yet) and the ticket has been open longer than it."""
    first_minutes, resolution_hours = SLA_TARGETS[ticket.priority]
    for event, target in (
        (ticket.first_response_at, timedelta(minutes=first_minutes)),
        (ticket.resolved_at, timedelta(hours=resolution_hours)),
    ):
        if event is not None and event < instant:
            if elapsed(ticket, ticket.created_at, event) > target:
                return True
        elif elapsed(ticket, ticket.created_at, instant) > target:
            return True
    return False


def is_bad_score(response: Response) -> bool:
    return (response.survey_type == "csat" and response.score <= 2) or (
        response.survey_type == "nps" and response.score <= 6
    )


def service_band(
    customer: str,
    instant: datetime,
    tickets: list[Ticket],
    responses: list[Response],
    window_days: int,
    elapsed=seed_elapsed,
) -> str:
    """The customer's band at S = instant: the first that applies, looking at the
    customer's own tickets created and responses submitted in [S - W, S)."""
    start = instant - timedelta(days=window_days)
    own = [t for t in tickets if t.customer_id == customer and start <= t.created_at < instant]
    said = [
        r for r in responses if r.customer_id == customer and start <= r.submitted_at < instant
    ]
    if any(t.resolved_at is None or t.resolved_at >= instant for t in own):
        return "unresolved"
    if any(is_bad_score(r) for r in said):
        return "dissatisfied"
    if any(sla_breached_at(t, instant, elapsed) for t in own):
        return "sla_breached"
    return "served" if own else "no_ticket"


def wilson_interval(successes: int, trials: int) -> tuple[float | None, float | None]:
    """The Wilson score interval at 95%, as 3.10 writes it, unclipped."""
    if trials == 0:
        return None, None
    z, n = WILSON_Z, trials
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n)


def service_retention(
    orders: list[Order],
    tickets: list[Ticket],
    responses: list[Response],
    as_of: datetime,
    window_days: int,
    first_event: datetime,
) -> dict:
    """(grain, period_start, band) -> the row of marts.service_retention: every
    customer active at S is tested at S and E, one by one."""
    window = timedelta(days=window_days)
    purchases: dict[str, list[datetime]] = defaultdict(list)
    for order in orders:
        if order.status == "completed" and order.ordered_at < as_of:
            purchases[order.customer_id].append(order.ordered_at)
    tickets = [t for t in tickets if t.created_at < as_of]
    responses = [r for r in responses if r.submitted_at < as_of]

    def active(customer: str, instant: datetime) -> bool:
        return any(instant - window <= at < instant for at in purchases[customer])

    rows = {}
    for grain in GRAINS:
        for start, following in periods(grain, first_event, as_of):
            s = midnight(start)
            e = min(midnight(following), as_of)
            counts = {band: [0, 0] for band in SERVICE_BANDS}
            for customer in purchases:
                if active(customer, s):
                    band = service_band(customer, s, tickets, responses, window_days)
                    counts[band][0] += 1
                    counts[band][1] += active(customer, e)
            rates = {band: (r / n if n else None) for band, (n, r) in counts.items()}
            for band, (n, retained) in counts.items():
                low, high = wilson_interval(retained, n)
                base = rates["no_ticket"]
                rows[(grain, start, band)] = {
                    "customers_start": n,
                    "retained_customers": retained,
                    "churned_customers": n - retained,
                    "retention_rate": rates[band],
                    "retention_rate_ci_low": low,
                    "retention_rate_ci_high": high,
                    "retention_rate_vs_no_ticket": None
                    if rates[band] is None or base is None
                    else rates[band] - base,
                }
    return rows

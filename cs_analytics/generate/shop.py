"""Builders of the valid rows of the shop's tables: customers (and their
purchases) and orders. The helpdesk's and the surveys' are in `support`.

Each builder returns a `Built` (values.py): the table, and numeric helpers
aligned with its rows (instants in local seconds, statuses) that later
builders and the faults use without parsing text back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cs_analytics.generate.scales import DAY, Block, Window
from cs_analytics.generate.values import (
    EVENT_LATER,
    EVENT_START,
    ID_FORMAT,
    SIGN_UP,
    Built,
    Names,
    clock,
    format_ts,
    ids,
    null_where,
    pad_some,
    pick,
    pick_index,
    pick_within,
    texts,
    vietnamese_names,
)
from cs_analytics.generate.vocabularies import (
    ACQUISITION_CHANNELS,
    CANCEL_REASONS,
    CITIES,
    EMAIL_DOMAINS,
    MOBILE_PREFIXES,
    ORDER_HOURS,
    ORDER_STATUSES,
    RETURN_REASONS,
)
from cs_analytics.generate.writer import conform


@dataclass(frozen=True)
class Purchases:
    """Customer universe and their orders.

    Universe indices 0..n_file-1 are customers of the customers file, the
    following n_late ones only appear in orders (late-arriving customers).
    """

    n_file: int
    n_late: int
    counts: np.ndarray  # orders per universe customer
    first_order: np.ndarray  # local seconds of the first order, -1 without
    customer: np.ndarray  # universe index per order, orders sorted by time
    ordered: np.ndarray  # local seconds per order, ascending


def _order_counts(rng: np.random.Generator, block: Block) -> np.ndarray:
    """Orders per customer: prospects (0), one-time buyers (1), repeat buyers."""
    kind = rng.random(block.customers)
    one_time = (kind >= 0.15) & (kind < 0.50)
    repeat = kind >= 0.50
    file_counts = one_time.astype(np.int64)
    late_counts = 1 + rng.binomial(2, 0.3, block.late_customers)
    extra = block.orders - file_counts.sum() - late_counts.sum() - 2 * repeat.sum()
    if extra < 0:
        raise ValueError(f"block {block.index}: too few orders for its customers")
    weights = rng.gamma(0.6, size=int(repeat.sum()))
    file_counts[repeat] = 2 + rng.multinomial(extra, weights / weights.sum())
    return np.concatenate([file_counts, late_counts])


def _purchase_days(
    rng: np.random.Generator, counts: np.ndarray, n_file: int, days: int
) -> np.ndarray:
    """Day offsets (float) of every order, grouped by customer, ascending."""
    n_orders = int(counts.sum())
    customer = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    buyers = np.flatnonzero(counts > 0)
    mean_gap = 0.6 * days / np.maximum(counts, 1) * rng.lognormal(0.0, 0.5, len(counts))
    gaps = rng.exponential(1.0, n_orders) * mean_gap[customer]
    # Churn then reactivation: a dormant spell longer than the 90-day window.
    dormant = np.flatnonzero((counts >= 3) & (rng.random(len(counts)) < 0.25))
    spell_at = starts[dormant] + 1 + (rng.random(dormant.size) * (counts[dormant] - 1))
    gaps[spell_at.astype(np.int64)] = rng.uniform(100, 300, dormant.size)
    gaps[starts[buyers]] = 0.0
    within = np.cumsum(gaps)
    within -= np.repeat(within[starts[buyers]], counts[buyers])
    length = np.zeros(len(counts))
    length[buyers] = within[starts[buyers] + counts[buyers] - 1]
    # Late-arriving customers first bought in the last 90 days.
    limit = np.where(np.arange(len(counts)) < n_file, 0.97 * days, 85.0)
    shrink = np.where(length > limit, limit / np.maximum(length, 1e-9), 1.0)
    within *= shrink[customer]
    length *= shrink
    base = np.where(np.arange(len(counts)) < n_file, 0.0, days - 90.0)
    first = base + rng.random(len(counts)) * (limit - length)
    return first[customer] + within


def plan_purchases(rng: np.random.Generator, block: Block, window: Window) -> Purchases:
    counts = _order_counts(rng, block)
    days = _purchase_days(rng, counts, block.customers, window.days)
    day = np.clip(np.floor(days).astype(np.int64), 0, window.days - 1)
    secs = window.start + day * DAY + clock(rng, len(day), ORDER_HOURS)
    customer = np.repeat(np.arange(len(counts)), counts)
    first_order = np.full(len(counts), -1, dtype=np.int64)
    first_order[counts > 0] = secs[(np.cumsum(counts) - counts)[counts > 0]]
    by_time = np.argsort(secs, kind="stable")
    return Purchases(
        block.customers,
        block.late_customers,
        counts,
        first_order,
        customer[by_time],
        secs[by_time],
    )


def _emails(rng: np.random.Generator, names: Names) -> pa.Array:
    n = len(names.full_name)
    number = texts(rng.integers(1, 10_000, n))
    domain = pick(rng, EMAIL_DOMAINS, n)
    local = pc.binary_join_element_wise(names.given_ascii, names.family_ascii, ".")
    address = pc.binary_join_element_wise(local, number, "@", domain, "")
    return null_where(address, rng.random(n) < 0.07)


def _phones(rng: np.random.Generator, n: int) -> pa.Array:
    prefix = pa.array(MOBILE_PREFIXES).take(rng.integers(0, len(MOBILE_PREFIXES), n))
    line = pc.utf8_lpad(texts(rng.integers(0, 10_000_000, n)), 7, "0")
    national = np.where(rng.random(n) < 0.15, "+84", "0")
    phone = pc.binary_join_element_wise(pa.array(national), prefix, line, "")
    return null_where(phone, rng.random(n) < 0.08)


def customer_numbers(
    rng: np.random.Generator, purchases: Purchases, window: Window
) -> tuple[np.ndarray, np.ndarray]:
    """Sign-up instants of the file customers and their id numbers (sign-up order),
    numbered from 1 within the block."""
    n = purchases.n_file
    first = purchases.first_order[:n]
    before_first = first - (rng.lognormal(np.log(7.0), 1.2, n) * DAY).astype(np.int64)
    anytime = (
        window.start
        - 180 * DAY
        + (rng.random(n) * (window.end - window.start + 180 * DAY)).astype(np.int64)
    )
    signup = np.where(first >= 0, before_first, anytime)
    numbers = np.empty(n, dtype=np.int64)
    numbers[np.argsort(signup, kind="stable")] = np.arange(1, n + 1)
    return signup, numbers


def build_customers(
    rng: np.random.Generator, signup: np.ndarray, numbers: np.ndarray, window: Window
) -> Built:
    order = np.argsort(numbers, kind="stable")
    signup = signup[order]
    n = len(signup)
    names = vietnamese_names(rng, n)
    updated = np.minimum(
        np.maximum(signup, window.start) + (rng.random(n) * 300 * DAY).astype(np.int64),
        window.end - 1,
    )
    table = conform(
        "customers",
        {
            "customer_id": ids("C", numbers[order], ID_FORMAT["customers"][1]),
            "signed_up_at": format_ts(rng, signup, SIGN_UP, null=rng.random(n) < 0.03),
            "full_name": null_where(names.full_name, rng.random(n) < 0.01),
            "email": _emails(rng, names),
            "phone": _phones(rng, n),
            "city": pick(rng, CITIES, n),
            "acquisition_channel": pick(rng, ACQUISITION_CHANNELS, n),
            "updated_at": format_ts(rng, updated, EVENT_LATER),
        },
    )
    return Built(table, {"updated": updated})


# --------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------


def _order_status(rng: np.random.Generator, ordered: np.ndarray, window: Window) -> np.ndarray:
    """Canonical status index per order (index into ORDER_STATUSES)."""
    shares = [share for _, share, _ in ORDER_STATUSES]
    status = pick_index(rng, shares[:3], len(ordered))
    recent = ordered >= window.end - 14 * DAY
    pending = rng.random(len(ordered)) < np.where(recent, 0.5, shares[3])
    status[pending] = 3
    return status


def _amounts(rng: np.random.Generator, customer: np.ndarray, n_customers: int) -> np.ndarray:
    spend = rng.lognormal(0.0, 0.4, n_customers)[customer]
    amount = rng.lognormal(np.log(280_000), 0.8, len(customer)) * spend
    amount = np.maximum(np.round(amount / 1_000) * 1_000, 10_000).astype(np.int64)
    amount[rng.random(len(customer)) < 0.002] = 0  # fully paid by voucher
    return amount


def _reasons(rng: np.random.Generator, status: np.ndarray) -> pa.Array:
    """Cancel reasons for cancelled and returned orders only."""
    no_reason = ((None, 1.0),)
    return pick_within(rng, status, [no_reason, CANCEL_REASONS, RETURN_REASONS, no_reason])


def build_orders(
    rng: np.random.Generator,
    purchases: Purchases,
    customer_ids: pa.Array,
    window: Window,
    first_id: int = 1,
) -> Built:
    ordered = purchases.ordered
    n = len(ordered)
    status = _order_status(rng, ordered, window)
    settle_days = np.array([3.0, 0.3, 12.0, 0.2])[status]
    updated = ordered + (rng.exponential(1.0, n) * settle_days * DAY).astype(np.int64) + 60
    updated = np.minimum(updated, window.end - 1)
    table = conform(
        "orders",
        {
            "order_id": ids("O", first_id + np.arange(n), ID_FORMAT["orders"][1]),
            "customer_id": pad_some(rng, customer_ids.take(purchases.customer), 0.003),
            "ordered_at": format_ts(rng, ordered, EVENT_START),
            "status": pick_within(rng, status, [s for _, _, s in ORDER_STATUSES]),
            "amount": texts(_amounts(rng, purchases.customer, len(purchases.counts))),
            "cancel_reason": _reasons(rng, status),
            "updated_at": format_ts(rng, updated, EVENT_LATER),
        },
    )
    return Built(table, {"ordered": ordered, "updated": updated, "status": status})

"""Builders of the valid rows of the support tables: agents, tickets (from
the shop's customers and orders) and survey responses.

Each builder returns a `Built` (values.py): the table, and numeric helpers
aligned with its rows (instants in local seconds, scores) that later builders
and the faults use without parsing text back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cs_analytics.generate.scales import DAY, HOUR, Block, Window
from cs_analytics.generate.shop import Purchases
from cs_analytics.generate.values import (
    EVENT_LATER,
    EVENT_START,
    ID_FORMAT,
    Built,
    clock,
    format_ts,
    ids,
    null_where,
    pad_some,
    pick,
    pick_index,
    pick_within,
    replace_rows,
    texts,
    vietnamese_names,
)
from cs_analytics.generate.vocabularies import (
    CATEGORIES,
    CHANNELS,
    COMMENT_FOLLOW_UPS,
    COMMENTS,
    CSAT_SCORE_WEIGHTS,
    MULTILINE_COMMENT_SHARE,
    NPS_SCORE_WEIGHTS,
    PRIORITIES,
    QUEUED_CHANNELS,
    SURVEY_TYPES,
    TEAMS,
    TICKET_HOURS,
)
from cs_analytics.generate.writer import conform


def build_agents(rng: np.random.Generator, n: int) -> Built:
    """The agents, and in aux their relative workload (share of the tickets)."""
    names = vietnamese_names(rng, n)
    table = conform(
        "agents",
        {
            "agent_id": ids("A", np.arange(1, n + 1), ID_FORMAT["agents"][1]),
            "agent_name": names.full_name,
            "team": pick(rng, TEAMS, n),
        },
    )
    return Built(table, {"workload": rng.gamma(4.0, size=n)})


@dataclass(frozen=True)
class TicketPlan:
    customer_ids: pa.Array
    created: np.ndarray


def _ticket_origins(
    rng: np.random.Generator,
    block: Block,
    customer_ids: pa.Array,
    purchases: Purchases,
    window: Window,
) -> TicketPlan:
    """Who opened each ticket and when.

    75% follow an order, 12% come from any customer of the file (prospects
    included), 8% from an unknown person and 5% from ids absent from the
    customers file (the block's strangers).
    """
    n = block.tickets
    origin = pick_index(rng, (75, 12, 8, 5), n)
    created = window.start + (rng.random(n) * window.days).astype(np.int64) * DAY
    created += clock(rng, n, TICKET_HOURS)
    who = rng.integers(0, purchases.n_file, n)
    linked = np.flatnonzero(origin == 0)
    order = rng.integers(0, len(purchases.ordered), linked.size)
    after = purchases.ordered[order] + (rng.lognormal(np.log(2 * DAY), 1.0, linked.size)).astype(
        np.int64
    )
    too_late = after >= window.end
    after[too_late] = purchases.ordered[order][too_late] + (
        rng.random(too_late.sum()) * (window.end - purchases.ordered[order][too_late])
    ).astype(np.int64)
    created[linked] = after
    who[linked] = purchases.customer[order]
    strangers = block.first_stranger + rng.integers(0, block.strangers, n)
    known = customer_ids.take(who)
    stranger_ids = ids("C", strangers, ID_FORMAT["customers"][1])
    who_ids = null_where(pc.if_else(pa.array(origin == 3), stranger_ids, known), origin == 2)
    return TicketPlan(pad_some(rng, who_ids, 0.003), created)


def _counts(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    contact = np.where(rng.random(n) < 0.72, 1, 1 + rng.geometric(0.55, n))
    contact = np.minimum(contact, 9)
    reopen = pick_index(rng, (90, 8, 2), n)
    return contact, reopen


def _first_responses(
    rng: np.random.Generator, channel: np.ndarray, priority: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """First response delay and queue wait in seconds (wait -1 where absent)."""
    n = len(channel)
    median = np.array([c[3] for c in CHANNELS], dtype=float)[channel]
    factor = np.array([p[2] for p in PRIORITIES])[priority]
    delay = median * factor * rng.lognormal(0.0, 1.0, n)
    queued = np.isin(channel, [i for i, c in enumerate(CHANNELS) if c[0] in QUEUED_CHANNELS])
    wait = np.round(rng.lognormal(np.log(40.0), 0.9, n)).astype(np.int64)
    delay = np.where(queued, wait + 5 + rng.lognormal(np.log(20.0), 0.5, n), delay)
    wait = np.where(queued & (rng.random(n) > 0.02), wait, -1)
    return np.maximum(delay, 30).astype(np.int64), wait


# With long_open, the share of tickets that stay open for months (the
# business-time benchmark of docs/performance.md).
LONG_OPEN_SHARE = 0.5


def _months_open(
    rng: np.random.Generator, created: np.ndarray, window: Window
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which tickets stay open for months, their first response (1 hour to 45 days
    after creation) and resolution (1 to 10 months after that, often after the window:
    still open at as_of)."""
    n = len(created)
    chosen = rng.random(n) < LONG_OPEN_SHARE
    first = created + rng.integers(HOUR, 45 * DAY, n)
    resolved = first + rng.integers(30 * DAY, 300 * DAY, n)
    return chosen, first, np.where(resolved < window.end, resolved, -1)


def _ticket_times(
    rng: np.random.Generator,
    created: np.ndarray,
    channel: np.ndarray,
    priority: np.ndarray,
    window: Window,
    long_open: bool = False,
) -> dict[str, np.ndarray]:
    n = len(created)
    delay, wait = _first_responses(rng, channel, priority)
    first = created + delay
    answered = (rng.random(n) > 0.03) & (first < window.end)
    contact, reopen = _counts(rng, n)
    median_h = np.array([p[3] for p in PRIORITIES])[priority]
    work = median_h * HOUR * rng.lognormal(0.0, 1.0, n)
    work *= (1 + 0.8 * (contact - 1)) * (1 + 1.5 * reopen)
    resolved = first + work.astype(np.int64)
    is_resolved = answered & (rng.random(n) > 0.04) & (resolved < window.end)
    # A few tickets are closed by the system without any agent reply.
    auto = ~answered & (rng.random(n) < 0.1)
    auto_at = created + (rng.lognormal(np.log(3 * DAY), 0.5, n)).astype(np.int64)
    auto &= auto_at < window.end
    resolved = np.where(auto, auto_at, resolved)
    is_resolved |= auto
    first = np.where(answered, first, -1)
    resolved = np.where(is_resolved, resolved, -1)
    if long_open:
        chosen, late_first, late_resolved = _months_open(rng, created, window)
        first = np.where(chosen, np.where(late_first < window.end, late_first, -1), first)
        resolved = np.where(chosen, np.where(first >= 0, late_resolved, -1), resolved)
    last = np.maximum(np.maximum(created, first), resolved)
    updated = np.minimum(last + rng.integers(60, HOUR, n), window.end - 1)
    return {
        "created": created,
        "first_response": first,
        "resolved": resolved,
        "contact": contact,
        "reopen": reopen,
        "wait": wait,
        "updated": updated,
    }


def _agent_ids(
    rng: np.random.Generator, n: int, workload: np.ndarray, assigned: np.ndarray
) -> pa.Array:
    n_agents = len(workload)
    agent = pick_index(rng, workload, n) + 1
    former = rng.random(n) < 0.005  # agents who left: absent from agents
    agent = np.where(former, n_agents + 1 + rng.integers(0, 2, n), agent)
    return null_where(ids("A", agent, ID_FORMAT["agents"][1]), ~assigned)


def _optional_ints(values: np.ndarray, null: np.ndarray) -> pa.Array:
    return null_where(texts(values), null)


def build_tickets(
    rng: np.random.Generator,
    block: Block,
    customer_ids: pa.Array,
    purchases: Purchases,
    window: Window,
    agent_workload: np.ndarray,
    long_open: bool = False,
) -> Built:
    n = block.tickets
    origins = _ticket_origins(rng, block, customer_ids, purchases, window)
    by_time = np.argsort(origins.created, kind="stable")
    created = origins.created[by_time]
    channel = pick_index(rng, [c[1] for c in CHANNELS], n)
    raw_priority = [p[1] for p in PRIORITIES]
    priority = pick_index(rng, [sum(w for _, w in p) for p in raw_priority], n)
    times = _ticket_times(rng, created, channel, priority, window, long_open)
    answered = times["first_response"] >= 0
    assigned = np.where(answered, rng.random(n) < 0.97, rng.random(n) < 0.35)
    table = conform(
        "tickets",
        {
            "ticket_id": ids("T", block.first_ticket + np.arange(n), ID_FORMAT["tickets"][1]),
            "customer_id": origins.customer_ids.take(by_time),
            "agent_id": _agent_ids(rng, n, agent_workload, assigned),
            "channel": pick_within(rng, channel, [c[2] for c in CHANNELS]),
            "category": _categories(rng, n),
            "priority": pick_within(rng, priority, raw_priority),
            "created_at": format_ts(rng, created, EVENT_START),
            "first_response_at": format_ts(rng, times["first_response"], EVENT_LATER, ~answered),
            "resolved_at": format_ts(rng, times["resolved"], EVENT_LATER, times["resolved"] < 0),
            "contact_count": _optional_ints(times["contact"], rng.random(n) < 0.03),
            "reopen_count": _optional_ints(times["reopen"], rng.random(n) < 0.05),
            "wait_seconds": _optional_ints(times["wait"], times["wait"] < 0),
            "updated_at": format_ts(rng, times["updated"], EVENT_LATER),
        },
    )
    return Built(table, times)


def _categories(rng: np.random.Generator, n: int) -> pa.Array:
    spelled = [
        ((c, 80), (c.capitalize(), 15), (c.upper(), 5)) if c else ((None, 1),)
        for c, _ in CATEGORIES
    ]
    category = pick_index(rng, [w for _, w in CATEGORIES], n)
    return pick_within(rng, category, spelled)


def _comments(rng: np.random.Generator, sentiment: np.ndarray) -> pa.Array:
    flat = [text for pool in COMMENTS for text in pool]
    sizes = np.array([len(pool) for pool in COMMENTS])
    offsets = np.cumsum(sizes) - sizes
    n = len(sentiment)
    index = offsets[sentiment] + (rng.random(n) * sizes[sentiment]).astype(np.int64)
    has = rng.random(n) < np.array([0.45, 0.25, 0.25])[sentiment]
    comments = pa.array(flat, pa.string()).take(index)
    two_lines = np.flatnonzero(has & (rng.random(n) < MULTILINE_COMMENT_SHARE))
    follow_up = pick(rng, COMMENT_FOLLOW_UPS, two_lines.size)
    joined = pc.binary_join_element_wise(comments.take(two_lines), follow_up, "\n")
    return null_where(replace_rows(comments, two_lines, joined), ~has)


def _after(
    rng: np.random.Generator, start: np.ndarray, median: float, window: Window
) -> np.ndarray:
    """A moment after start (lognormal delay), folded back before the window's end."""
    at = start + (rng.lognormal(np.log(median), 1.0, len(start))).astype(np.int64)
    late = at >= window.end
    at[late] = start[late] + (rng.random(late.sum()) * (window.end - start[late])).astype(np.int64)
    return at


def _csat_scores(rng: np.random.Generator, bad_experience: np.ndarray) -> np.ndarray:
    good = pick_index(rng, CSAT_SCORE_WEIGHTS["good"], len(bad_experience)) + 1
    bad = pick_index(rng, CSAT_SCORE_WEIGHTS["bad"], len(bad_experience)) + 1
    return np.where(bad_experience, bad, good)


def _survey_subjects(
    rng: np.random.Generator,
    n: int,
    tickets: Built,
    orders: Built,
    window: Window,
) -> dict[str, np.ndarray]:
    """Type, subject (ticket row or order row), moment and score of each response.

    Half are CSAT, 90% of them about a resolved ticket (at most one response
    per ticket), the rest after an order; NPS responses follow an order.
    """
    is_csat = rng.random(n) < 0.5
    resolved = np.flatnonzero(tickets.aux["resolved"] >= 0)
    want = np.flatnonzero(is_csat & (rng.random(n) < 0.9))
    about = want[: resolved.size]
    ticket_row = np.full(n, -1, dtype=np.int64)
    ticket_row[about] = rng.choice(resolved, about.size, replace=False)
    order_row = rng.integers(0, orders.table.num_rows, n)
    order_at = orders.aux["ordered"][order_row]
    submitted = _after(rng, order_at, 10 * DAY, window)
    resolved_at = tickets.aux["resolved"][ticket_row[about]]
    submitted[about] = _after(rng, resolved_at, 2 * HOUR, window)
    t = tickets.aux
    slow = (t["resolved"] - t["created"]) > 48 * HOUR
    bad = (t["reopen"] > 0) | (t["contact"] > 2) | slow
    bad_experience = np.where(ticket_row >= 0, bad[ticket_row], rng.random(n) < 0.15)
    score = np.where(
        is_csat,
        _csat_scores(rng, bad_experience),
        pick_index(rng, NPS_SCORE_WEIGHTS, n),
    )
    return {
        "is_csat": is_csat,
        "ticket_row": ticket_row,
        "order_row": order_row,
        "submitted": submitted,
        "score": score,
    }


def _sentiment(is_csat: np.ndarray, score: np.ndarray) -> np.ndarray:
    csat = np.select([score >= 4, score == 3], [2, 1], 0)
    nps = np.select([score >= 9, score >= 7], [2, 1], 0)
    return np.where(is_csat, csat, nps)


def build_surveys(
    rng: np.random.Generator, block: Block, tickets: Built, orders: Built, window: Window
) -> Built:
    n = block.survey_responses
    s = _survey_subjects(rng, n, tickets, orders, window)
    by_time = np.argsort(s["submitted"], kind="stable")
    s = {key: value[by_time] for key, value in s.items()}
    has_ticket = s["ticket_row"] >= 0
    ticket_ids = null_where(
        tickets.table["ticket_id"].combine_chunks().take(np.maximum(s["ticket_row"], 0)),
        ~has_ticket,
    )
    about_ticket = (
        tickets.table["customer_id"].combine_chunks().take(np.maximum(s["ticket_row"], 0))
    )
    after_order = orders.table["customer_id"].combine_chunks().take(s["order_row"])
    customer = pc.if_else(pa.array(has_ticket), about_ticket, after_order)
    first = block.first_response
    table = conform(
        "survey_responses",
        {
            "response_id": ids("R", first + np.arange(n), ID_FORMAT["survey_responses"][1]),
            "survey_type": pick_within(rng, s["is_csat"].astype(np.int64), SURVEY_TYPES),
            "customer_id": null_where(customer, rng.random(n) < 0.04),
            "ticket_id": ticket_ids,
            "score": texts(s["score"]),
            "submitted_at": format_ts(rng, s["submitted"], EVENT_START),
            "comment": _comments(rng, _sentiment(s["is_csat"], s["score"])),
        },
    )
    return Built(table, {"is_csat": s["is_csat"], "score": s["score"]})

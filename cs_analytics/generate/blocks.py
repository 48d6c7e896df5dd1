"""A generation, block by block.

The customers are cut into blocks (`scales.plan_blocks`). Each block builds
its customers, their orders, the tickets of those customers and the survey
responses about those tickets and orders, from random streams spawned from
the seed for that block alone; its bad rows are injected, and every table is
appended to its file before the next block is built. Relationships therefore
hold across the whole file: orders and tickets reference customers of their
block (or its late-arriving customers and strangers), survey responses
reference tickets and orders of their block, and ids never collide.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import accumulate
from pathlib import Path

import numpy as np

from cs_analytics.generate.faults import inject_faults, planned_faults
from cs_analytics.generate.progress import Progress
from cs_analytics.generate.scales import (
    BLOCK_CUSTOMERS,
    Block,
    Scale,
    Window,
    make_window,
    plan_blocks,
)
from cs_analytics.generate.shop import (
    build_customers,
    build_orders,
    customer_numbers,
    plan_purchases,
)
from cs_analytics.generate.support import build_agents, build_surveys, build_tickets
from cs_analytics.generate.values import ID_FORMAT, Built, ids
from cs_analytics.generate.writer import raw_file_writers
from cs_analytics.raw.tables import table_names

# Random streams: spawn keys (AGENTS,) for the agents, (BLOCK, index, stream)
# for a block, so a block's data depends on the seed and its index only.
AGENTS, BLOCK = 0, 1
# Tables built per block, in build order, each with its random stream number;
# the faults of a table use stream number + FAULT_STREAMS.
BLOCK_TABLES = {"customers": 0, "orders": 1, "tickets": 2, "survey_responses": 3}
FAULT_STREAMS = 10


def stream(seed: int, *spawn_key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=spawn_key))


def build_block(
    seed: int, block: Block, window: Window, agent_workload: np.ndarray, long_open: bool = False
) -> Iterator[tuple[str, Built]]:
    """The valid rows of each table of one block, in BLOCK_TABLES order."""
    rng = {name: stream(seed, BLOCK, block.index, n) for name, n in BLOCK_TABLES.items()}
    purchases = plan_purchases(rng["orders"], block, window)
    signup, numbers = customer_numbers(rng["customers"], purchases, window)
    numbers += block.first_customer - 1
    late = block.first_late_customer + np.arange(block.late_customers)
    customer_ids = ids("C", np.concatenate([numbers, late]), ID_FORMAT["customers"][1])
    yield "customers", build_customers(rng["customers"], signup, numbers, window)
    orders = build_orders(rng["orders"], purchases, customer_ids, window, block.first_order)
    yield "orders", orders
    tickets = build_tickets(
        rng["tickets"], block, customer_ids, purchases, window, agent_workload, long_open
    )
    yield "tickets", tickets
    yield "survey_responses", build_surveys(rng["survey_responses"], block, tickets, orders, window)


def first_fresh_keys(scale: Scale, blocks: tuple[Block, ...]) -> list[dict[str, int]]:
    """Per block and table, the first key number of its bad rows that take a fresh key:
    after every valid id (customers: after late-arriving customers and strangers)."""
    last_customer = blocks[-1].first_stranger + blocks[-1].strangers - 1
    after_valid = {
        "customers": last_customer + 2,
        "orders": scale.orders + 1,
        "tickets": scale.tickets + 1,
        "survey_responses": scale.survey_responses + 1,
    }
    firsts: dict[str, list[int]] = {}
    for name, start in after_valid.items():
        needed = [planned_faults(name, b.valid_rows(name), fresh_keys_only=True) for b in blocks]
        firsts[name] = [start + before for before in accumulate([0, *needed[:-1]])]
    return [{name: firsts[name][b.index] for name in after_valid} for b in blocks]


def planned_rows(
    scale: Scale, blocks: tuple[Block, ...], tables: tuple[str, ...], bad_rows: bool
) -> dict[str, int]:
    """Rows each file will hold (at most, with bad rows), for the progress line."""
    totals = dict.fromkeys(tables, 0)
    for name in tables:
        if name == "agents":
            totals[name] = scale.agents
        elif name in BLOCK_TABLES:
            for block in blocks:
                n = block.valid_rows(name)
                totals[name] += n + (planned_faults(name, n) if bad_rows else 0)
    return totals


def generate(
    out_dir: Path,
    scale: Scale,
    seed: int = 42,
    file_format: str | None = None,
    bad_rows: bool = False,
    start: date | None = None,
    progress: bool = False,
    block_customers: int = BLOCK_CUSTOMERS,
    long_open: bool = False,
) -> dict[str, int]:
    """Write every described raw table into out_dir; returns the rows of each file.

    The same arguments always give byte-identical files; block_customers is
    part of them (it decides which random stream draws which row). With
    long_open, half the tickets stay open for months (answered up to 45 days
    late, resolved 1 to 10 months later or never): the business-time
    benchmark's data set.
    """
    file_format = file_format or scale.file_format
    window = make_window(start or scale.start, scale.years)
    blocks = plan_blocks(scale, block_customers)
    fresh = first_fresh_keys(scale, blocks)
    tables = table_names()
    report = Progress(planned_rows(scale, blocks, tables, bad_rows), enabled=progress)
    agents = build_agents(stream(seed, AGENTS), scale.agents)
    with raw_file_writers(out_dir, tables, file_format) as writers:
        for block in blocks:
            for name, built in build_block(
                seed, block, window, agents.aux["workload"], long_open
            ):
                table = built.table
                if bad_rows:
                    fault_rng = stream(seed, BLOCK, block.index, FAULT_STREAMS + BLOCK_TABLES[name])
                    table = inject_faults(fault_rng, name, built, fresh[block.index][name])
                writers[name].write(table)
                report.add(name, table.num_rows)
        writers["agents"].write(agents.table)
        report.add("agents", agents.table.num_rows)
    report.close()
    return {name: writer.rows for name, writer in writers.items()}

"""Deterministic generator of the raw files described in the data contract.

Writes the five raw tables of contract section 1 (customers, orders, tickets,
survey_responses, agents) as `<table>.csv` or `<table>.parquet`, with exactly
the contract's columns plus an `updated_at` column on customers, orders and
tickets. Every value is text (Parquet columns are all strings). The same seed,
scale, start date and options give byte-identical files.

The data has the shapes the marts must handle: Vietnamese names and cities,
mixed-case vocabularies, timestamps with `T`, `Z` and `+07:00`, repeat buyers
with churn-then-reactivation gaps, one-time buyers, prospects, customers that
are only known from orders or tickets, unanswered, unresolved, multi-contact
and reopened tickets, and survey comments with commas and quotes.

With `--bad-rows`, rows breaking every rule of contract section 4 are injected
(one row per kind in the small demo set, a share of `BAD_ROW_RATE` per kind in
the large ones), plus duplicate keys resolved by `updated_at` or by file
order. See `_customer_faults`, `_order_faults`, `_ticket_faults` and
`_survey_faults` for the exact list.

The bundled demo set is
`python -m cs_analytics.generate --out data/demo --scale S --seed 42 --bad-rows`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from cs_analytics.generate.builders import (
    ID_FORMAT,
    Built,
    build_agents,
    build_customers,
    build_orders,
    build_surveys,
    build_tickets,
    customer_numbers,
    plan_purchases,
)
from cs_analytics.generate.faults import BAD_ROW_RATE, FAULTS, fault_count, inject_faults
from cs_analytics.generate.progress import Progress
from cs_analytics.generate.scales import SCALES, Scale, make_window
from cs_analytics.generate.values import ids
from cs_analytics.generate.writer import write_table
from cs_analytics.raw_tables import table_names

__all__ = ["BAD_ROW_RATE", "DEMO_ARGS", "FAULTS", "SCALES", "Scale", "fault_count", "generate"]

DEMO_ARGS = ("--out", "data/demo", "--scale", "S", "--seed", "42", "--bad-rows")


def generate(
    out_dir: Path,
    scale: Scale,
    seed: int = 42,
    file_format: str | None = None,
    bad_rows: bool = False,
    start: date | None = None,
    progress: bool = False,
) -> dict[str, int]:
    """Write the five raw tables into out_dir; returns the row count of each."""
    file_format = file_format or scale.file_format
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"unknown format {file_format!r}: use csv or parquet")
    out_dir.mkdir(parents=True, exist_ok=True)
    window = make_window(start or scale.start, scale.years)
    tables = table_names()
    streams = np.random.SeedSequence(seed).spawn(2 * len(tables))
    rng = {name: np.random.default_rng(s) for name, s in zip(tables, streams, strict=False)}
    fault_rng = {
        name: np.random.default_rng(s)
        for name, s in zip(tables, streams[len(tables) :], strict=True)
    }
    report = Progress(progress)
    counts: dict[str, int] = {}

    def emit(name: str, built: Built, first_new_key: int) -> None:
        table = built.table
        if bad_rows and name in FAULTS:
            table = inject_faults(fault_rng[name], name, built, first_new_key)
        write_table(table, out_dir, name, file_format)
        counts[name] = table.num_rows
        report.table(name, table.num_rows)

    purchases = plan_purchases(rng["orders"], scale, window)
    signup, numbers = customer_numbers(rng["customers"], purchases, window)
    universe = np.concatenate([numbers, scale.customers + 1 + np.arange(purchases.n_late)])
    customer_ids = ids("C", universe, ID_FORMAT["customers"][1])
    n_known = len(universe) + max(10, scale.tickets // 50) + 1
    emit("customers", build_customers(rng["customers"], signup, numbers, window), n_known + 1)
    orders = build_orders(rng["orders"], purchases, customer_ids, window)
    emit("orders", orders, scale.orders + 1)
    tickets = build_tickets(rng["tickets"], scale, customer_ids, purchases, window)
    emit("tickets", tickets, scale.tickets + 1)
    surveys = build_surveys(
        rng["survey_responses"], scale.survey_responses, tickets, orders, window
    )
    emit("survey_responses", surveys, scale.survey_responses + 1)
    emit("agents", build_agents(rng["agents"], scale.agents), scale.agents + 1)
    return counts

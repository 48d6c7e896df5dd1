"""Deterministic generator of the raw files described in the data contract.

Writes every raw table of `models/staging/_raw__sources.yml` (customers,
orders, tickets, survey_responses, agents) as `<table>.csv` or
`<table>.parquet`, with the described columns in the described order; a
described column the generator has no value for (today `updated_at` of
survey_responses and agents) is written empty. Every value is text (Parquet
columns are all strings). The same seed, scale, start date and options give
byte-identical files.

The data has the shapes the marts must handle: Vietnamese names and cities,
mixed-case vocabularies, timestamps with `T`, `Z` and `+07:00`, repeat buyers
with churn-then-reactivation gaps, one-time buyers, prospects, customers that
are only known from orders or tickets, unanswered, unresolved, multi-contact
and reopened tickets, and survey comments with commas and quotes.

With `bad_rows`, rows breaking every rule of contract section 4 are injected
(one row per kind in the small demo set, a share of `BAD_ROW_RATE` per kind in
the large ones), plus duplicate keys resolved by `updated_at` or by file
order (`faults`).

Any scale is generated in blocks of customers (`blocks`), so memory is that
of one block: the XL scale (100 million orders) runs in well under 4 GB.

Modules: `scales` (presets, window, blocks), `vocabularies` (word lists and
weights), `values` (vectorised value helpers), `shop` and `support` (valid
rows of each table), `faults` (bad rows), `writer` (CSV and Parquet files), `progress`,
`blocks` (the run), `cli` (`python -m cs_analytics.generate`).

The bundled demo set is
`python -m cs_analytics.generate --out data/demo --scale S --seed 42 --bad-rows`.
"""

from __future__ import annotations

from cs_analytics.generate.blocks import generate
from cs_analytics.generate.faults import BAD_ROW_RATE, FAULTS, fault_count
from cs_analytics.generate.scales import BLOCK_CUSTOMERS, SCALES, Scale, plan_blocks
from cs_analytics.generate.writer import FORMATS

__all__ = [
    "BAD_ROW_RATE",
    "BLOCK_CUSTOMERS",
    "DEMO_ARGS",
    "FAULTS",
    "FORMATS",
    "SCALES",
    "Scale",
    "fault_count",
    "generate",
    "plan_blocks",
]

DEMO_ARGS = ("--out", "data/demo", "--scale", "S", "--seed", "42", "--bad-rows")

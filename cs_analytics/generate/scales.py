"""Scales (row counts and period of each preset), the generated window and
the blocks a generation is cut into.

A generation runs block by block: each block is a slice of the customers with
their orders, tickets and survey responses, built from a random stream of its
own and written before the next one is built, so memory stays that of one
block whatever the scale. Ids are numbered across blocks: a block's first id
of each kind follows the last id of the previous block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import accumulate

DAY = 86_400
HOUR = 3_600
# Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving).
LOCAL_UTC_OFFSET = 7 * HOUR


@dataclass(frozen=True)
class Scale:
    """Row counts and time span of one preset."""

    name: str
    customers: int
    orders: int
    tickets: int
    survey_responses: int
    agents: int
    years: int
    start: date
    file_format: str


SCALES = {
    "S": Scale("S", 1_500, 4_000, 1_500, 1_500, 20, 2, date(2024, 1, 1), "csv"),
    "M": Scale("M", 100_000, 1_000_000, 300_000, 300_000, 150, 3, date(2023, 1, 1), "parquet"),
    "L": Scale(
        "L",
        1_000_000,
        10_000_000,
        3_000_000,
        2_000_000,
        1_000,
        3,
        date(2023, 1, 1),
        "parquet",
    ),
    "XL": Scale(
        "XL",
        10_000_000,
        100_000_000,
        30_000_000,
        20_000_000,
        5_000,
        3,
        date(2023, 1, 1),
        "parquet",
    ),
}
# Customers per block: about 2.5 million orders, well under 1 GB of memory.
BLOCK_CUSTOMERS = 250_000
# Late-arriving customers (only in orders) per customer of the file.
LATE_CUSTOMER_SHARE = 0.01


@dataclass(frozen=True)
class Window:
    """The generated period, in local wall-clock seconds since 1970-01-01 00:00."""

    start: int
    end: int  # exclusive

    @property
    def days(self) -> int:
        return (self.end - self.start) // DAY


def make_window(start: date, years: int) -> Window:
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = date(start.year + years, 3, 1)
    epoch = date(1970, 1, 1)
    return Window((start - epoch).days * DAY, (end - epoch).days * DAY)


@dataclass(frozen=True)
class Block:
    """One block of a generation: its row counts and the first id number of each kind.

    Customer ids are laid out as: customers of the file (block after block),
    then late-arriving customers (only in orders), then strangers (ids that
    only tickets carry); the faults' fresh keys come after all of them.
    """

    index: int
    customers: int
    orders: int
    tickets: int
    survey_responses: int
    late_customers: int
    strangers: int
    first_customer: int
    first_late_customer: int
    first_stranger: int
    first_order: int
    first_ticket: int
    first_response: int

    def valid_rows(self, table: str) -> int:
        """Valid rows the block writes into `table` (customers of the file only)."""
        return int(getattr(self, table))


def _split(total: int, weights: list[int]) -> list[int]:
    """total cut into integer parts proportional to weights, summing to total."""
    bounds = [total * part // sum(weights) for part in accumulate(weights)]
    return [high - low for low, high in zip([0, *bounds], bounds, strict=False)]


def _firsts(start: int, sizes: list[int]) -> list[int]:
    """The first number of each consecutive range of the given sizes."""
    return [start + before for before in accumulate([0, *sizes[:-1]])]


def plan_blocks(scale: Scale, block_customers: int = BLOCK_CUSTOMERS) -> tuple[Block, ...]:
    """The blocks of a generation, with their share of every table and their ids."""
    if block_customers < 1:
        raise ValueError("block_customers must be 1 or more")
    n_blocks = max(1, -(-scale.customers // block_customers))
    customers = _split(scale.customers, [1] * n_blocks)
    orders = _split(scale.orders, customers)
    tickets = _split(scale.tickets, customers)
    responses = _split(scale.survey_responses, customers)
    late = [max(1, round(n * LATE_CUSTOMER_SHARE)) for n in customers]
    strangers = [max(10, n // 50) for n in tickets]
    columns = zip(
        range(n_blocks),
        customers,
        orders,
        tickets,
        responses,
        late,
        strangers,
        _firsts(1, customers),
        _firsts(scale.customers + 1, late),
        _firsts(scale.customers + sum(late) + 1, strangers),
        _firsts(1, orders),
        _firsts(1, tickets),
        _firsts(1, responses),
        strict=True,
    )
    return tuple(Block(*values) for values in columns)

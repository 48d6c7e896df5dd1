"""Bad rows: copies of valid rows that break each rule of contract section 4,
and duplicate keys that `updated_at` or the file order decides.

One row per kind of fault in a set too small for BAD_ROW_RATE (only the
`core` faults), a share of BAD_ROW_RATE per kind otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cs_analytics.generate.scales import DAY, HOUR
from cs_analytics.generate.values import ID_FORMAT, Built, ids, plain_ts, texts
from cs_analytics.raw.tables import raw_tables

# Share of rows per kind of bad row in the large sets (the demo gets one each).
BAD_ROW_RATE = 1e-4

Mutation = Callable[[pa.Table, dict[str, np.ndarray], np.random.Generator], pa.Table]


@dataclass(frozen=True)
class Fault:
    """One kind of bad row: copies of valid rows changed by `mutate`.

    `place` is where the copy goes: anywhere, or right before / after the row
    it copies. Copies get a fresh key unless `same_key`. Only `core` faults are
    injected in sets too small for BAD_ROW_RATE (one row each).
    """

    reason: str
    mutate: Mutation
    core: bool = True
    same_key: bool = False
    place: str = "random"
    eligible: Callable[[dict[str, np.ndarray]], np.ndarray] | None = None


def set_column(rows: pa.Table, column: str, values: str | None | pa.Array) -> pa.Table:
    if values is None or isinstance(values, str):
        values = pa.array([values] * rows.num_rows, pa.string())
    return rows.set_column(rows.schema.get_field_index(column), column, values)


def setting(**columns: str | None) -> Mutation:
    def mutate(rows: pa.Table, aux: dict[str, np.ndarray], rng: np.random.Generator) -> pa.Table:
        for column, value in columns.items():
            rows = set_column(rows, column, value)
        return rows

    return mutate


def later_copy(column: str, shift: int, **changes: str | None) -> Mutation:
    """A newer version of the row: `column` moved `shift` seconds later."""

    def mutate(rows: pa.Table, aux: dict[str, np.ndarray], rng: np.random.Generator) -> pa.Table:
        rows = set_column(rows, column, plain_ts(aux["updated"] + shift))
        return setting(**changes)(rows, aux, rng)

    return mutate


def _has_update(aux: dict[str, np.ndarray]) -> np.ndarray:
    return aux["updated"] < aux["updated"].max() - 3 * DAY


def newer_version(
    reason: str,
    shift: int,
    place: str,
    eligible: Callable[[dict[str, np.ndarray]], np.ndarray] = _has_update,
    **changes: str | None,
) -> Fault:
    """A newer version of a row (its updated_at `shift` seconds later, with
    `changes`) placed `before` or `after` the original in the file."""
    return Fault(
        reason, later_copy("updated_at", shift, **changes), same_key=True, place=place,
        eligible=eligible,
    )


def _customer_faults() -> list[Fault]:
    return [
        Fault("missing_key", setting(customer_id=None)),
        Fault("missing_key", setting(customer_id="   ")),
        Fault("invalid_timestamp", setting(signed_up_at="2024-02-30")),
        Fault("invalid_timestamp", setting(updated_at="15/03/2025 10:00")),
        Fault("invalid_timestamp", setting(signed_up_at="2025-06-31 08:00:00"), core=False),
        Fault("invalid_timestamp", setting(updated_at="yesterday"), core=False),
        # Newer version earlier in the file: the latest updated_at wins.
        newer_version("duplicate_key", 3 * DAY, "before", city="Đà Nẵng"),
        # Same updated_at: the row further down the file wins.
        Fault(
            "duplicate_key", setting(email="khachhang.moi@gmail.com"), same_key=True, place="after"
        ),
        # A null updated_at is older than any other: the original wins.
        Fault(
            "duplicate_key", setting(updated_at=None, city="Cần Thơ"), same_key=True, place="after"
        ),
    ]


def _order_faults() -> list[Fault]:
    return [
        Fault("missing_key", setting(order_id=None)),
        Fault("missing_key", setting(order_id="  ")),
        Fault("missing_customer", setting(customer_id=None)),
        Fault("missing_customer", setting(customer_id=" ")),
        Fault("invalid_timestamp", setting(ordered_at="2025-13-45")),
        Fault("invalid_timestamp", setting(ordered_at="2025-03-01 24:00:00")),
        Fault("invalid_timestamp", setting(ordered_at=None)),
        Fault("invalid_timestamp", setting(updated_at="N/A")),
        Fault("invalid_timestamp", setting(ordered_at="yesterday"), core=False),
        Fault("invalid_status", setting(status="đã giao")),
        Fault("invalid_status", setting(status="on hold")),
        # A rejected newer version never wins: the original stays valid.
        newer_version("invalid_status", DAY, "after", status="refund_requested"),
        Fault("invalid_amount", setting(amount="1,000")),
        Fault("invalid_amount", setting(amount="NaN")),
        Fault("invalid_amount", setting(amount="-5")),
        Fault("invalid_amount", setting(amount="$12")),
        Fault("invalid_amount", setting(amount=None)),
        Fault("invalid_amount", setting(amount="inf"), core=False),
        Fault("invalid_amount", setting(amount="150.000 đ"), core=False),
        newer_version("duplicate_key", 2 * DAY, "before", status="Delivered"),
        Fault("duplicate_key", setting(amount="99000"), same_key=True, place="after"),
        Fault(
            "duplicate_key",
            setting(updated_at=None, status="cancelled"),
            same_key=True,
            place="after",
        ),
    ]


def _before_creation(column: str, shift: int, **changes: str | None) -> Mutation:
    def mutate(rows: pa.Table, aux: dict[str, np.ndarray], rng: np.random.Generator) -> pa.Table:
        rows = set_column(rows, column, plain_ts(aux["created"] - shift))
        return setting(**changes)(rows, aux, rng)

    return mutate


def _resolved(aux: dict[str, np.ndarray]) -> np.ndarray:
    return (aux["resolved"] >= 0) & _has_update(aux)


def _ticket_faults() -> list[Fault]:
    return [
        Fault("missing_key", setting(ticket_id="   ")),
        Fault("missing_key", setting(ticket_id=None), core=False),
        Fault("invalid_timestamp", setting(created_at="yesterday")),
        Fault("invalid_timestamp", setting(created_at=None), core=False),
        Fault("invalid_timestamp", setting(first_response_at="2025-13-45"), core=False),
        Fault("invalid_timestamp", setting(resolved_at="2025-06-01 24:00:00"), core=False),
        Fault("invalid_timestamp", setting(updated_at="31/12/2025"), core=False),
        Fault("invalid_count", setting(contact_count="4.5")),
        Fault("invalid_count", setting(contact_count="2.0")),
        Fault("invalid_count", setting(reopen_count="-1")),
        Fault("invalid_count", setting(wait_seconds="two")),
        Fault("invalid_count", setting(contact_count="0"), core=False),
        Fault("invalid_count", setting(wait_seconds="-5"), core=False),
        Fault("invalid_count", setting(contact_count="1e3"), core=False),
        Fault("response_before_creation", _before_creation("first_response_at", 1_800)),
        Fault(
            "resolved_before_creation",
            _before_creation("resolved_at", 3 * HOUR, first_response_at=None),
        ),
        # Reopened after the export of the original row: the newer one wins.
        newer_version(
            "duplicate_key", 2 * DAY, "before", _resolved, reopen_count="1", contact_count="2"
        ),
        Fault(
            "duplicate_key", setting(priority="urgent"), same_key=True, place="after", core=False
        ),
        Fault(
            "duplicate_key",
            setting(updated_at=None, priority="low"),
            same_key=True,
            place="after",
            core=False,
        ),
    ]


def _scored(survey: str, score: str) -> Mutation:
    return setting(survey_type=survey, score=score)


def _rescored(rows: pa.Table, aux: dict[str, np.ndarray], rng: np.random.Generator) -> pa.Table:
    """A corrected answer to the same survey: a different valid score."""
    top = np.where(aux["is_csat"], 5, 10)
    low = np.where(aux["is_csat"], 1, 0)
    score = np.where(aux["score"] == top, low, aux["score"] + 1)
    return set_column(rows, "score", texts(score))


def _survey_faults() -> list[Fault]:
    return [
        Fault("missing_key", setting(response_id=None)),
        Fault("missing_key", setting(response_id="  "), core=False),
        Fault("invalid_timestamp", setting(submitted_at="2025-02-29 10:00:00")),
        Fault("invalid_timestamp", setting(submitted_at=None), core=False),
        Fault("invalid_survey_type", setting(survey_type="ces")),
        Fault("invalid_survey_type", setting(survey_type=None), core=False),
        Fault("invalid_score", _scored("nps", "11")),
        Fault("invalid_score", _scored("csat", "0")),
        Fault("invalid_score", _scored("csat", "4.5")),
        Fault("invalid_score", _scored("nps", None), core=False),
        Fault("invalid_score", _scored("nps", "-1"), core=False),
        Fault("invalid_score", _scored("NPS", "mười"), core=False),
        # No updated_at value on either row: the row further down the file wins.
        Fault("duplicate_key", _rescored, same_key=True, place="after"),
    ]


FAULTS: dict[str, Callable[[], list[Fault]]] = {
    "customers": _customer_faults,
    "orders": _order_faults,
    "tickets": _ticket_faults,
    "survey_responses": _survey_faults,
}


def fault_count(fault: Fault, n_rows: int) -> int:
    """Bad rows of this kind injected into a block of n_rows valid rows."""
    return max(1 if fault.core else 0, round(n_rows * BAD_ROW_RATE))


def planned_faults(table_name: str, n_rows: int, fresh_keys_only: bool = False) -> int:
    """Bad rows injected into a block of n_rows valid rows of table_name, at most;
    with fresh_keys_only, those that take a fresh key."""
    faults = FAULTS.get(table_name, list)()
    return sum(fault_count(f, n_rows) for f in faults if not (fresh_keys_only and f.same_key))


def _fault_rows(
    rng: np.random.Generator,
    built: Built,
    fault: Fault,
    count: int,
    used: np.ndarray,
) -> np.ndarray:
    allowed = ~used if fault.eligible is None else (~used & fault.eligible(built.aux))
    candidates = np.flatnonzero(allowed)
    rows = np.sort(rng.choice(candidates, min(count, candidates.size), replace=False))
    used[rows] = True
    return rows


def inject_faults(
    rng: np.random.Generator, table_name: str, built: Built, first_new_key: int
) -> pa.Table:
    """The table with bad rows inserted; fresh keys are numbered from first_new_key."""
    table = built.table
    n = table.num_rows
    key = raw_tables()[table_name].key
    prefix, width = ID_FORMAT[table_name]
    used = np.zeros(n, dtype=bool)
    pieces: list[pa.Table] = []
    positions: list[np.ndarray] = []
    next_key = first_new_key
    for fault in FAULTS[table_name]():
        rows = _fault_rows(rng, built, fault, fault_count(fault, n), used)
        copies = table.take(rows)
        if not fault.same_key:
            fresh = ids(prefix, np.arange(next_key, next_key + rows.size), width)
            copies = set_column(copies, key, fresh)
            next_key += rows.size
        copies = fault.mutate(copies, {k: v[rows] for k, v in built.aux.items()}, rng)
        pieces.append(copies)
        offset = {"before": 0, "after": 1}.get(fault.place)
        where = rng.integers(0, n + 1, rows.size) if offset is None else rows + offset
        positions.append(where)
    bad = pa.concat_tables(pieces)
    order = np.insert(np.arange(n), np.concatenate(positions), n + np.arange(bad.num_rows))
    return pa.concat_tables([table, bad]).take(order)

"""The last good run: the published snapshot.

Only a run whose every blocking check passed replaces the published snapshot,
so it holds what the last good run built: its marts and
audit.source_reconciliation (the raw rows it read per table). The gates that
judge change between runs (raw_gates.py: rows per raw table; freshness.py:
the latest event; kpi_drift.py: the headline numbers) compare today's export
and build with it. dbt cannot: it never reads the published snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from cs_analytics.warehouse.connection import connect_read_only, is_lock_error, table_exists
from orchestration.gx_runner import GateResult, GreatExpectationsRunner
from orchestration.thresholds import QualityGateConfig

FIRST_RUN = "there is no previous published snapshot to compare with (the first run)"


@dataclass(frozen=True)
class LastGoodRun:
    """The published snapshot opened read-only, or why there is none to compare with."""

    con: duckdb.DuckDBPyConnection | None = None
    problem: str | None = None

    @property
    def why_not_compared(self) -> str:
        return self.problem or FIRST_RUN

    def scalar(self, schema: str, table: str, sql: str, parameters: list[Any] | None = None) -> Any:
        """One value of the snapshot's `schema.table` (None when it lacks the table)."""
        return scalar(self.con, schema, table, sql, parameters)


@dataclass(frozen=True)
class Comparison:
    """What a gate after dbt judges a build with: the work database, the last good
    run, the Great Expectations runner and the thresholds."""

    work: duckdb.DuckDBPyConnection
    last_good: LastGoodRun
    runner: GreatExpectationsRunner
    gates: QualityGateConfig


def scalar(
    con: duckdb.DuckDBPyConnection | None,
    schema: str,
    table: str,
    sql: str,
    parameters: list[Any] | None = None,
) -> Any:
    """One value read with `sql` from a connection holding `schema.table`, else None."""
    if con is None or not table_exists(con, schema, table):
        return None
    row = con.execute(sql, parameters or []).fetchone()
    return None if row is None else row[0]


@contextmanager
def open_last_good_run(published: Path, work_db: Path | None = None) -> Iterator[LastGoodRun]:
    """The published snapshot, read-only, for the block (none when it is missing or
    is the work database itself)."""
    same = work_db is not None and published.resolve() == work_db.resolve()
    if not published.is_file() or same:
        yield LastGoodRun()
        return
    try:
        con = connect_read_only(published)
    except duckdb.Error as error:
        if is_lock_error(error):
            problem = (
                f"the published snapshot {published} is open read-write in another process "
                "(BI tools must open it read-only)"
            )
        else:
            problem = f"the published snapshot {published} cannot be read ({error})"
        yield LastGoodRun(problem=problem)
        return
    try:
        yield LastGoodRun(con)
    finally:
        con.close()


def not_compared(
    subject: str, last_good: LastGoodRun, notes: tuple[str, ...] = (), **observed: Any
) -> GateResult:
    """The verdict of a gate with nothing to compare with: it passes with a note on the
    first run, and warns when the snapshot exists but cannot be read."""
    reason = last_good.why_not_compared
    return GateResult(
        " ".join([*notes, f"{subject}: not compared, {reason}."]),
        warnings=(reason,) if last_good.problem else (),
        metadata=observed,
    )


def ratio(current: float | None, previous: float | None) -> float | None:
    """current / previous (1.0 when both are 0; None when there is nothing to compare)."""
    if current is None or previous is None:
        return None
    if previous == 0:
        return 1.0 if current == 0 else None
    return current / previous

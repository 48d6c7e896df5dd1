"""Headline KPIs against the previous published snapshot: a sudden drop (or jump)
is a WARNING on its check, never silence, and never blocks publishing.

dbt tests each build on its own; only here is a build compared with the one BI
reads today (five numbers, one query each, on the work database and on the
published snapshot).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.database import connect_read_only, is_lock_error, table_exists
from orchestration.gx_runner import GateResult, GreatExpectationsRunner, between, frame_from_metrics
from orchestration.thresholds import QualityGateConfig

# mart -> (KPI name, SQL over that mart).
HEADLINE_KPIS: dict[str, tuple[str, str]] = {
    "fct_orders": ("orders", "select count(*) from marts.fct_orders"),
    "fct_tickets": ("tickets", "select count(*) from marts.fct_tickets"),
    "fct_survey_responses": (
        "survey_responses",
        "select count(*) from marts.fct_survey_responses",
    ),
    "dim_customers": ("customers", "select count(*) from marts.dim_customers"),
    "revenue": (
        "lifetime_revenue",
        "select coalesce(sum(revenue), 0) from marts.revenue where period_grain = 'year'",
    ),
}


def headline_kpi(con: duckdb.DuckDBPyConnection, mart: str) -> float | None:
    """The mart's headline number, or None when the table is not there."""
    if not table_exists(con, "marts", mart):
        return None
    row = con.execute(HEADLINE_KPIS[mart][1]).fetchone()
    return None if row is None or row[0] is None else float(row[0])


def kpi_ratio(current: float | None, previous: float | None) -> float | None:
    """current / previous (1.0 when both are 0; None when there is nothing to compare)."""
    if current is None or previous is None:
        return None
    if previous == 0:
        return 1.0 if current == 0 else None
    return current / previous


def open_previous_snapshot(
    published: Path, work_db: Path
) -> tuple[duckdb.DuckDBPyConnection | None, str | None]:
    """The published snapshot, read-only; or why it cannot be compared with."""
    if not published.is_file() or published.resolve() == work_db.resolve():
        return None, None
    try:
        return connect_read_only(published), None
    except duckdb.Error as error:
        if is_lock_error(error):
            return None, (
                f"the published snapshot {published} is open read-write in another process "
                "(BI tools must open it read-only)"
            )
        return None, f"the published snapshot {published} cannot be read ({error})"


def kpi_drift_result(
    mart: str,
    work: duckdb.DuckDBPyConnection,
    previous: duckdb.DuckDBPyConnection | None,
    previous_problem: str | None,
    runner: GreatExpectationsRunner,
    gates: QualityGateConfig,
) -> GateResult:
    """Today's headline number of `mart` within [min, max] x the previous snapshot's;
    never blocking."""
    kpi = HEADLINE_KPIS[mart][0]
    current = headline_kpi(work, mart)
    before = headline_kpi(previous, mart) if previous is not None else None
    ratio = kpi_ratio(current, before)
    observed = {"current": current, "previous": before, "ratio_to_previous": ratio}
    if before is None:
        reason = previous_problem or "there is no previous published snapshot to compare with"
        return GateResult(
            f"{kpi}: not compared, {reason}.",
            warnings=(reason,) if previous_problem else (),
            metadata=observed,
        )
    metric = f"{kpi}__ratio_to_previous"
    outcome = runner.validate(
        f"kpi_{kpi}__vs_previous_snapshot",
        frame_from_metrics({metric: ratio}),
        [
            between(
                metric,
                gates.min_ratio_to_previous,
                gates.max_ratio_to_previous,
                f"{kpi} is {gates.min_ratio_to_previous:g}x to {gates.max_ratio_to_previous:g}x "
                f"the previous snapshot's ({before:g})",
                warning=True,
            )
        ],
    )
    return GateResult.from_outcome(outcome, **observed)

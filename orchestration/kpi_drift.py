"""Headline KPIs against the last good run (the published snapshot): a sudden
drop (or jump) is a WARNING on its check, never silence, and never blocks
publishing.

dbt tests each build on its own; only here is a build's headline number
compared with the one BI reads today (five numbers, one query each, on the
work database and on the published snapshot).
"""

from __future__ import annotations

import duckdb

from orchestration.gx_runner import GateResult, between, frame_from_metrics
from orchestration.last_good_run import Comparison, not_compared, ratio, scalar

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


def headline_kpi(con: duckdb.DuckDBPyConnection | None, mart: str) -> float | None:
    """The mart's headline number, or None when the table is not there."""
    value = scalar(con, "marts", mart, HEADLINE_KPIS[mart][1])
    return None if value is None else float(value)


def kpi_drift_result(mart: str, comparison: Comparison) -> GateResult:
    """Today's headline number of `mart` within [min, max] x the last good run's;
    never blocking."""
    gates = comparison.gates
    kpi = HEADLINE_KPIS[mart][0]
    current = headline_kpi(comparison.work, mart)
    before = headline_kpi(comparison.last_good.con, mart)
    observed = {"current": current, "previous": before, "ratio_to_previous": ratio(current, before)}
    if before is None:
        return not_compared(kpi, comparison.last_good, **observed)
    metric = f"{kpi}__ratio_to_previous"
    outcome = comparison.runner.validate(
        f"kpi_{kpi}__vs_previous_snapshot",
        frame_from_metrics({metric: observed["ratio_to_previous"]}),
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

"""The semantic layer (MetricFlow, models/marts/*/_*__semantic_models.yml)
against the period marts: every metric, queried by month and by week on the
worked example and on the demo data, equals its mart's column for the same
period to 1e-9 relative, null where the mart is null. A disagreement is a
bug in the metric or in the mart; the message names both.

The marts and the metrics are two definitions of one number: the marts
aggregate once per day and per grain with grouping sets, MetricFlow groups
the facts by metric_time. A metric that counts a cancelled order as revenue,
a neutral CSAT answer as satisfied or a pending SLA as breached, or a mart
that does, makes them differ on the data that holds such rows.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import Warehouse
from semantic_layer import metric_names, query, semantic_manifest_lookup

# Each metric and the mart column that publishes the same number.
MART_COLUMNS: dict[str, tuple[str, str]] = {
    "orders": ("revenue", "orders"),
    "completed_orders": ("revenue", "completed_orders"),
    "revenue": ("revenue", "revenue"),
    "average_order_value": ("revenue", "avg_order_value"),
    "buyers": ("revenue", "buyers"),
    "nps": ("nps", "nps"),
    "csat_rate": ("csat", "csat_rate"),
    "tickets_created": ("support_kpis", "tickets_created"),
    "fcr_rate": ("support_kpis", "fcr_rate"),
    "first_response_sla_rate": ("support_kpis", "first_response_sla_rate"),
    "resolution_sla_rate": ("support_kpis", "resolution_sla_rate"),
    "avg_first_response_minutes": ("support_kpis", "avg_first_response_minutes"),
    "contact_rate_per_100_orders": ("support_kpis", "contact_rate_per_100_orders"),
}
GRAINS = ("month", "week")
RELATIVE_TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def lookup(dbt_manifest_dir: Path) -> Any:
    return semantic_manifest_lookup(dbt_manifest_dir)


@pytest.fixture(scope="module", params=["worked_example", "demo_warehouse"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    return request.getfixturevalue(request.param)


def as_number(value: Any) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal | int | float) else value


def as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def mart_values(warehouse: Warehouse, grain: str) -> dict[str, dict[dt.date, float | None]]:
    """metric -> period_start -> the mart's value for that period."""
    values: dict[str, dict[dt.date, float | None]] = {}
    for metric, (mart, column) in MART_COLUMNS.items():
        if not warehouse.scalar(
            "select count(*) from information_schema.columns where table_schema = 'marts' "
            f"and table_name = '{mart}' and column_name = '{column}'"
        ):
            continue
        rows = warehouse.rows(
            f"select period_start, {column} as value from marts.{mart} "
            f"where period_grain = '{grain}'"
        )
        values[metric] = {row["period_start"]: as_number(row["value"]) for row in rows}
    return values


def agree(metric_value: float | None, mart_value: float | None) -> bool:
    if metric_value is None or mart_value is None:
        return metric_value is None and mart_value is None
    return math.isclose(metric_value, mart_value, rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0)


def test_the_semantic_layer_has_exactly_the_contract_metrics(lookup: Any) -> None:
    assert metric_names(lookup) == set(MART_COLUMNS)


@pytest.mark.parametrize("grain", GRAINS)
def test_every_metric_equals_its_mart(lookup: Any, warehouse: Warehouse, grain: str) -> None:
    time_column = f"metric_time__{grain}"
    rows = query(lookup, warehouse.path, list(MART_COLUMNS), [time_column])
    expected = mart_values(warehouse, grain)
    periods = {as_date(row[time_column]) for row in rows}
    assert periods == set(expected["orders"]), (
        f"metric_time__{grain} has other periods than the marts' coverage: "
        f"{sorted(periods ^ set(expected['orders']))}"
    )
    disagreements = [
        f"{metric} = {row[metric]!r} but marts.{MART_COLUMNS[metric][0]}."
        f"{MART_COLUMNS[metric][1]} = {expected[metric][as_date(row[time_column])]!r} "
        f"for the {grain} of {as_date(row[time_column])}"
        for row in sorted(rows, key=lambda row: row[time_column])
        for metric in MART_COLUMNS
        if not agree(as_number(row[metric]), expected[metric][as_date(row[time_column])])
    ]
    assert not disagreements, "\n".join(disagreements)
    # Nothing is compared vacuously: every metric has a value somewhere.
    empty = [m for m in MART_COLUMNS if all(row[m] is None for row in rows)]
    assert not empty, f"no {grain} has a value for {empty}"


# The dimensions a manager slices by, reached from the facts through their
# entities: customer attributes from dim_customers, ticket attributes from
# fct_tickets (survey responses reach them through their ticket).
SLICES = {
    "customer": (
        ["orders", "revenue", "tickets_created"],
        ["customer__city", "customer__acquisition_channel", "customer__lifecycle_stage",
         "customer__loyalty_tier", "customer__service_band"],
    ),
    "ticket": (
        ["tickets_created"],
        ["ticket__channel", "ticket__category", "ticket__priority", "ticket__agent_id",
         "ticket__team"],
    ),
}


@pytest.mark.parametrize("entity", SLICES)
def test_slices_add_up_to_the_month(lookup: Any, demo_warehouse: Warehouse, entity: str) -> None:
    """Sliced by every dimension at once, a count still adds up to its mart:
    a join that fans out (a dimension key that is not unique) or drops rows
    (an inner join) would not."""
    metrics, dimensions = SLICES[entity]
    rows = query(lookup, demo_warehouse.path, metrics, ["metric_time__month", *dimensions])
    assert {d for d in dimensions if any(row[d] is not None for row in rows)} == set(dimensions)
    expected = mart_values(demo_warehouse, "month")
    for metric in metrics:
        totals: dict[dt.date, float] = {}
        for row in rows:
            period = as_date(row["metric_time__month"])
            totals[period] = totals.get(period, 0.0) + (as_number(row[metric]) or 0.0)
        wrong = {
            period: (total, expected[metric][period])
            for period, total in totals.items()
            if not agree(total, expected[metric][period])
        }
        assert not wrong, f"{metric} by {dimensions} does not add up to its mart: {wrong}"

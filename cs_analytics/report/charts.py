"""The report's charts, in the page's order: for each, its section, the dataset
it reads, the series it draws and the kind of chart that draws them
(chart_kinds.py); and the spec of one chart, which the page draws with
Vega-Embed.
"""

from __future__ import annotations

from typing import Any

from cs_analytics.report import service_retention, service_time
from cs_analytics.report.chart_kinds import (
    active_flows,
    bars_with_line,
    category_bars,
    cohort_heatmap,
    lines,
    nps_shares,
    rejected_bars,
    team_bars,
    two_axes,
)
from cs_analytics.report.chart_parts import ChartDef, Measure

M = Measure
CHARTS: tuple[ChartDef, ...] = (
    ChartDef(
        "active_customers", "customers", "customer_retention",
        (
            M("retained_customers", "count", "blue"),
            M("reactivated_customers", "count", "purple"),
            M("new_customers_active_at_end", "count", "green"),
            M("churned_customers", "count", "red"),
            M("customers_end", "count", "orange"),
        ),
        active_flows,
        listed=("customers_end", "retained_customers", "reactivated_customers",
                "new_customers_active_at_end", "churned_customers"),
    ),
    ChartDef(
        "retention_churn", "customers", "customer_retention",
        (
            M("retention_rate", "rate", "blue"),
            M("churn_rate", "rate", "red"),
            M("retention_rate_textbook", "rate", "teal", dashed=True),
            M("churn_rate_textbook", "rate", "orange", dashed=True),
        ),
        lines,
        note="textbook_note",
    ),
    ChartDef(
        "revenue", "customers", "revenue",
        (
            M("revenue_new_customers", "amount", "green"),
            M("revenue_returning_customers", "amount", "blue"),
            M("returning_revenue_share", "rate", "orange"),
        ),
        bars_with_line,
        listed=("revenue", "revenue_new_customers", "revenue_returning_customers",
                "returning_revenue_share"),
    ),
    ChartDef(
        "cohorts", "customers", "cohort_retention",
        (M("retention_rate", "rate", "blue", kpi="cohort_retention"),),
        cohort_heatmap, uses_grain=False, note="cohort_note", wide=True,
    ),
    ChartDef(
        "lifecycle", "customers", "lifecycle_stages",
        (M("customers", "count", "teal", kpi="lifecycle_stage"),),
        category_bars, uses_grain=False, note="dim_note",
    ),
    ChartDef(
        "loyalty", "customers", "loyalty_tiers",
        (M("customers", "count", "purple", kpi="loyalty_tier"),),
        category_bars, uses_grain=False, note="dim_note",
    ),
    ChartDef(
        "nps", "voice", "nps",
        (
            M("promoters", "count", "green"),
            M("passives", "count", "grey"),
            M("detractors", "count", "red"),
            M("nps", "score", "blue"),
        ),
        nps_shares,
        listed=("nps", "promoters", "passives", "detractors"),
    ),
    ChartDef(
        "csat", "voice", "csat",
        (M("csat_rate", "rate", "blue"), M("avg_rating", "rating", "orange")),
        two_axes,
    ),
    ChartDef(
        "tickets", "support", "support_kpis",
        (
            M("tickets_created", "count", "blue"),
            M("tickets_resolved", "count", "green"),
            M("backlog_end", "count", "red"),
        ),
        lines,
    ),
    ChartDef(
        "fcr", "support", "support_kpis",
        (M("fcr_rate", "rate", "green"), M("reopen_rate", "rate", "red")),
        lines,
    ),
    ChartDef(
        "first_response", "support", "support_kpis",
        (
            M("median_first_response_minutes", "minutes", "blue"),
            M("p90_first_response_minutes", "minutes", "orange", dashed=True),
            *service_time.FIRST_RESPONSE_CLOCKS,
        ),
        lines,
    ),
    ChartDef(
        "resolution", "support", "support_kpis",
        (
            M("median_resolution_hours", "hours", "blue"),
            M("p90_resolution_hours", "hours", "orange", dashed=True),
            *service_time.RESOLUTION_CLOCKS,
        ),
        lines,
    ),
    ChartDef(
        "wait", "support", "support_kpis",
        (M("wait_within_target_rate", "rate", "teal"),),
        lines,
    ),
    ChartDef(
        "sla", "support", "support_kpis",
        (M("first_response_sla_rate", "rate", "blue"), M("resolution_sla_rate", "rate", "purple")),
        lines,
    ),
    ChartDef(
        "team_csat", "agents", "team_scorecard",
        (M("csat_rate", "rate", "blue", kpi="agent_csat_rate"),),
        team_bars,
    ),
    ChartDef(
        "rejected", "quality", "rejected_rows",
        (M("rows", "count", "red", kpi="source_reconciliation"),),
        rejected_bars, listed=(), uses_grain=False,
    ),
    ChartDef(
        "service_band_rates", "service", service_retention.LATEST_DATASET,
        (M("shown_retention_rate", "rate", "blue", kpi="service_band_retention"),),
        service_retention.band_rates,
    ),
    ChartDef(
        "service_vs_no_ticket", "service", service_retention.TREND_DATASET,
        (
            M("unresolved_vs_no_ticket", "rate", "red"),
            M("dissatisfied_vs_no_ticket", "rate", "orange"),
        ),
        lines,
    ),
)


def has_data(chart_def: ChartDef, rows: list[dict[str, Any]] | None) -> bool:
    """Whether a chart has anything to draw: a count above zero, or any rate or
    average at all (those are null, never 0, when their denominator is empty)."""
    for row in rows or []:
        for measure in chart_def.measures:
            value = row.get(measure.column)
            if value is None:
                continue
            if measure.kind not in {"count", "amount"} or value != 0:
                return True
    return False


def chart_spec(
    chart_def: ChartDef, labels: dict[str, Any], rows: list[dict[str, Any]]
) -> dict[str, Any]:
    """The Vega-Lite spec of one chart, without data (the page supplies it by name)."""
    spec = chart_def.build(chart_def, labels, rows).to_dict(validate=True)
    spec.pop("$schema", None)  # a URL the page never needs to resolve
    spec["config"] = {
        "view": {"stroke": None},
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "grid": True, "gridColor": "#eef0f3"},
        "legend": {"labelFontSize": 11},
        "font": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif",
    }
    return spec

"""The report's "Service and retention" section (marts.service_retention, contract 3.10).

For the selected grain's latest complete period: each service band's customers
and retention rate with its 95% Wilson interval, drawn as whiskers; over the
periods, how much more or less the `unresolved` and `dissatisfied` bands kept
than `no_ticket`. A band with fewer than MIN_CUSTOMERS customers is shown as
too small to read, never as a rate, and a shop without a helpdesk (no band
but `no_ticket` ever has a customer) gets "no data" panels. The numbers are
the mart's: this module picks, labels and formats them, and computes none.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import duckdb

from cs_analytics.report.chart_parts import (
    COLORS,
    GRAIN_PARAM,
    HEIGHT,
    ChartDef,
    finish,
    value_axis,
)
from cs_analytics.report.formatting import NUMBER_FORMATS, format_number

MART = "service_retention"
# The contract's order: a customer's band is the first that applies.
BANDS = ("unresolved", "dissatisfied", "sla_breached", "served", "no_ticket")
BASELINE = "no_ticket"
TREND_BANDS = ("unresolved", "dissatisfied")
# Fewer customers than this in a band: its rate is too uncertain to read.
MIN_CUSTOMERS = 30
LATEST_DATASET = "service_bands_latest"
TREND_DATASET = "service_vs_no_ticket"
RATE_COLUMNS = ("retention_rate", "retention_rate_ci_low", "retention_rate_ci_high")


def read(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The mart's rows in the report's order: grain, period, band."""
    # Imported here: data reads the marts through this function.
    from cs_analytics.report.data import fetch_rows

    order = " ".join(f"when '{band}' then {rank}" for rank, band in enumerate(BANDS))
    return fetch_rows(
        con,
        f"select * from marts.{MART} order by "  # noqa: S608 - constants only
        "case period_grain when 'week' then 1 when 'month' then 2 when 'quarter' then 3 "
        f"else 4 end, period_start, case service_band {order} end",
    )


def has_helpdesk(rows: list[dict[str, Any]]) -> bool:
    """Whether any band but no_ticket ever had a customer: without tickets and
    surveys every customer is no_ticket and the section has nothing to compare."""
    return any(row["service_band"] != BASELINE and row["customers_start"] for row in rows)


def is_readable(customers: int | None) -> bool:
    return customers is not None and customers >= MIN_CUSTOMERS


def band_rows(
    rows: list[dict[str, Any]], latest: dict[str, Any], labels: dict[str, Any]
) -> list[dict[str, Any]]:
    """Per grain, the five bands of its latest complete period, with their names and,
    for a band large enough to read, its rate and interval as `shown_*` (what the
    chart draws)."""
    names = labels["service_retention"]["bands"]
    shown = has_helpdesk(rows)
    result = []
    for row in rows:
        if row["period_start"] != latest.get(row["period_grain"], {}).get("period_start"):
            continue
        readable = shown and is_readable(row["customers_start"])
        result.append({
            **row,
            "band_label": names[row["service_band"]][0],
            "band_order": BANDS.index(row["service_band"]),
            "is_readable": readable,
            **{f"shown_{column}": row[column] if readable else None for column in RATE_COLUMNS},
        })
    return result


def trend_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per grain and period: `<band>_vs_no_ticket` for the trend bands, kept
    only when both the band and no_ticket are large enough to read."""
    periods: dict[tuple[str, str], dict[str, Any]] = {}
    shown = has_helpdesk(rows)
    for row in rows:
        key = (row["period_grain"], row["period_start"])
        period = periods.setdefault(key, {
            name: row[name] for name in ("period_grain", "period_start", "period_end",
                                         "is_complete", "period_label", "period_name")
        })
        period[f"{row['service_band']}_customers"] = row["customers_start"]
        period[f"{row['service_band']}_vs_no_ticket"] = row["retention_rate_vs_no_ticket"]
    result = []
    for period in periods.values():
        baseline = period.get(f"{BASELINE}_customers")
        for band in TREND_BANDS:
            column = f"{band}_vs_no_ticket"
            if not (shown and is_readable(period.get(f"{band}_customers"))
                    and is_readable(baseline)):
                period[column] = None
            period.setdefault(column, None)
        result.append(period)
    return result


def datasets(named: dict[str, list[dict[str, Any]]], latest: dict[str, Any],
             labels: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The section's two chart datasets, from the mart's labelled rows."""
    rows = named.get(MART, [])
    return {LATEST_DATASET: band_rows(rows, latest, labels), TREND_DATASET: trend_rows(rows)}


def band_rates(chart_def: ChartDef, labels: dict[str, Any], rows: list[dict[str, Any]]) -> Any:
    """Each readable band's retention rate as a point, its 95% interval as a whisker."""
    text = labels["service_retention"]
    columns = text["columns"]
    base = (
        alt.Chart(alt.Data(name=chart_def.dataset))
        .transform_filter(f"datum.period_grain === {GRAIN_PARAM}")
        .transform_filter("datum.shown_retention_rate !== null")
        .encode(x=alt.X("band_label:N", title=None,
                        sort=alt.EncodingSortField(field="band_order", op="min"),
                        axis=alt.Axis(labelAngle=0, labelLimit=160)))
    )
    rate = NUMBER_FORMATS["rate"]
    tooltip = [
        alt.Tooltip("band_label:N", title=columns["band"]),
        alt.Tooltip("customers_start:Q", title=columns["customers"], format=",.0f"),
        alt.Tooltip("shown_retention_rate:Q", title=columns["retention_rate"], format=rate),
        alt.Tooltip("shown_retention_rate_ci_low:Q", title=columns["ci_low"], format=rate),
        alt.Tooltip("shown_retention_rate_ci_high:Q", title=columns["ci_high"], format=rate),
    ]
    y_scale = alt.Scale(domain=[0, 1])
    whiskers = base.mark_rule(strokeWidth=2, color=COLORS["grey"]).encode(
        y=alt.Y("shown_retention_rate_ci_low:Q", scale=y_scale, title=None,
                axis=value_axis("rate")),
        y2="shown_retention_rate_ci_high:Q",
        tooltip=tooltip,
    )
    points = base.mark_point(filled=True, size=90, color=COLORS["blue"]).encode(
        y=alt.Y("shown_retention_rate:Q", scale=y_scale), tooltip=tooltip
    )
    return finish(alt.layer(whiskers, points).properties(height=HEIGHT), chart_def, labels)


def tables(payload: dict[str, Any], labels: dict[str, Any], lang: str) -> dict[str, Any]:
    """Per grain, the band table of the latest complete period, formatted: every band
    with its customers, and its rate and interval or "too small to read"."""
    text = labels["service_retention"]
    too_small = text["too_small"].format(minimum=MIN_CUSTOMERS)
    rows = payload["datasets"][LATEST_DATASET]
    helpdesk = has_helpdesk(payload["datasets"].get(MART, []))
    result: dict[str, Any] = {}
    for grain, headline in payload["headline"].items():
        shown = [row for row in rows if row["period_grain"] == grain]
        result[grain] = {
            "period_name": headline["period_name"],
            "has_data": helpdesk and bool(shown),
            "rows": [
                {
                    "band": row["service_band"],
                    "name": row["band_label"],
                    "customers": row["customers_start"],
                    "customers_display": format_number(row["customers_start"], "count", lang),
                    "rate": row["shown_retention_rate"],
                    "rate_display": format_number(row["shown_retention_rate"], "rate", lang)
                    if row["is_readable"] else too_small,
                    "interval_display": text["interval"].format(
                        low=format_number(row["shown_retention_rate_ci_low"], "rate", lang),
                        high=format_number(row["shown_retention_rate_ci_high"], "rate", lang),
                    ) if row["is_readable"] else labels["missing_value"],
                    "is_readable": row["is_readable"],
                }
                for row in shown
            ],
        }
    return result

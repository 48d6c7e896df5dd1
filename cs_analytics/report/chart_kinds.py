"""The kinds of chart the report draws, as Vega-Lite specs built with Altair: lines,
stacked bars under a line, two axes, the flows of active customers, the cohort
heatmap, category and team bars, rejected rows.

Every spec reads a named dataset (`{"data": {"name": ...}}`) that the page
fills from its one data block, so the numbers live once in the page. Period
charts filter on the Vega parameter `grain`, which the page's week / month /
quarter / year switch sets on every chart.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import altair as alt

from cs_analytics.report.chart_parts import (
    COLORS,
    GRAIN_PARAM,
    HEIGHT,
    ChartDef,
    Measure,
    band_height,
    finish,
    value_axis,
)
from cs_analytics.report.formatting import NUMBER_FORMATS
from cs_analytics.report.labels import kpi_name


def _js(text: str) -> str:
    """A string literal for a Vega expression."""
    return json.dumps(text, ensure_ascii=False)


def series_expression(measures: tuple[Measure, ...], labels: dict[str, Any]) -> str:
    """A Vega expression naming the folded measure `datum.key` in the page's language."""
    expression = "datum.key"
    for measure in reversed(measures):
        expression = (
            f"datum.key === {_js(measure.column)} ? {_js(kpi_name(labels, measure.kpi))} : "
            f"{expression}"
        )
    return expression


def period_x() -> alt.X:
    return alt.X(
        "period_label:O",
        # The datasets come sorted by period; every layer keeps that order.
        sort=None,
        title=None,
        axis=alt.Axis(labelAngle=-45, labelOverlap=True, labelLimit=120),
    )



def _series_scale(measures: tuple[Measure, ...], labels: dict[str, Any]) -> alt.Scale:
    return alt.Scale(
        domain=[kpi_name(labels, measure.kpi) for measure in measures],
        range=[COLORS[measure.color] for measure in measures],
    )


def stack_order(measures: tuple[Measure, ...]) -> str:
    """A Vega expression giving each folded measure its place in the stack."""
    return " + ".join(
        f"(datum.key === {_js(m.column)} ? {i} : 0)" for i, m in enumerate(measures)
    )


def _dash_scale(measures: tuple[Measure, ...], labels: dict[str, Any]) -> alt.Scale:
    return alt.Scale(
        domain=[kpi_name(labels, measure.kpi) for measure in measures],
        range=[[6, 4] if measure.dashed else [1, 0] for measure in measures],
    )


def _folded(chart: alt.Chart, measures: tuple[Measure, ...], labels: dict[str, Any]) -> alt.Chart:
    return chart.transform_fold([measure.column for measure in measures]).transform_calculate(
        series=series_expression(measures, labels)
    )


def _tooltip(labels: dict[str, Any], kind: str, value: str = "value") -> list[alt.Tooltip]:
    columns = labels["columns"]
    return [
        alt.Tooltip("period_name:N", title=columns["period"]),
        alt.Tooltip("series:N", title=columns["series"]),
        alt.Tooltip(f"{value}:Q", title=columns["value"], format=NUMBER_FORMATS[kind]),
    ]


def _legend() -> alt.Legend:
    return alt.Legend(
        orient="bottom", title=None, direction="horizontal", columns=2, labelLimit=260
    )


def _base(chart_def: ChartDef, labels: dict[str, Any]) -> alt.Chart:
    chart = alt.Chart(alt.Data(name=chart_def.dataset))
    if chart_def.uses_grain:
        chart = chart.transform_filter(f"datum.period_grain === {GRAIN_PARAM}")
    return chart



def lines(chart_def: ChartDef, labels: dict[str, Any], rows: list[dict[str, Any]]
) -> alt.TopLevelMixin:
    """One line per measure, all of one kind (rates, minutes, counts...)."""
    kind = chart_def.measures[0].kind
    chart = _folded(_base(chart_def, labels), chart_def.measures, labels)
    line = chart.mark_line(point=True, strokeWidth=2).encode(
        x=period_x(),
        y=alt.Y("value:Q", title=None, axis=value_axis(kind)),
        color=alt.Color("series:N", scale=_series_scale(chart_def.measures, labels),
                        legend=_legend()),
        strokeDash=alt.StrokeDash(
            "series:N", scale=_dash_scale(chart_def.measures, labels), legend=_legend()
        ),
        tooltip=_tooltip(labels, kind),
    )
    return finish(line.properties(height=HEIGHT), chart_def, labels)


def _single_series(
    chart: alt.Chart, measure: Measure, labels: dict[str, Any]
) -> alt.Chart:
    return chart.transform_calculate(
        series=_js(kpi_name(labels, measure.kpi)), value=f"datum[{_js(measure.column)}]"
    )


def bars_with_line(
    chart_def: ChartDef,
    labels: dict[str, Any],
    rows: list[dict[str, Any]],
    *,
    normalize: bool = False,
) -> alt.TopLevelMixin:
    """Stacked bars of all measures but the last, the last as a line on its own axis."""
    *stacked, line_measure = chart_def.measures
    bar_measures = tuple(stacked)
    colors = _series_scale(chart_def.measures, labels)
    bars = _folded(_base(chart_def, labels), bar_measures, labels).mark_bar().encode(
        x=period_x(),
        y=alt.Y(
            "value:Q",
            stack="normalize" if normalize else "zero",
            title=None,
            axis=value_axis("rate" if normalize else bar_measures[0].kind),
        ),
        color=alt.Color("series:N", scale=colors, legend=_legend()),
        order=alt.Order("series_order:Q"),
        tooltip=_tooltip(labels, bar_measures[0].kind),
    ).transform_calculate(series_order=stack_order(bar_measures))
    line = _single_series(_base(chart_def, labels), line_measure, labels).mark_line(
        point=True, strokeWidth=2
    ).encode(
        x=period_x(),
        y=alt.Y(
            "value:Q",
            title=kpi_name(labels, line_measure.kpi),
            axis=value_axis(line_measure.kind, orient="right"),
            scale=alt.Scale(domain=[-100, 100]) if line_measure.kind == "score" else alt.Scale(),
        ),
        color=alt.Color("series:N", scale=colors, legend=_legend()),
        tooltip=_tooltip(labels, line_measure.kind),
    )
    layered = alt.layer(bars, line).resolve_scale(y="independent").properties(height=HEIGHT)
    return finish(layered, chart_def, labels)


def nps_shares(chart_def: ChartDef, labels: dict[str, Any], rows: list[dict[str, Any]]
) -> alt.TopLevelMixin:
    return bars_with_line(chart_def, labels, rows, normalize=True)


def two_axes(chart_def: ChartDef, labels: dict[str, Any], rows: list[dict[str, Any]]
) -> alt.TopLevelMixin:
    """Two measures of different kinds as two lines, each on its own axis."""
    left, right = chart_def.measures
    colors = _series_scale(chart_def.measures, labels)
    layers = []
    for measure, orient in ((left, "left"), (right, "right")):
        domain = [1, 5] if measure.kind == "rating" else [0, 1]
        layers.append(
            _single_series(_base(chart_def, labels), measure, labels)
            .mark_line(point=True, strokeWidth=2)
            .encode(
                x=period_x(),
                y=alt.Y(
                    "value:Q",
                    title=kpi_name(labels, measure.kpi),
                    scale=alt.Scale(domain=domain),
                    axis=value_axis(measure.kind, orient=orient),
                ),
                color=alt.Color("series:N", scale=colors, legend=_legend()),
                tooltip=_tooltip(labels, measure.kind),
            )
        )
    layered = alt.layer(*layers).resolve_scale(y="independent").properties(height=HEIGHT)
    return finish(layered, chart_def, labels)


def active_flows(chart_def: ChartDef, labels: dict[str, Any], rows: list[dict[str, Any]]
) -> alt.TopLevelMixin:
    """Active customers at the end as a line over the flows that make them up: retained,
    reactivated and new (active at the end) above zero, churned below."""
    *flows, total = chart_def.measures
    flow_measures = tuple(flows)
    colors = _series_scale(chart_def.measures, labels)
    churn = next(m.column for m in flow_measures if m.kpi == "churned_customers")
    bars = (
        _folded(_base(chart_def, labels), flow_measures, labels)
        .transform_calculate(
            drawn=f"datum.key === {_js(churn)} ? -datum.value : datum.value",
            series_order=stack_order(flow_measures),
        )
        .mark_bar()
        .encode(
            x=period_x(),
            y=alt.Y("drawn:Q", title=None, axis=value_axis("count")),
            color=alt.Color("series:N", scale=colors, legend=_legend()),
            order=alt.Order("series_order:Q"),
            tooltip=_tooltip(labels, "count"),
        )
    )
    line = (
        _single_series(_base(chart_def, labels), total, labels)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=period_x(),
            y=alt.Y("value:Q"),
            color=alt.Color("series:N", scale=colors, legend=_legend()),
            tooltip=_tooltip(labels, "count"),
        )
    )
    return finish(alt.layer(bars, line).properties(height=HEIGHT + 40), chart_def, labels)


def cohort_heatmap(chart_def: ChartDef, labels: dict[str, Any], rows: list[dict[str, Any]]
) -> alt.TopLevelMixin:
    columns = labels["columns"]
    base = alt.Chart(alt.Data(name=chart_def.dataset)).encode(
        x=alt.X("month_offset:O", title=columns["month_offset"], axis=alt.Axis(labelAngle=0)),
        y=alt.Y(
            "cohort_label:O",
            title=columns["cohort"],
            sort=alt.EncodingSortField(field="cohort_month", op="min"),
        ),
    )
    rect = base.mark_rect().encode(
        color=alt.Color(
            "retention_rate:Q",
            title=kpi_name(labels, "cohort_retention"),
            scale=alt.Scale(domain=[0, 1], scheme="blues"),
            legend=alt.Legend(format=".0%", orient="right"),
        ),
        tooltip=[
            alt.Tooltip("cohort_label:N", title=columns["cohort"]),
            alt.Tooltip("month_offset:O", title=columns["month_offset"]),
            alt.Tooltip("cohort_size:Q", title=columns["customers"], format=",.0f"),
            alt.Tooltip("active_customers:Q", title=columns["value"], format=",.0f"),
            alt.Tooltip("retention_rate:Q", title=kpi_name(labels, "cohort_retention"),
                        format=NUMBER_FORMATS["rate"]),
        ],
    )
    chart: alt.TopLevelMixin = rect
    if len(rows) <= 150:  # few cells: print each rate in its cell
        text = base.mark_text(fontSize=10).encode(
            text=alt.Text("retention_rate:Q", format=".0%"),
            color=alt.condition(
                "datum.retention_rate > 0.5", alt.value("white"), alt.value("#111827")
            ),
        )
        chart = alt.layer(rect, text)
    cohorts = len({row["cohort_month"] for row in rows})
    return finish(chart.properties(height=band_height(max(cohorts, 4), 22)), chart_def, labels)


def category_bars(chart_def: ChartDef, labels: dict[str, Any], rows: list[dict[str, Any]]
) -> alt.TopLevelMixin:
    """Customers per lifecycle stage or loyalty tier, in the contract's order."""
    columns = labels["columns"]
    measure = chart_def.measures[0]
    base = alt.Chart(alt.Data(name=chart_def.dataset)).encode(
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField(field="order", op="min")),
        x=alt.X("customers:Q", title=columns["customers"], axis=value_axis("count")),
        tooltip=[
            alt.Tooltip("label:N", title=kpi_name(labels, measure.kpi)),
            alt.Tooltip("customers:Q", title=columns["customers"], format=",.0f"),
        ],
    )
    bars = base.mark_bar(color=COLORS[measure.color])
    text = base.mark_text(align="left", dx=3).encode(text=alt.Text("customers:Q", format=",.0f"))
    layered = alt.layer(bars, text).properties(height=band_height(len(rows), 26))
    return finish(layered, chart_def, labels)


def team_bars(
    chart_def: ChartDef, labels: dict[str, Any], rows: list[dict[str, Any]]
) -> alt.TopLevelMixin:
    measure = chart_def.measures[0]
    base = alt.Chart().encode(
        y=alt.Y("team:N", title=None, sort=alt.EncodingSortField(field=measure.column,
                                                                 op="max", order="descending")),
        x=alt.X(
            f"{measure.column}:Q",
            title=kpi_name(labels, measure.kpi),
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format=".0%"),
        ),
        tooltip=[
            alt.Tooltip("team:N", title=labels["team"]),
            alt.Tooltip(f"{measure.column}:Q", title=kpi_name(labels, measure.kpi),
                        format=NUMBER_FORMATS["rate"]),
            alt.Tooltip("csat_responses:Q", title=kpi_name(labels, "csat_responses"),
                        format=",.0f"),
        ],
    )
    bars = base.mark_bar(color=COLORS[measure.color])
    text = base.mark_text(align="left", dx=3).encode(
        text=alt.Text(f"{measure.column}:Q", format=NUMBER_FORMATS["rate"])
    )
    teams = max(Counter(row["period_grain"] for row in rows).values(), default=1)
    layered = alt.layer(bars, text, data=alt.Data(name=chart_def.dataset)).transform_filter(
        f"datum.period_grain === {GRAIN_PARAM}"
    )
    return finish(layered.properties(height=band_height(teams, 24)), chart_def, labels)


def rejected_bars(chart_def: ChartDef, labels: dict[str, Any], rows: list[dict[str, Any]]
) -> alt.TopLevelMixin:
    columns = labels["columns"]
    chart = alt.Chart(alt.Data(name=chart_def.dataset)).mark_bar().encode(
        y=alt.Y("reason:N", title=columns["reason"], sort="-x"),
        x=alt.X("sum(rows):Q", title=columns["rows"], axis=value_axis("count")),
        color=alt.Color("source_table:N", title=columns["source_table"],
                        legend=alt.Legend(orient="bottom")),
        tooltip=[
            alt.Tooltip("source_table:N", title=columns["source_table"]),
            alt.Tooltip("reason:N", title=columns["reason"]),
            alt.Tooltip("sum(rows):Q", title=columns["rows"], format=",.0f"),
        ],
    )
    reasons = len({row["reason"] for row in rows})
    return finish(chart.properties(height=band_height(reasons, 22)), chart_def, labels)

"""What every chart of the report is made of: its definition (`ChartDef`, one
`Measure` per series), the page's size and colours, the value axis, the grain
parameter and the accessible description. The kinds of chart are drawn in
chart_kinds.py (and the service bands' in service_retention.py); charts.py lists
the page's charts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt

from cs_analytics.report.formatting import AXIS_FORMATS
from cs_analytics.report.labels import kpi_name

GRAIN_PARAM = "grain"
WIDTH = "container"
HEIGHT = 220
COLORS = {
    "blue": "#2563eb",
    "teal": "#0d9488",
    "orange": "#ea580c",
    "red": "#dc2626",
    "grey": "#9ca3af",
    "green": "#16a34a",
    "purple": "#7c3aed",
}


@dataclass(frozen=True)
class Measure:
    """One column of a mart drawn as one series: the KPI it shows is the column's
    namesake unless `kpi` names another."""

    column: str
    kind: str
    color: str
    dashed: bool = False
    kpi: str = ""

    def __post_init__(self) -> None:
        if not self.kpi:
            object.__setattr__(self, "kpi", self.column)


@dataclass(frozen=True)
class ChartDef:
    """One chart of the page: where it goes, what it reads, what it defines."""

    chart_id: str
    section: str
    dataset: str
    measures: tuple[Measure, ...]
    build: Callable[[ChartDef, dict[str, Any], list[dict[str, Any]]], alt.TopLevelMixin]
    # The KPIs named and defined under the chart, when not its measures' own in order.
    listed: tuple[str, ...] | None = None
    uses_grain: bool = True
    note: str | None = None
    wide: bool = False  # spans the page's width

    @property
    def kpis(self) -> tuple[str, ...]:
        if self.listed is not None:
            return self.listed
        return tuple(measure.kpi for measure in self.measures)


def band_height(bands: int, step: int) -> int:
    """A fixed height for a chart of `bands` bars or rows (a step height would not let the
    chart fit its container's width)."""
    return max(bands, 1) * step


def value_axis(kind: str, **options: Any) -> alt.Axis:
    """An axis in the number format of its kind; counts tick on whole numbers only."""
    if kind == "count":
        options.setdefault("tickMinStep", 1)
    return alt.Axis(format=AXIS_FORMATS[kind], **options)


def grain_param(default: str = "month") -> alt.Parameter:
    return alt.param(name=GRAIN_PARAM, value=default)


def describe(chart_def: ChartDef, labels: dict[str, Any]) -> str:
    """The chart's accessible name: its title and the KPIs it shows."""
    title = labels["charts"][chart_def.chart_id]
    kpis = ", ".join(kpi_name(labels, kpi) for kpi in chart_def.kpis)
    return f"{title}: {kpis}" if kpis else title


def finish(
    chart: alt.TopLevelMixin, chart_def: ChartDef, labels: dict[str, Any]
) -> alt.TopLevelMixin:
    """The accessible description, the width and, on a period chart, the grain parameter."""
    described = chart.properties(description=describe(chart_def, labels), width=WIDTH)
    if chart_def.uses_grain:
        described = described.add_params(grain_param())
    return described

"""Assemble the self-contained HTML page.

The page carries everything it needs: the Vega, Vega-Lite and Vega-Embed
JavaScript bundled by vl-convert-python (an installed package), the chart
specs, one JSON block of data, the style sheet and a small controller script
(static/report.js: the grain switch and table sorting). It loads nothing from
any host.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import jinja2

from cs_analytics.report import charts, service_retention
from cs_analytics.report.chart_parts import describe
from cs_analytics.report.data import GRAINS, WarehouseData
from cs_analytics.report.formatting import NUMBER_FORMATS, format_datetime, format_number
from cs_analytics.report.gates import gate_rows
from cs_analytics.report.labels import kpi_definition, kpi_name
from cs_analytics.settings import report_cache_dir

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
# The Vega-Lite version the specs are written for (Altair's schema, major.minor).
VEGA_LITE_VERSION = "6.4"
# The agent and team tables: (column, KPI whose name and definition head it, kind).
AGENT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("tickets_assigned", "tickets_assigned", "count"),
    ("tickets_resolved", "agent_tickets_resolved", "count"),
    ("fcr_rate", "agent_fcr_rate", "rate"),
    ("avg_resolution_hours", "avg_resolution_hours", "hours"),
    ("resolution_sla_rate", "agent_resolution_sla_rate", "rate"),
    ("csat_responses", "csat_responses", "count"),
    ("csat_rate", "agent_csat_rate", "rate"),
)


def vega_bundle(cache_dir: Path | None = None) -> str:
    """Vega, Vega-Lite and Vega-Embed as one script, from vl-convert-python.

    vl-convert bundles the libraries on the first call of a process (about five seconds
    on two cores), so the result is cached on disk per vl-convert and Vega-Lite version.
    """
    import vl_convert

    version = getattr(vl_convert, "__version__", "unknown")
    folder = cache_dir or report_cache_dir()
    cached = folder / f"vega-bundle-{version}-vl{VEGA_LITE_VERSION}.js"
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle(vl_version=VEGA_LITE_VERSION)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass  # an unwritable cache only costs time
    return bundle


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _figures(payload: dict[str, Any], labels: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The chart figures of each section, with their footnotes."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for chart in charts.CHARTS:
        sections.setdefault(chart.section, []).append(
            {
                "id": chart.chart_id,
                "title": labels["charts"][chart.chart_id],
                "description": describe(chart, labels),
                "has_data": payload["charts"][chart.chart_id]["has_data"],
                "uses_grain": chart.uses_grain,
                "wide": chart.wide,
                "note": labels[chart.note] if chart.note else None,
                "definitions": [
                    (kpi_name(labels, kpi), kpi_definition(labels, kpi)) for kpi in chart.kpis
                ],
            }
        )
    return sections


def _agent_tables(payload: dict[str, Any], lang: str) -> dict[str, dict[str, Any]]:
    """Per grain, the team and agent rows of the latest complete period, formatted."""
    tables: dict[str, dict[str, Any]] = {}
    for grain in GRAINS:
        start = payload["headline"][grain]["period_start"]

        def rows(name: str, grain: str = grain, start: Any = start) -> list[dict[str, Any]]:
            return [
                {
                    **row,
                    "cells": [
                        (row[column], format_number(row[column], kind, lang))
                        for column, _, kind in AGENT_COLUMNS
                    ],
                }
                for row in payload["datasets"][name]
                if row["period_grain"] == grain and row["period_start"] == start
            ]

        tables[grain] = {"agents": rows("agent_scorecard"), "teams": rows("team_scorecard")}
    return tables


def render(
    payload: dict[str, Any],
    specs: dict[str, Any],
    data: WarehouseData,
    labels: dict[str, Any],
    generated_at: dt.datetime,
) -> str:
    """The page's HTML."""
    lang = payload["meta"]["lang"]
    published_at = payload["meta"]["published_at"]
    failure = data.last_failure
    show_failure = bool(
        failure
        and failure.get("failed_at")
        and (published_at is None or str(failure["failed_at"]) > str(published_at))
    )
    template = _environment().get_template("report.html.j2")
    return template.render(
        lang=lang,
        labels=labels,
        meta=payload["meta"],
        grains=GRAINS,
        default_grain=payload["meta"]["default_grain"],
        headline=payload["headline"],
        sections=_figures(payload, labels),
        agent_tables=_agent_tables(payload, lang),
        service_tables=service_retention.tables(payload, labels, lang),
        agent_columns=[
            {
                "label": kpi_name(labels, kpi),
                "definition": kpi_definition(labels, kpi),
                "format": NUMBER_FORMATS[kind],
            }
            for _, kpi, kind in AGENT_COLUMNS
        ],
        reconciliation=[
            {
                **row,
                "cells": [
                    format_number(row[column], kind, lang)
                    for column, kind in (
                        ("raw_rows", "count"),
                        ("valid_rows", "count"),
                        ("duplicate_rows", "count"),
                        ("rejected_rows", "count"),
                        ("rejected_share", "rate"),
                    )
                ],
            }
            for row in data.source_reconciliation
        ],
        rejected=None
        if data.rejected_rows is None
        else [{**row, "display": format_number(row["rows"], "count", lang)}
              for row in data.rejected_rows],
        gates=gate_rows(data.quality_gates, labels),
        source_line=(
            labels["source_published"].format(
                path=data.source_path,
                time=format_datetime(dt.datetime.fromisoformat(published_at), labels)
                if published_at
                else labels["missing_value"],
            )
            if data.source_kind == "published"
            else labels["source_work"].format(path=data.source_path)
        ),
        generated_line=labels["generated_at"].format(
            time=format_datetime(generated_at, labels)
        ),
        failure_line=labels["last_failure"].format(
            time=format_datetime(dt.datetime.fromisoformat(str(failure["failed_at"])), labels),
            step=", ".join(f["step"] for f in failure.get("failures", [])) or "?",
        )
        if show_failure and failure
        else None,
        data_json=script_json(payload),
        specs_json=script_json(specs),
        bundle=vega_bundle(),
        controller=(STATIC / "report.js").read_text(encoding="utf-8"),
        css=(STATIC / "report.css").read_text(encoding="utf-8"),
    )

"""Build the report: read the warehouse, shape the page's data, write the HTML atomically."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cs_analytics.report import charts, page, service_retention, service_time
from cs_analytics.report.data import GRAINS, Sources, WarehouseData, load
from cs_analytics.report.formatting import (
    D3_FORMAT_LOCALES,
    NUMBER_FORMATS,
    format_change,
    format_number,
    period_label,
    period_name,
)
from cs_analytics.report.labels import kpi_definition, kpi_name, labels_for

DEFAULT_GRAIN = "month"


@dataclass(frozen=True)
class Card:
    """A headline number: the KPI, the mart column it reads, its kind, and which way is good."""

    kpi: str
    mart: str
    column: str
    kind: str
    better: str  # "up" or "down"


CARDS: tuple[Card, ...] = (
    Card("customers_end", "customer_retention", "customers_end", "count", "up"),
    Card("new_customers", "customer_retention", "new_customers", "count", "up"),
    Card("retention_rate", "customer_retention", "retention_rate", "rate", "up"),
    Card("churn_rate", "customer_retention", "churn_rate", "rate", "down"),
    Card("revenue", "revenue", "revenue", "amount", "up"),
    Card("returning_revenue_share", "revenue", "returning_revenue_share", "rate", "up"),
    Card("nps", "nps", "nps", "score", "up"),
    Card("csat_rate", "csat", "csat_rate", "rate", "up"),
    Card("fcr_rate", "support_kpis", "fcr_rate", "rate", "up"),
    Card("median_first_response_minutes", "support_kpis", "median_first_response_minutes",
         "minutes", "down"),
    Card("median_resolution_hours", "support_kpis", "median_resolution_hours", "hours", "down"),
    Card("backlog_end", "support_kpis", "backlog_end", "count", "down"),
    Card("first_response_sla_rate", "support_kpis", "first_response_sla_rate", "rate", "up"),
    Card("resolution_sla_rate", "support_kpis", "resolution_sla_rate", "rate", "up"),
    Card(*service_time.CONTACT_RATE_CARD),
)

@dataclass(frozen=True)
class BuildResult:
    path: Path
    size_bytes: int
    seconds: float
    lang: str
    source: str


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def label_periods(rows: list[dict[str, Any]], labels: dict[str, Any]) -> list[dict[str, Any]]:
    """Add the period's short (axis) and long (tooltip, heading) names in the language."""
    mark = labels["incomplete_mark"]
    for row in rows:
        start, end = _date(row["period_start"]), _date(row["period_end"])
        short = period_label(row["period_grain"], start, end, labels)
        row["period_label"] = short if row["is_complete"] else f"{short}{mark}"
        row["period_name"] = period_name(row["period_grain"], start, end, labels)
    return rows


def cards_by_grain(data: WarehouseData, labels: dict[str, Any], lang: str) -> dict[str, Any]:
    """Per grain: the latest complete period, and each headline number with its change
    against the previous period of the same grain."""
    by_period = {
        mart: {(row["period_grain"], row["period_start"]): row for row in rows}
        for mart, rows in data.marts.items()
        if mart in {card.mart for card in CARDS}
    }
    result: dict[str, Any] = {}
    for grain in GRAINS:
        latest = data.latest[grain]
        start = latest["period_start"]
        if start is None:
            result[grain] = {"period_start": None, "period_name": None, "cards": []}
            continue
        previous_start = latest["previous_start"]
        cards = []
        for card in CARDS:
            row = by_period[card.mart].get((grain, start), {})
            value = row.get(card.column)
            before = by_period[card.mart].get((grain, previous_start), {}).get(card.column)
            change = format_change(value, before, card.kind, lang, labels["points"])
            direction = None
            if value is not None and before is not None and value != before:
                direction = "up" if value > before else "down"
            cards.append(
                {
                    "kpi": card.kpi,
                    "name": kpi_name(labels, card.kpi),
                    "definition": kpi_definition(labels, card.kpi),
                    "value": value,
                    "previous": before,
                    "display": format_number(value, card.kind, lang),
                    "change": change,
                    "direction": direction,
                    "good": None if direction is None else direction == card.better,
                    "note": service_time.card_note(card.kpi, data.sla_clocks, labels),
                }
            )
        result[grain] = {
            "period_start": start,
            "period_name": period_name(grain, _date(start), _date(latest["period_end"]), labels),
            "previous_start": previous_start,
            "cards": cards,
        }
    return result


def datasets(data: WarehouseData, labels: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The named datasets the charts and tables read, in the page's language."""
    named = {mart: label_periods(rows, labels) for mart, rows in data.marts.items()
             if mart != "cohort_retention"}
    cohorts = data.marts["cohort_retention"]
    for row in cohorts:
        start = _date(row["cohort_month"])
        row["cohort_label"] = period_label("month", start, start, labels)
    named["cohort_retention"] = cohorts
    for name, rows, names in (
        ("lifecycle_stages", data.lifecycle_stages, labels["lifecycle_stages"]),
        ("loyalty_tiers", data.loyalty_tiers, labels["loyalty_tiers"]),
    ):
        named[name] = [
            {**row, "label": names.get(row["key"], row["key"]), "order": index}
            for index, row in enumerate(rows)
        ]
    named["agent_scorecard"] = data.agent_scorecard
    named["team_scorecard"] = data.team_scorecard
    named["source_reconciliation"] = data.source_reconciliation
    named["rejected_rows"] = data.rejected_rows or []
    named.update(service_retention.datasets(named, data.latest, labels))
    return named


def page_data(data: WarehouseData, lang: str, generated_at: dt.datetime) -> dict[str, Any]:
    """The page's one machine-readable data block."""
    labels = labels_for(lang)
    named = datasets(data, labels)
    chart_info = {
        chart.chart_id: {
            "dataset": chart.dataset,
            "uses_grain": chart.uses_grain,
            "has_data": charts.has_data(chart, named.get(chart.dataset)),
            "has_data_by_grain": {
                grain: charts.has_data(
                    chart,
                    [row for row in named.get(chart.dataset, []) if row["period_grain"] == grain],
                )
                for grain in GRAINS
            }
            if chart.uses_grain
            else None,
        }
        for chart in charts.CHARTS
    }
    return {
        "meta": {
            "lang": lang,
            "title": labels["title"],
            "source_kind": data.source_kind,
            "source_path": data.source_path,
            "generated_at": generated_at.isoformat(timespec="seconds"),
            "published_at": (data.snapshot or {}).get("published_at"),
            "grains": list(GRAINS),
            "default_grain": DEFAULT_GRAIN,
        },
        "format": {"locale": D3_FORMAT_LOCALES[lang], "formats": NUMBER_FORMATS},
        "headline": cards_by_grain(data, labels, lang),
        "charts": chart_info,
        "datasets": named,
        "quality_gates": data.quality_gates,
    }


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`: a reader sees
    the old report or the new one, and a failed build leaves the old one in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def build_report(sources: Sources, out: Path, lang: str) -> BuildResult:
    """Read the warehouse and write the self-contained report to `out`."""
    import time

    started = time.perf_counter()
    labels = labels_for(lang)
    data = load(sources)
    generated_at = dt.datetime.now().astimezone()
    payload = page_data(data, lang, generated_at)
    specs = {
        chart.chart_id: charts.chart_spec(chart, labels, payload["datasets"][chart.dataset])
        for chart in charts.CHARTS
    }
    html = page.render(payload, specs, data, labels, generated_at)
    write_atomic(out, html)
    return BuildResult(
        path=out,
        size_bytes=out.stat().st_size,
        seconds=time.perf_counter() - started,
        lang=lang,
        source=data.source_path,
    )

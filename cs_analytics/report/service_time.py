"""The report's view of business hours (contract section 7) and the contact
rate: which clock each priority's SLA runs on (said on the SLA cards),
business time drawn beside calendar time in the response and resolution
panels, and the contact-rate card (tickets per 100 orders).

The clocks are read from marts.fct_tickets (sla_clock per priority), so the
page says what the marts were computed with, published snapshot or work
warehouse alike. Every word is in labels/service_time.py.
"""

from __future__ import annotations

from typing import Any

import duckdb

from cs_analytics.report.chart_parts import Measure

PRIORITIES = ("urgent", "high", "normal", "low")
SLA_CARDS = ("first_response_sla_rate", "resolution_sla_rate")
# Extra series of the response and resolution panels: the calendar average beside the
# business-hours average.
FIRST_RESPONSE_CLOCKS = (
    Measure("avg_first_response_minutes", "minutes", "teal"),
    Measure("avg_first_response_business_minutes", "minutes", "purple"),
)
RESOLUTION_CLOCKS = (
    Measure("avg_resolution_hours", "hours", "teal", kpi="ticket_avg_resolution_hours"),
    Measure("avg_resolution_business_hours", "hours", "purple"),
)
# The headline card: (KPI, mart, column, kind, which way is good).
CONTACT_RATE_CARD = (
    "contact_rate_per_100_orders", "support_kpis", "contact_rate_per_100_orders", "score", "down",
)


def sla_clocks(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """priority -> calendar or business, for the priorities that have tickets; empty for a
    warehouse built before the SLA clocks (no sla_clock column)."""
    try:
        rows = con.execute(
            "select priority, min(sla_clock) from marts.fct_tickets group by priority"
        ).fetchall()
    except duckdb.Error:
        return {}
    return {str(priority): str(clock) for priority, clock in rows if clock is not None}


def clock_note(clocks: dict[str, str], labels: dict[str, Any]) -> str | None:
    """One sentence: which priorities run on which clock, e.g. "Urgent: calendar clock
    (24/7); high, normal, low: business hours." None when no ticket says."""
    if not clocks:
        return None
    ordered = [p for p in PRIORITIES if p in clocks] + sorted(set(clocks) - set(PRIORITIES))
    parts = []
    for clock in ("calendar", "business"):
        names = [labels["priorities"].get(p, p) for p in ordered if clocks[p] == clock]
        if names:
            parts.append(
                labels["sla_clock_part"].format(
                    priorities=", ".join(names), clock=labels["clock_names"][clock]
                )
            )
    text = "; ".join(parts)
    return labels["sla_clock_note"].format(clocks=text[:1].upper() + text[1:])


def card_note(kpi: str, clocks: dict[str, str], labels: dict[str, Any]) -> str | None:
    """The line under a headline card: the clocks, on the two SLA cards only."""
    return clock_note(clocks, labels) if kpi in SLA_CARDS else None

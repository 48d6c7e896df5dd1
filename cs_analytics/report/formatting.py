"""Numbers and dates in the report's language.

One format string per kind of number serves both sides: Python's format
mini-language and d3-format (which Vega-Lite uses in the browser) read
`,.0f`, `.1%` and `+.1f` alike. Only the separators and the percent sign
differ by language, and they are given once per language: as a d3 format
locale for the charts, and applied by `format_number` for the cards and
tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# Kind of number -> format string (Python and d3).
NUMBER_FORMATS: dict[str, str] = {
    "count": ",.0f",
    "amount": ",.0f",
    "rate": ".1%",
    "score": ",.1f",
    "rating": ",.2f",
    "minutes": ",.1f",
    "hours": ",.1f",
    "seconds": ",.0f",
}
# Changes against the previous period shown as a difference.
CHANGE_FORMATS: dict[str, str] = {"count": "+,.0f", "score": "+,.1f", "rating": "+,.2f"}
# Axis labels need fewer decimals than the numbers themselves.
AXIS_FORMATS: dict[str, str] = {**NUMBER_FORMATS, "rate": ".0%", "score": ",.0f", "rating": ",.1f"}

NBSP = "\u00a0"

# d3-format locales (https://d3js.org/d3-format#formatLocale).
D3_FORMAT_LOCALES: dict[str, dict[str, Any]] = {
    "vi": {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["", f"{NBSP}₫"],
        "percent": f"{NBSP}%",
    },
    "en": {
        "decimal": ".",
        "thousands": ",",
        "grouping": [3],
        "currency": ["$", ""],
    },
}

MISSING = "–"



def localise(text: str, lang: str) -> str:
    """Swap the separators of a number Python formatted the English way."""
    locale = D3_FORMAT_LOCALES[lang]
    text = text.translate(
        {ord(","): "\0", ord("."): locale["decimal"]}
    ).replace("\0", locale["thousands"])
    return text.replace("%", locale.get("percent", "%"))


def format_number(value: float | int | None, kind: str, lang: str) -> str:
    """`1234567` as `1.234.567` (vi) or `1,234,567` (en); `0.682` as `68,2 %` or `68.2%`."""
    if value is None:
        return MISSING
    return localise(format(float(value), NUMBER_FORMATS[kind]), lang)


def format_change(
    current: float | None, previous: float | None, kind: str, lang: str, points: str
) -> str | None:
    """The change against the previous period: points for rates (`+5,0 điểm %`), the
    difference for counts and scores (`+1.234`), a relative change for amounts and
    durations (`+12,3 %`)."""
    if current is None or previous is None:
        return None
    if kind == "rate":
        return f"{localise(format((current - previous) * 100, '+,.1f'), lang)}{NBSP}{points}"
    if kind in {"score", "rating", "count"}:
        return localise(format(current - previous, CHANGE_FORMATS[kind]), lang)
    if previous == 0:
        return None
    return localise(format(current / previous - 1, "+.1%"), lang)


def format_date(day: dt.date, labels: dict[str, Any]) -> str:
    """`02/04/2025` (vi) or `2 Apr 2025` (en)."""
    return str(labels["date"]).format(
        day=day.day, month=day.month, year=day.year, month_name=labels["month_names"][day.month - 1]
    )


def format_datetime(moment: dt.datetime, labels: dict[str, Any]) -> str:
    """`02/04/2025 07:30` (vi) or `2 Apr 2025 07:30` (en), in the moment's own zone."""
    return f"{format_date(moment.date(), labels)} {moment:%H:%M}"


def _period_fields(start: dt.date, end: dt.date, labels: dict[str, Any]) -> dict[str, Any]:
    iso_year, week, _ = start.isocalendar()
    return {
        "week": week,
        "iso_year": iso_year,
        "month": start.month,
        "month_name": labels["month_names"][start.month - 1],
        "quarter": (start.month - 1) // 3 + 1,
        "year": start.year,
        "start": format_date(start, labels),
        "end": format_date(end, labels),
    }


def period_label(grain: str, start: dt.date, end: dt.date, labels: dict[str, Any]) -> str:
    """The short name of a period, for an axis: `T3/2025`, `Q1/2025`, `W02 2025`, `2025`."""
    return str(labels["period_short"][grain]).format(**_period_fields(start, end, labels))


def period_name(grain: str, start: dt.date, end: dt.date, labels: dict[str, Any]) -> str:
    """The long name of a period, for a heading: `Tháng 3/2025`, `Week 1 2025 (30 Dec 2024 –
    5 Jan 2025)`."""
    return str(labels["period_long"][grain]).format(**_period_fields(start, end, labels))

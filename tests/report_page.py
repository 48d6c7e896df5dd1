"""Helpers for the report tests: build a report, read the data a page embeds."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from cs_analytics.report import Sources, build_report

NBSP = "\u00a0"
DATA_BLOCK = re.compile(
    r'<script type="application/json" id="report-data">(.*?)</script>', re.DOTALL
)


def page_data(html: str) -> dict[str, Any]:
    """The page's one machine-readable data block, as the browser reads it."""
    match = DATA_BLOCK.search(html)
    assert match, "the page has no report-data block"
    return json.loads(match.group(1))


def write_report(database: Path, out: Path, lang: str, published_dir: Path | None = None) -> str:
    """Build the report of `database` into `out` and return its HTML."""
    sources = Sources(
        database=database,
        work_db=database,
        published_dir=published_dir or out.parent / "no-published-folder",
    )
    build_report(sources, out, lang)
    return out.read_text(encoding="utf-8")


def month_rows(data: dict[str, Any], dataset: str) -> list[dict[str, Any]]:
    return [row for row in data["datasets"][dataset] if row["period_grain"] == "month"]


def columns(rows: list[dict[str, Any]], *names: str) -> list[tuple[Any, ...]]:
    return [tuple(row[name] for name in names) for row in rows]


def as_embedded(value: Any) -> Any:
    """A mart's value as the page's data block holds it: a date in ISO form, a number
    equal to twelve significant digits."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is not None and not isinstance(value, bool | str):
        return pytest.approx(float(value), rel=1e-12)
    return value

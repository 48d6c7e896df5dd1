"""The report's "Service and retention" section (cs_analytics/report/service_retention.py)
on the worked example and on hand-made mart rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import Warehouse
from report_page import as_embedded, columns, page_data, write_report

from cs_analytics.report.labels import LABELS


def test_service_retention_dataset_is_the_mart(
    report_data: dict[str, Any], worked_example: Warehouse
) -> None:
    expected = worked_example.rows("select * from marts.service_retention")
    embedded = {
        (row["period_grain"], row["period_start"], row["service_band"]): row
        for row in report_data["datasets"]["service_retention"]
    }
    assert len(embedded) == len(expected) == len(report_data["datasets"]["service_retention"])
    for row in expected:
        page_row = embedded[(row["period_grain"], row["period_start"].isoformat(),
                             row["service_band"])]
        for column, value in row.items():
            assert page_row[column] == as_embedded(value), (column, row)


def test_service_bands_of_the_latest_complete_period(
    report_data: dict[str, Any], report_pages: dict[str, str]
) -> None:
    """March 2025, the latest complete month: KH1 alone is active at its start, no_ticket
    (README), too few customers to show a rate; the bands in the contract's order."""
    month = [row for row in report_data["datasets"]["service_bands_latest"]
             if row["period_grain"] == "month"]
    assert columns(month, "period_start", "service_band", "customers_start", "retention_rate",
                   "is_readable", "shown_retention_rate") == [
        ("2025-03-01", "unresolved", 0, None, False, None),
        ("2025-03-01", "dissatisfied", 0, None, False, None),
        ("2025-03-01", "sla_breached", 0, None, False, None),
        ("2025-03-01", "served", 0, None, False, None),
        ("2025-03-01", "no_ticket", 1, 0.0, False, None),
    ]
    assert {row["period_grain"] for row in report_data["datasets"]["service_bands_latest"]} == {
        "week", "month", "quarter"}
    assert all(row["unresolved_vs_no_ticket"] is None and row["dissatisfied_vs_no_ticket"]
               is None for row in report_data["datasets"]["service_vs_no_ticket"])
    assert not report_data["charts"]["service_band_rates"]["has_data"]
    text = {lang: LABELS[lang]["service_retention"] for lang in ("vi", "en")}
    assert text["vi"]["too_small"].format(minimum=30) in report_pages["vi"]
    assert text["en"]["association"] in report_pages["en"].replace("&#39;", "'")


def test_service_bands_too_small_below_thirty_customers() -> None:
    """A band is read from 30 customers on: its rate and interval are shown; at 29 it
    is too small, and so is its difference to no_ticket (hand-made mart rows)."""
    from cs_analytics.report import service_retention as section

    def row(start: str, band: str, customers: int, rate: float, vs: float | None) -> dict:
        return {"period_grain": "month", "period_start": start, "period_end": start,
                "is_complete": True, "period_label": start, "period_name": start,
                "service_band": band, "customers_start": customers, "retention_rate": rate,
                "retention_rate_ci_low": rate - 0.1, "retention_rate_ci_high": rate + 0.1,
                "retention_rate_vs_no_ticket": vs}

    rows = [
        row("2025-01-01", "unresolved", 30, 0.5, -0.2),
        row("2025-01-01", "dissatisfied", 29, 0.6, -0.1),
        row("2025-01-01", "no_ticket", 30, 0.7, 0.0),
        row("2025-02-01", "unresolved", 40, 0.5, -0.1),
        row("2025-02-01", "no_ticket", 29, 0.6, 0.0),
    ]
    latest = {"month": {"period_start": "2025-01-01"}}
    shown = section.band_rows(rows, latest, LABELS["en"])
    assert [(r["service_band"], r["is_readable"], r["shown_retention_rate"],
             r["shown_retention_rate_ci_high"]) for r in shown] == [
        ("unresolved", True, 0.5, 0.6), ("dissatisfied", False, None, None),
        ("no_ticket", True, 0.7, pytest.approx(0.8)),
    ]
    assert [(r["period_start"], r["unresolved_vs_no_ticket"], r["dissatisfied_vs_no_ticket"])
            for r in section.trend_rows(rows)] == [
        ("2025-01-01", -0.2, None), ("2025-02-01", None, None)]
    # Without any customer in a band but no_ticket (a shop without a helpdesk): nothing.
    alone = [r for r in rows if r["service_band"] == "no_ticket"]
    assert not any(r["is_readable"] for r in section.band_rows(alone, latest, LABELS["en"]))


def test_a_warehouse_built_before_the_service_mart(
    worked_example: Warehouse, tmp_path: Path
) -> None:
    """A snapshot published before marts.service_retention existed still gives a page,
    whose service section says it has no data."""
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(worked_example.path, old)
    with duckdb.connect(str(old)) as con:
        con.execute("drop table marts.service_retention")
    html = write_report(old, tmp_path / "report.html", "en")
    data = page_data(html)
    assert data["datasets"]["service_retention"] == []
    assert not data["charts"]["service_band_rates"]["has_data"]
    assert not data["charts"]["service_vs_no_ticket"]["has_data"]
    assert LABELS["en"]["service_retention"]["no_helpdesk"] in html

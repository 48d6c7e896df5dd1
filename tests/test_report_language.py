"""The report in Vietnamese and English: numbers, dates and every word follow the
language, from one label table per language (cs_analytics/report/labels/).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from report_page import NBSP, month_rows, page_data

from cs_analytics.report.charts import CHARTS
from cs_analytics.report.formatting import format_change, format_number, period_label
from cs_analytics.report.labels import LABELS, merged


def test_numbers_follow_the_language() -> None:
    assert format_number(1234567, "count", "vi") == "1.234.567"
    assert format_number(1234567, "count", "en") == "1,234,567"
    assert format_number(0.682, "rate", "vi") == f"68,2{NBSP}%"
    assert format_number(0.682, "rate", "en") == "68.2%"
    assert format_number(1234.5, "hours", "vi") == "1.234,5"
    assert format_number(4.256, "rating", "en") == "4.26"
    assert format_number(None, "rate", "vi") == "–"
    assert format_change(0.7, 0.65, "rate", "vi", "điểm %") == f"+5,0{NBSP}điểm %"
    assert format_change(0.7, 0.65, "rate", "en", "pp") == f"+5.0{NBSP}pp"
    assert format_change(1100, 1000, "amount", "vi", "") == f"+10,0{NBSP}%"
    assert format_change(1, 0, "amount", "vi", "") is None


def test_dates_follow_the_language() -> None:
    start = dt.date(2024, 12, 30)
    assert period_label("week", start, start, LABELS["vi"]) == "Tuần 1/2025"
    assert period_label("week", start, start, LABELS["en"]) == "W01 2025"
    march = dt.date(2025, 3, 1)
    assert period_label("month", march, march, LABELS["vi"]) == "T3/2025"
    assert period_label("quarter", march, march, LABELS["en"]) == "Q1 2025"


def test_both_languages_share_one_label_table_shape() -> None:
    def shape(table: Any) -> Any:
        if isinstance(table, dict):
            return {key: shape(value) for key, value in table.items()}
        return type(table).__name__

    assert shape(LABELS["vi"]) == shape(LABELS["en"])
    for chart in CHARTS:
        for lang in LABELS:
            assert chart.chart_id in LABELS[lang]["charts"]
            assert all(kpi in LABELS[lang]["kpis"] for kpi in chart.kpis)


def test_page_language_title_and_formats(report_pages: dict[str, str]) -> None:
    vi, en = report_pages["vi"], report_pages["en"]
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert "<title>Báo cáo chăm sóc khách hàng – Tháng 3/2025</title>" in vi
    assert "<title>Customer care report – Mar 2025</title>" in en
    assert f"100,0{NBSP}%" in vi and "100.0%" in en
    assert page_data(vi)["format"]["locale"]["decimal"] == ","
    assert page_data(en)["format"]["locale"]["thousands"] == ","
    assert "T3/2025" in {row["period_label"] for row in month_rows(page_data(vi), "revenue")}
    assert "Apr 2025*" in {row["period_label"] for row in month_rows(page_data(en), "revenue")}


def test_every_kpi_definition_is_on_the_page(report_pages: dict[str, str]) -> None:
    for lang, html in report_pages.items():
        for chart in CHARTS:
            for kpi in chart.kpis:
                definition = LABELS[lang]["kpis"][kpi][1]
                assert definition.replace("'", "&#39;").replace('"', "&#34;") in html, kpi


def test_a_word_is_defined_in_one_place() -> None:
    """A section's words join the language's table; a word the table already has is
    refused, not silently replaced, and the tables merged are left as they were."""
    table = {"title": "Report", "kpis": {"nps": ("NPS", "Promoters minus detractors.")}}
    part = {"kpis": {"csat_rate": ("CSAT", "Satisfied share.")}, "note": "A note."}
    assert merged(table, part) == {
        "title": "Report",
        "kpis": {"nps": ("NPS", "Promoters minus detractors."),
                 "csat_rate": ("CSAT", "Satisfied share.")},
        "note": "A note.",
    }
    assert set(table["kpis"]) == {"nps"} and "note" not in table
    with pytest.raises(ValueError, match="defined twice: nps"):
        merged(table, {"kpis": {"nps": ("Net promoter score", "Another definition.")}})
    with pytest.raises(ValueError, match="defined twice: title"):
        merged(table, {"title": "Another title"})

"""Every word the report shows, one table per language.

`LABELS[lang]` holds the page's text, the names of periods and dates, and for
every KPI its name and its one-line definition from the contract
(docs/contract.md, section 3). Code never spells a visible word itself:
it looks it up here, so a translation is one table per module: the page's own
words (vi.py, en.py), and beside them the words of each section that has a
module of its own (service_retention.py, service_time.py), merged into the
language's table here.
"""

from __future__ import annotations

from typing import Any

from cs_analytics.report.labels import en, service_retention, service_time, vi

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


def merged(table: dict[str, Any], *parts: dict[str, Any]) -> dict[str, Any]:
    """`table` with each part's words added: a part's nested table (kpis, charts...)
    adds its entries to the table's of that name. A word defined twice is a mistake,
    refused, so that each word has one place."""
    result = {key: dict(value) if isinstance(value, dict) else value
              for key, value in table.items()}
    for part in parts:
        for key, value in part.items():
            nested = isinstance(value, dict) and isinstance(result.get(key), dict)
            twice = (result[key].keys() & value.keys()) if nested else {key} & result.keys()
            if twice:
                raise ValueError(f"Report labels defined twice: {', '.join(sorted(twice))}.")
            result[key] = {**result[key], **value} if nested else value
    return result


LABELS: dict[str, dict[str, Any]] = {
    "vi": merged(vi.VI, service_retention.VI, service_time.VI),
    "en": merged(en.EN, service_retention.EN, service_time.EN),
}


def labels_for(lang: str) -> dict[str, Any]:
    """The label table of a language; one clear sentence for an unknown one."""
    try:
        return LABELS[lang]
    except KeyError:
        raise ValueError(
            f"Unknown report language {lang!r}: use one of {', '.join(LANGUAGES)}."
        ) from None


def kpi_name(labels: dict[str, Any], kpi: str) -> str:
    return str(labels["kpis"][kpi][0])


def kpi_definition(labels: dict[str, Any], kpi: str) -> str:
    return str(labels["kpis"][kpi][1])

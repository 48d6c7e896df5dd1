"""The quality gates of the last nightly run, as the report shows them.

The nightly job writes `quality_gates.json` beside the published snapshot
(orchestration/report_asset.py) in this shape:

    {"run_id": "...", "job": "nightly_build", "recorded_at": "<ISO time>",
     "checks": [{"asset": "marts/revenue", "check": "headline_vs_previous_snapshot",
                 "kind": "great_expectations" | "dbt", "passed": true,
                 "severity": "ERROR" | "WARN", "description": "..."}]}

The Great Expectations gates (orchestration/checks.py: `raw_file_expectations`
on each raw file, `latest_event_vs_previous_snapshot` and
`headline_vs_previous_snapshot` on the marts) are listed one by one; dbt tests
(hundreds) are counted, and only those that did not pass are listed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cs_analytics.report.formatting import format_datetime

GX_KIND = "great_expectations"
DBT_KIND = "dbt"


def check_status(check: dict[str, Any]) -> str:
    """`passed`, `warning` (a failed check of WARN severity) or `failed`."""
    if check.get("passed"):
        return "passed"
    return "warning" if str(check.get("severity", "")).upper() == "WARN" else "failed"


def gate_rows(gates: dict[str, Any] | None, labels: dict[str, Any]) -> dict[str, Any] | None:
    """Rows and summary lines for the page, or None when no run recorded its gates."""
    if not gates or not isinstance(gates.get("checks"), list):
        return None
    checks = [
        {**check, "status": check_status(check),
         "status_label": labels["gate_status"][check_status(check)]}
        for check in gates["checks"]
    ]
    gx = sorted(
        (check for check in checks if check.get("kind") == GX_KIND),
        key=lambda check: (check["status"] == "passed", check["asset"], check["check"]),
    )
    dbt = [check for check in checks if check.get("kind") == DBT_KIND]
    recorded = gates.get("recorded_at")
    when = (
        format_datetime(dt.datetime.fromisoformat(recorded), labels)
        if recorded
        else labels["missing_value"]
    )
    return {
        "summary": labels["gates_run"].format(
            run_id=str(gates.get("run_id", ""))[:8],
            time=when,
            passed=sum(check["status"] == "passed" for check in checks),
            total=len(checks),
        ),
        "gx": gx,
        "dbt_summary": labels["gates_dbt"].format(
            passed=sum(check["status"] == "passed" for check in dbt), total=len(dbt)
        ),
        "dbt_not_passed": [check for check in dbt if check["status"] != "passed"],
    }

"""The KPI report as the last asset of the nightly job, built after publishing.

`report` depends on `published_snapshot`, so it runs only when the snapshot was
published (every blocking check passed). It records the run's quality-gate
results in `quality_gates.json` beside the snapshot, then writes
`<published>/report/index.html` from the snapshot (cs_analytics.report). The
HTML is written to a temporary file and renamed over the previous report, so
a run that fails anywhere keeps the previous report.
"""

import datetime as dt
from pathlib import Path
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    Config,
    DagsterInstance,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from pydantic import Field

from cs_analytics.report import ReportDataError, Sources, build_report
from cs_analytics.report.data import QUALITY_GATES_FILE
from cs_analytics.report.gates import DBT_KIND, GX_KIND
from orchestration.assets import published_snapshot
from orchestration.checks import GX_CHECKS
from orchestration.failures import check_evaluations
from orchestration.publish import write_json_atomic
from orchestration.resources import WarehouseResource


class ReportConfig(Config):
    lang: str = Field(
        default="vi",
        description="Language of the published report: vi (the departments' own) or en.",
    )


def run_check_results(instance: DagsterInstance, run_id: str) -> list[dict[str, Any]]:
    """Every asset check evaluated in the run: Great Expectations gates and dbt tests."""
    results = [
        {
            "asset": evaluation.asset_key.to_user_string(),
            "check": evaluation.check_name,
            "kind": GX_KIND if evaluation.check_name in GX_CHECKS else DBT_KIND,
            "passed": bool(evaluation.passed),
            "severity": evaluation.severity.value,
            "description": evaluation.description or "",
        }
        for evaluation in check_evaluations(instance, run_id)
    ]
    return sorted(results, key=lambda result: (result["kind"], result["asset"], result["check"]))


@asset(
    key=AssetKey("report"),
    group_name="published",
    deps=[published_snapshot],
    kinds={"html"},
    description=(
        "The KPI report for the customer-care manager: a self-contained HTML page "
        "(warehouse/published/report/index.html) built from the published snapshot, with "
        "the quality gates of the run. Replaced atomically; a failed run keeps the last one."
    ),
)
def report(
    context: AssetExecutionContext, warehouse: WarehouseResource, config: ReportConfig
) -> MaterializeResult:
    published_dir = warehouse.published_dir()
    checks = run_check_results(context.instance, context.run.run_id)
    write_json_atomic(
        published_dir / QUALITY_GATES_FILE,
        {
            "run_id": context.run.run_id,
            "job": context.run.job_name,
            "recorded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "checks": checks,
        },
    )
    out: Path = published_dir / "report" / "index.html"
    sources = Sources(
        database=warehouse.published_path(),
        work_db=warehouse.work_db_path(),
        published_dir=published_dir,
    )
    try:
        result = build_report(sources, out, config.lang)
    except (ReportDataError, ValueError) as error:
        raise Failure(
            description=f"The report was not rebuilt, the previous one is kept: {error}",
            allow_retries=False,
        ) from error
    context.log.info(
        f"Wrote {result.path} ({result.size_bytes:,} bytes) in {result.seconds:.1f} s."
    )
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(result.path)),
            "size_bytes": MetadataValue.int(result.size_bytes),
            "seconds": MetadataValue.float(round(result.seconds, 2)),
            "lang": MetadataValue.text(result.lang),
            "quality_checks_recorded": MetadataValue.int(len(checks)),
        }
    )

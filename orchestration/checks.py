"""The Great Expectations gates as Dagster asset checks (wiring only: the gates
themselves are raw_gates.py and kpi_drift.py).

- `raw_quality_gates` (before dbt, blocking): each raw file can be read as dbt
  will read it, with the run's dbt vars, and is not broken as a whole. A refused
  file or a failed share stops the run before dbt touches the warehouse; an
  empty table or too few rows is a WARNING.
- `headline_kpi_checks` (after dbt, never blocking): each headline number
  within plausible bounds of the previous published snapshot.

Every other check of the marts is a dbt test, which dagster-dbt shows as an
asset check of its model (docs/orchestration.md lists which is which).
"""

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    Failure,
    MetadataValue,
    multi_asset_check,
)

from orchestration.assets import (
    MART_ASSET_KEYS,
    RAW_ASSET_KEYS,
    TRANSIENT_RETRY,
    dbt_vars_of_run,
)
from orchestration.database import connect_read_only
from orchestration.gx_runner import GateResult, GreatExpectationsRunner
from orchestration.kpi_drift import HEADLINE_KPIS, kpi_drift_result, open_previous_snapshot
from orchestration.raw_gates import raw_gate_results
from orchestration.resources import WarehouseResource
from orchestration.thresholds import QualityGateConfig

RAW_CHECK = "raw_file_expectations"
KPI_CHECK = "headline_vs_previous_snapshot"


def check_result(
    check_key: AssetCheckKey, result: GateResult, runner: GreatExpectationsRunner
) -> AssetCheckResult:
    """The asset check result of one gate's verdict: blocking failures are ERROR,
    warnings alone are WARN."""
    metadata: dict[str, Any] = {"data_docs": MetadataValue.path(str(runner.index_path))}
    for name, value in result.metadata.items():
        if isinstance(value, (dict, list)):
            metadata[name] = MetadataValue.json(value)
        elif value is not None:
            metadata[name] = value
    failures = [*result.blocking_failures, *result.warnings]
    if failures:
        metadata["failed_expectations"] = MetadataValue.md(
            "\n".join(f"- {text}" for text in failures)
        )
    return AssetCheckResult(
        asset_key=check_key.asset_key,
        check_name=check_key.name,
        passed=result.passed,
        severity=AssetCheckSeverity.ERROR if result.blocking_failures else AssetCheckSeverity.WARN,
        description=result.description,
        metadata=metadata,
    )


def _finish(
    context: AssetCheckExecutionContext,
    runner: GreatExpectationsRunner,
    results: list[AssetCheckResult],
) -> Iterator[AssetCheckResult]:
    """Render the Data Docs (a docs problem never hides a gate result), then report."""
    try:
        index = runner.build_data_docs()
        if index is not None:
            context.log.info(f"Great Expectations Data Docs: {index}")
    except Exception as error:  # noqa: BLE001 - the gates matter more than their pages
        context.log.warning(f"Could not build the Great Expectations Data Docs: {error}")
    yield from results


def _runner(
    context: AssetCheckExecutionContext, warehouse: WarehouseResource, gates: QualityGateConfig
) -> GreatExpectationsRunner:
    return GreatExpectationsRunner(
        warehouse.data_docs_dir(), context.run.run_id, gates.data_docs_keep_days
    )


# --------------------------------------------------------------------------
# Raw gates
# --------------------------------------------------------------------------

RAW_CHECK_SPECS = [
    AssetCheckSpec(
        name=RAW_CHECK,
        asset=key,
        blocking=True,
        description=(
            "Before dbt runs, with the run's dbt vars: the file can be read as dbt reads it, "
            "required values are present, timestamps parse, amounts and scores are valid. "
            "An empty table is a WARNING."
        ),
    )
    for key in RAW_ASSET_KEYS.values()
]
TABLE_BY_RAW_KEY = {key: table for table, key in RAW_ASSET_KEYS.items()}


@multi_asset_check(
    specs=RAW_CHECK_SPECS,
    name="raw_quality_gates",
    can_subset=True,
    description="Great Expectations gates on the raw files; blocking: a failure stops dbt.",
)
def raw_quality_gates(
    context: AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    quality_gates: QualityGateConfig,
) -> Iterator[AssetCheckResult]:
    runner = _runner(context, warehouse, quality_gates)
    selected = sorted(context.selected_asset_check_keys, key=str)
    verdicts = raw_gate_results(
        warehouse.raw_dir(),
        dbt_vars_of_run(context.run.run_config),
        quality_gates,
        runner,
        tables=[TABLE_BY_RAW_KEY[check_key.asset_key] for check_key in selected],
    )
    results = [
        check_result(check_key, verdicts[TABLE_BY_RAW_KEY[check_key.asset_key]], runner)
        for check_key in selected
    ]
    yield from _finish(context, runner, results)


# --------------------------------------------------------------------------
# Headline KPIs against the previous snapshot
# --------------------------------------------------------------------------

KPI_CHECK_SPECS = [
    AssetCheckSpec(
        name=KPI_CHECK,
        asset=MART_ASSET_KEYS[mart],
        blocking=False,
        description=(
            f"The headline number ({kpi}) is within plausible bounds of the previous "
            "published snapshot; a sudden drop is a WARNING."
        ),
    )
    for mart, (kpi, _) in sorted(HEADLINE_KPIS.items())
    if mart in MART_ASSET_KEYS
]
MART_BY_KEY = {key: mart for mart, key in MART_ASSET_KEYS.items()}


@multi_asset_check(
    specs=KPI_CHECK_SPECS,
    name="headline_kpi_checks",
    can_subset=True,
    retry_policy=TRANSIENT_RETRY,
    description="Headline numbers against the previous published snapshot (WARNING only).",
)
def headline_kpi_checks(
    context: AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    quality_gates: QualityGateConfig,
) -> Iterator[AssetCheckResult]:
    work_db = warehouse.work_db_path()
    if not work_db.is_file():
        raise Failure(
            description=f"The work database {work_db} does not exist: run the dbt build first.",
            allow_retries=False,
        )
    runner = _runner(context, warehouse, quality_gates)
    with ExitStack() as stack:
        work = connect_read_only(work_db)
        stack.callback(work.close)
        previous, problem = open_previous_snapshot(warehouse.published_path(), work_db)
        if previous is not None:
            stack.callback(previous.close)
        results = [
            check_result(
                check_key,
                kpi_drift_result(
                    MART_BY_KEY[check_key.asset_key],
                    work,
                    previous,
                    problem,
                    runner,
                    quality_gates,
                ),
                runner,
            )
            for check_key in sorted(context.selected_asset_check_keys, key=str)
        ]
    yield from _finish(context, runner, results)

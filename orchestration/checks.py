"""The Great Expectations gates as Dagster asset checks (wiring only: the gates
themselves are raw_gates.py, freshness.py and kpi_drift.py).

Each judges what dbt cannot see: the files before dbt reads them, and the
change since the last good run (the previous published snapshot).

- `raw_quality_gates` (before dbt, blocking): each raw file can be read as dbt
  will read it, with the run's dbt vars, and holds at least a share of the
  rows the previous snapshot read. A refused file or a truncated table stops
  the run before dbt touches the work database.
- `latest_event_checks` (after dbt, blocking): the latest order, ticket and
  survey response are not older than the previous snapshot's; an older export
  is not published.
- `headline_kpi_checks` (after dbt, never blocking): each headline number
  within plausible bounds of the previous snapshot's.

Every check of a single build (valid rows, keys, rates, the rejected share) is
a dbt test, which dagster-dbt shows as an asset check of its model
(docs/orchestration.md lists which is which).
"""

from collections.abc import Callable, Iterator
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetsDefinition,
    Failure,
    MetadataValue,
    multi_asset_check,
)

from cs_analytics.warehouse.connection import connect_read_only
from orchestration.assets import (
    MART_ASSET_KEYS,
    RAW_ASSET_KEYS,
    TRANSIENT_RETRY,
    dbt_vars_of_run,
)
from orchestration.freshness import LATEST_EVENTS, freshness_result
from orchestration.gx_runner import GateResult, GreatExpectationsRunner
from orchestration.kpi_drift import HEADLINE_KPIS, kpi_drift_result
from orchestration.last_good_run import Comparison, open_last_good_run
from orchestration.raw_gates import raw_gate_results
from orchestration.resources import WarehouseResource
from orchestration.thresholds import QualityGateConfig

RAW_CHECK = "raw_file_expectations"
FRESHNESS_CHECK = "latest_event_vs_previous_snapshot"
KPI_CHECK = "headline_vs_previous_snapshot"
# The checks that are Great Expectations gates (the others are dbt tests).
GX_CHECKS = frozenset({RAW_CHECK, FRESHNESS_CHECK, KPI_CHECK})


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


def _specs(
    name: str, keys: dict[str, AssetKey], blocking: bool, description: str
) -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(name=name, asset=key, blocking=blocking, description=description)
        for key in keys.values()
    ]


# --------------------------------------------------------------------------
# Raw gates, before dbt
# --------------------------------------------------------------------------

RAW_CHECK_SPECS = _specs(
    RAW_CHECK,
    RAW_ASSET_KEYS,
    blocking=True,
    description=(
        "Before dbt runs, with the run's dbt vars: the file can be read as dbt reads it, "
        "and has at least a share of the rows of the previous published snapshot."
    ),
)
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
    with open_last_good_run(warehouse.published_path(), warehouse.work_db_path()) as last_good:
        verdicts = raw_gate_results(
            warehouse.raw_dir(),
            dbt_vars_of_run(context.run.run_config),
            quality_gates,
            runner,
            last_good,
            tables=[TABLE_BY_RAW_KEY[check_key.asset_key] for check_key in selected],
        )
    results = [
        check_result(check_key, verdicts[TABLE_BY_RAW_KEY[check_key.asset_key]], runner)
        for check_key in selected
    ]
    yield from _finish(context, runner, results)


# --------------------------------------------------------------------------
# The build against the previous snapshot, after dbt
# --------------------------------------------------------------------------

Judge = Callable[[str, Comparison], GateResult]
MART_BY_KEY = {key: mart for mart, key in MART_ASSET_KEYS.items()}


def judge_marts(
    context: AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    gates: QualityGateConfig,
    judge: Judge,
) -> Iterator[AssetCheckResult]:
    """`judge` on each selected mart of the work database, against the previous snapshot."""
    work_db = warehouse.work_db_path()
    if not work_db.is_file():
        raise Failure(
            description=f"The work database {work_db} does not exist: run the dbt build first.",
            allow_retries=False,
        )
    runner = _runner(context, warehouse, gates)
    with (
        connect_read_only(work_db) as work,
        open_last_good_run(warehouse.published_path(), work_db) as last_good,
    ):
        comparison = Comparison(work, last_good, runner, gates)
        results = [
            check_result(check_key, judge(MART_BY_KEY[check_key.asset_key], comparison), runner)
            for check_key in sorted(context.selected_asset_check_keys, key=str)
        ]
    yield from _finish(context, runner, results)


def _mart_keys(marts: Any) -> dict[str, AssetKey]:
    return {mart: MART_ASSET_KEYS[mart] for mart in sorted(marts) if mart in MART_ASSET_KEYS}


def mart_checks(
    name: str, check: str, marts: Any, blocking: bool, description: str, judge: Judge
) -> AssetsDefinition:
    """One multi-asset check: `judge` on each mart of `marts` after dbt, against the
    previous published snapshot."""

    @multi_asset_check(
        specs=_specs(check, _mart_keys(marts), blocking, description),
        name=name,
        can_subset=True,
        retry_policy=TRANSIENT_RETRY,
        description=description,
    )
    def checks(
        context: AssetCheckExecutionContext,
        warehouse: WarehouseResource,
        quality_gates: QualityGateConfig,
    ) -> Iterator[AssetCheckResult]:
        yield from judge_marts(context, warehouse, quality_gates, judge)

    return checks


latest_event_checks = mart_checks(
    "latest_event_checks",
    FRESHNESS_CHECK,
    LATEST_EVENTS,
    blocking=True,
    description=(
        "The latest event of the build is not older than the previous published snapshot's "
        "(blocking): an older export is not published."
    ),
    judge=freshness_result,
)
headline_kpi_checks = mart_checks(
    "headline_kpi_checks",
    KPI_CHECK,
    HEADLINE_KPIS,
    blocking=False,
    description=(
        "The headline number is within plausible bounds of the previous published snapshot; "
        "a sudden drop is a WARNING, never blocking."
    ),
    judge=kpi_drift_result,
)
FRESHNESS_CHECK_SPECS = list(latest_event_checks.check_specs)
KPI_CHECK_SPECS = list(headline_kpi_checks.check_specs)

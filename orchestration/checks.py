"""Great Expectations quality gates as Dagster asset checks.

- `raw_quality_gates` (before dbt, blocking): each raw file has its required
  columns, enough rows, required values mostly present, timestamps mostly
  parseable, amounts and scores mostly in range. A failure stops the run before
  dbt touches the warehouse.
- `mart_quality_gates` (after dbt, blocking publication): mart keys unique,
  rates in [0, 1], nps in [-100, 100], no gap in the period spine, row
  reconciliation in audit.source_reconciliation; and (WARNING, never blocking)
  headline numbers within plausible bounds of the previous published snapshot.

Both validate small DuckDB-computed frames, so they stay cheap at any scale,
and render Great Expectations Data Docs into <warehouse>/gx_data_docs/.
"""

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import duckdb
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

from orchestration.assets import AUDIT_KEYS, MART_KEYS, RAW_KEYS, TRANSIENT_RETRY
from orchestration.quality import (
    HEADLINE_KPIS,
    GateOutcome,
    GreatExpectationsRunner,
    RawFileError,
    between,
    columns_expectations,
    connect,
    connect_read_only,
    find_raw_file,
    frame_from_metrics,
    headline_kpi,
    is_lock_error,
    kpi_ratio,
    mart_summary,
    raw_columns,
    raw_expectations,
    raw_sample,
    raw_summary,
    reconciliation_summary,
    table_exists,
)
from orchestration.resources import OPTIONAL_RAW_TABLES, QualityGateConfig, WarehouseResource

RAW_CHECK = "raw_file_expectations"
MART_CHECK = "mart_expectations"
RECONCILIATION_CHECK = "row_reconciliation"
KPI_CHECK = "headline_vs_previous_snapshot"
RECONCILIATION_MODEL = "source_reconciliation"


def gate_result(
    check_key: AssetCheckKey,
    outcomes: Sequence[GateOutcome],
    docs_index: Path,
    *,
    problem: str | None = None,
    extra_metadata: dict[str, Any] | None = None,
) -> AssetCheckResult:
    """One asset check result from one or more GX outcomes (or one problem sentence)."""
    blocking = [text for outcome in outcomes for text in outcome.blocking_failures]
    warnings = [text for outcome in outcomes for text in outcome.warnings]
    if problem is not None:
        blocking.insert(0, problem)
    description = problem or " ".join(outcome.summary() for outcome in outcomes)
    observed: dict[str, Any] = {}
    for outcome in outcomes:
        observed.update(outcome.observed)
    metadata: dict[str, Any] = {
        "data_docs": MetadataValue.path(str(docs_index)),
        "expectations_evaluated": sum(outcome.evaluated for outcome in outcomes),
        "observed": MetadataValue.json(observed),
    }
    if blocking or warnings:
        metadata["failed_expectations"] = MetadataValue.md(
            "\n".join(f"- {text}" for text in [*blocking, *warnings])
        )
    metadata.update(extra_metadata or {})
    return AssetCheckResult(
        asset_key=check_key.asset_key,
        check_name=check_key.name,
        passed=not blocking and not warnings,
        severity=AssetCheckSeverity.WARN if warnings and not blocking else AssetCheckSeverity.ERROR,
        description=description,
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


# --------------------------------------------------------------------------
# Raw gates
# --------------------------------------------------------------------------

RAW_CHECK_SPECS = [
    AssetCheckSpec(
        name=RAW_CHECK,
        asset=key,
        blocking=True,
        description=(
            "Great Expectations on the raw file before dbt runs: required columns, row count, "
            "required values present, timestamps parseable, amounts and scores in range."
        ),
    )
    for _, key in sorted(RAW_KEYS.items())
]
TABLE_BY_RAW_KEY = {key: table for table, key in RAW_KEYS.items()}


def validate_raw_table(
    con: duckdb.DuckDBPyConnection,
    runner: GreatExpectationsRunner,
    raw_dir: Path,
    table: str,
    gates: QualityGateConfig,
) -> tuple[list[GateOutcome], str | None, dict[str, Any]]:
    """The GX outcomes for one raw table, or the sentence saying why it cannot be read."""
    try:
        path = find_raw_file(raw_dir, table, required=table not in OPTIONAL_RAW_TABLES)
    except RawFileError as error:
        return [], str(error), {}
    if path is None:
        return [], None, {"file": f"absent from {raw_dir} (optional)"}
    try:
        columns = raw_columns(con, path)
        sample = raw_sample(con, path, gates.sample_rows)
        summary = raw_summary(con, path, table, columns)
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        return [], f"The raw file {path} cannot be read as CSV/Parquet: {first_line}", {}
    outcomes = [
        runner.validate(f"raw_{table}__columns", sample, columns_expectations(table)),
        runner.validate(
            f"raw_{table}__summary",
            frame_from_metrics(summary),
            raw_expectations(
                table,
                summary,
                min_rows=gates.min_rows.get(table, 0 if table in OPTIONAL_RAW_TABLES else 1),
                max_rows=gates.max_rows.get(table, 500_000_000),
                min_non_null_share=gates.min_non_null_share,
                min_parseable_timestamp_share=gates.min_parseable_timestamp_share,
                min_in_range_share=gates.min_in_range_share,
            ),
        ),
    ]
    return outcomes, None, {"file": MetadataValue.path(str(path))}


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
    raw_dir = warehouse.raw_dir()
    runner = GreatExpectationsRunner(
        warehouse.data_docs_dir(), context.run.run_id, quality_gates.data_docs_keep_days
    )
    results: list[AssetCheckResult] = []
    con = connect()
    try:
        for check_key in sorted(context.selected_asset_check_keys, key=str):
            table = TABLE_BY_RAW_KEY[check_key.asset_key]
            if not raw_dir.is_dir():
                outcomes, problem, extra = (
                    [],
                    f"The raw folder {raw_dir} does not exist: set CS_RAW_DIR to the folder "
                    "of your export.",
                    {},
                )
            else:
                outcomes, problem, extra = validate_raw_table(
                    con, runner, raw_dir, table, quality_gates
                )
            results.append(
                gate_result(
                    check_key, outcomes, runner.index_path, problem=problem, extra_metadata=extra
                )
            )
    finally:
        con.close()
    yield from _finish(context, runner, results)


# --------------------------------------------------------------------------
# Mart gates
# --------------------------------------------------------------------------


def _mart_check_specs() -> list[AssetCheckSpec]:
    specs = [
        AssetCheckSpec(
            name=MART_CHECK,
            asset=key,
            blocking=True,
            description=(
                "Great Expectations on DuckDB summaries of the mart: keys unique and not null, "
                "rates in [0, 1], nps in [-100, 100], no gap in the period spine."
            ),
        )
        for _, key in sorted(MART_KEYS.items())
    ]
    if RECONCILIATION_MODEL in AUDIT_KEYS:
        specs.append(
            AssetCheckSpec(
                name=RECONCILIATION_CHECK,
                asset=AUDIT_KEYS[RECONCILIATION_MODEL],
                blocking=True,
                description="raw_rows = valid_rows + duplicate_rows + rejected_rows per table.",
            )
        )
    specs += [
        AssetCheckSpec(
            name=KPI_CHECK,
            asset=MART_KEYS[mart],
            blocking=False,
            description=(
                f"The headline number ({HEADLINE_KPIS[mart][0]}) is within plausible bounds of "
                "the previous published snapshot; a sudden drop is a WARNING."
            ),
        )
        for mart in sorted(HEADLINE_KPIS)
        if mart in MART_KEYS
    ]
    return specs


MART_CHECK_SPECS = _mart_check_specs()
MART_BY_KEY = {key: mart for mart, key in MART_KEYS.items()}


def _kpi_result(
    check_key: AssetCheckKey,
    mart: str,
    work: duckdb.DuckDBPyConnection,
    previous: duckdb.DuckDBPyConnection | None,
    previous_problem: str | None,
    runner: GreatExpectationsRunner,
    gates: QualityGateConfig,
) -> AssetCheckResult:
    kpi = HEADLINE_KPIS[mart][0]
    current = headline_kpi(work, mart)
    before = headline_kpi(previous, mart) if previous is not None else None
    ratio = kpi_ratio(current, before)
    extra = {"current": current, "previous": before, "ratio_to_previous": ratio}
    if previous is None or before is None:
        reason = previous_problem or "there is no previous published snapshot to compare with"
        return AssetCheckResult(
            asset_key=check_key.asset_key,
            check_name=check_key.name,
            passed=previous_problem is None,
            severity=AssetCheckSeverity.WARN,
            description=f"{kpi}: not compared, {reason}.",
            metadata=extra,
        )
    outcome = runner.validate(
        f"kpi_{kpi}__vs_previous_snapshot",
        frame_from_metrics({f"{kpi}__ratio_to_previous": ratio}),
        [
            between(
                f"{kpi}__ratio_to_previous",
                gates.min_ratio_to_previous,
                gates.max_ratio_to_previous,
                f"{kpi} is {gates.min_ratio_to_previous:g}x to {gates.max_ratio_to_previous:g}x "
                f"the previous snapshot's ({before:g})",
                warning=True,
            )
        ],
    )
    return gate_result(check_key, [outcome], runner.index_path, extra_metadata=extra)


def _open_previous_snapshot(
    path: Path, work_db: Path
) -> tuple[duckdb.DuckDBPyConnection | None, str | None]:
    if not path.is_file() or path.resolve() == work_db.resolve():
        return None, None
    try:
        return connect_read_only(path), None
    except duckdb.Error as error:
        if is_lock_error(error):
            return None, (
                f"the published snapshot {path} is open read-write in another process "
                "(BI tools must open it read-only)"
            )
        return None, f"the published snapshot {path} cannot be read ({error})"


@multi_asset_check(
    specs=MART_CHECK_SPECS,
    name="mart_quality_gates",
    can_subset=True,
    retry_policy=TRANSIENT_RETRY,
    description="Great Expectations gates on the marts; blocking: a failure stops publication.",
)
def mart_quality_gates(
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
    runner = GreatExpectationsRunner(
        warehouse.data_docs_dir(), context.run.run_id, quality_gates.data_docs_keep_days
    )
    results: list[AssetCheckResult] = []
    with ExitStack() as stack:
        work = connect_read_only(work_db)
        stack.callback(work.close)
        previous, previous_problem = _open_previous_snapshot(warehouse.published_path(), work_db)
        if previous is not None:
            stack.callback(previous.close)
        for check_key in sorted(context.selected_asset_check_keys, key=str):
            results.append(
                _mart_result(check_key, work, previous, previous_problem, runner, quality_gates)
            )
    yield from _finish(context, runner, results)


def _mart_result(
    check_key: AssetCheckKey,
    work: duckdb.DuckDBPyConnection,
    previous: duckdb.DuckDBPyConnection | None,
    previous_problem: str | None,
    runner: GreatExpectationsRunner,
    gates: QualityGateConfig,
) -> AssetCheckResult:
    if check_key.name == RECONCILIATION_CHECK:
        if not table_exists(work, "audit", RECONCILIATION_MODEL):
            return gate_result(
                check_key,
                [],
                runner.index_path,
                problem="audit.source_reconciliation is missing from the work database: "
                "run the dbt build first.",
            )
        return gate_result(
            check_key, [validate_reconciliation(work, runner)], runner.index_path
        )
    mart = MART_BY_KEY[check_key.asset_key]
    if check_key.name == KPI_CHECK:
        return _kpi_result(check_key, mart, work, previous, previous_problem, runner, gates)
    if not table_exists(work, "marts", mart):
        return gate_result(
            check_key,
            [],
            runner.index_path,
            problem=f"marts.{mart} is missing from the work database: run the dbt build first.",
        )
    return gate_result(check_key, [validate_mart(work, runner, mart)], runner.index_path)


def validate_mart(
    work: duckdb.DuckDBPyConnection, runner: GreatExpectationsRunner, mart: str
) -> GateOutcome:
    """The GX outcome of one mart: keys, rates, nps, period spine."""
    summary = mart_summary(work, mart)
    return runner.validate(
        f"mart_{mart}", frame_from_metrics(summary.metrics), summary.expectations
    )


def validate_reconciliation(
    work: duckdb.DuckDBPyConnection, runner: GreatExpectationsRunner
) -> GateOutcome:
    """The GX outcome of audit.source_reconciliation: the rows add up."""
    summary = reconciliation_summary(work)
    return runner.validate(
        "audit_source_reconciliation", frame_from_metrics(summary.metrics), summary.expectations
    )

"""The raw gate: is each raw file fit to build from, before dbt touches anything?

Two questions per table, in this order:

1. Can dbt read the file? The folder is inspected exactly as dbt's
   on-run-start check will (cs_analytics.raw.files), with the section 6 vars
   of the run checked by dbt's own macro (cs_analytics.raw.export_settings):
   a refused file fails its table's check with the sentence dbt would print,
   and a wrong var fails every table's check with dbt's sentence.
2. Has the table changed too much since the last good run? Its rows, counted
   exactly as staging reads them (cs_analytics.raw.reader), against the raw
   rows the published snapshot's audit.source_reconciliation counted. Great
   Expectations judges the ratio: under min_rows_ratio_to_previous blocks the
   run (a truncated export would replace good marts with thinner ones), over
   max_rows_ratio_to_previous is a WARNING. The first run has nothing to
   compare with and passes with a note.

Whether each row is valid is dbt's alone: staging quarantines the bad rows and
the rejected-share test fails a build that has too many.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from cs_analytics.raw.export_settings import ExportSettings, load_export_settings
from cs_analytics.raw.files import RawFile, RawFileError, inspect_folder, inspect_table
from cs_analytics.raw.reader import count_rows
from cs_analytics.raw.tables import raw_tables
from orchestration.gx_runner import GateResult, GreatExpectationsRunner, between, frame_from_metrics
from orchestration.last_good_run import LastGoodRun, not_compared, ratio
from orchestration.thresholds import QualityGateConfig

PREVIOUS_RAW_ROWS = "select raw_rows from audit.source_reconciliation where source_table = ?"


def raw_gate_results(
    raw_dir: Path,
    dbt_vars: str | Mapping[str, Any] | None,
    gates: QualityGateConfig,
    runner: GreatExpectationsRunner,
    last_good: LastGoodRun,
    tables: Collection[str] | None = None,
) -> dict[str, GateResult]:
    """Table -> the gate's verdict, for the dbt run with these `--vars`; for
    `tables` only when given (the folder is checked whole all the same)."""
    wanted = [name for name in raw_tables() if tables is None or name in tables]
    try:
        settings = load_export_settings(dbt_vars)
    except RawFileError as error:
        return {name: GateResult.refused(str(error)) for name in wanted}
    inspected = inspect_raw_folder(raw_dir, settings)
    results: dict[str, GateResult] = {}
    for name in wanted:
        raw_file = inspected[name]
        if isinstance(raw_file, RawFileError):
            results[name] = GateResult.refused(str(raw_file))
        elif not raw_file.is_present:
            results[name] = absent_table_result(raw_dir, raw_file)
        else:
            results[name] = row_volume_result(raw_file, last_good, runner, gates)
    return results


def inspect_raw_folder(
    raw_dir: Path, settings: ExportSettings
) -> dict[str, RawFile | RawFileError]:
    """Every table's file as dbt's on-run-start check finds it. When that check
    refuses the folder, each table is inspected on its own, so that a refusal
    lands on the table it is about and the other tables are still judged."""
    try:
        return dict(inspect_folder(raw_dir, settings.absent_tables, settings.raw_column_names))
    except RawFileError as error:
        if not raw_dir.is_dir():
            return {name: error for name in raw_tables()}
    inspected: dict[str, RawFile | RawFileError] = {}
    for name, table in raw_tables().items():
        try:
            inspected[name] = inspect_table(
                raw_dir, table, settings.absent_tables, settings.raw_column_names
            )
        except RawFileError as error:
            inspected[name] = error
    return inspected


def absent_table_result(raw_dir: Path, raw_file: RawFile) -> GateResult:
    why = (
        "the var absent_tables declares it absent"
        if raw_file.declared_absent
        else f"its file may be absent and {raw_dir} has none"
    )
    return GateResult(
        f"{raw_file.table}: not checked, {why}; dbt reads it as an empty table.",
        metadata={"file": "absent"},
    )


def row_volume_result(
    raw_file: RawFile,
    last_good: LastGoodRun,
    runner: GreatExpectationsRunner,
    gates: QualityGateConfig,
) -> GateResult:
    """The table's rows within [min, max] x the last good run's raw rows."""
    table = raw_file.table
    rows = count_rows(raw_file)
    previous = last_good.scalar("audit", "source_reconciliation", PREVIOUS_RAW_ROWS, [table])
    observed = {
        "row_count": rows,
        "previous_row_count": previous,
        "rows_ratio_to_previous": ratio(rows, previous),
    }
    notes = [f"{table}: {rows:,} rows in {raw_file.path}."]
    if rows == 0:
        notes.append(f"The file has no rows: every mart built from {table} will be empty.")
    if previous is None:
        return not_compared("Rows", last_good, tuple(notes), **observed, file=raw_file.path)
    metric = "rows_ratio_to_previous"
    low, high = gates.min_rows_ratio_to_previous, gates.max_rows_ratio_to_previous
    outcome = runner.validate(
        f"raw_{table}__rows_vs_previous_snapshot",
        frame_from_metrics({metric: observed[metric]}),
        [
            between(
                metric,
                low,
                None,
                f"{table} has at least {low:g}x the rows of the previous snapshot ({previous:,})",
            ),
            between(
                metric,
                None,
                high,
                f"{table} has at most {high:g}x the rows of the previous snapshot ({previous:,})",
                warning=True,
            ),
        ],
    )
    return GateResult.from_outcome(
        outcome, notes=notes, **observed, file=raw_file.path,
        columns_missing=list(raw_file.missing_columns),
    )

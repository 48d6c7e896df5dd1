"""The raw gates: is each raw file fit to build from, before dbt touches anything?

The folder is read exactly as dbt reads it: `cs_analytics.raw_files` finds and
checks every file (the same refusals, in the same sentences, as dbt's
on-run-start hook) and `reader_select` reads a table as text, with the
headers of the var `raw_column_names` mapped to the contract's columns. The
section 6 vars of the run come from `cs_analytics.export_settings`. DuckDB then
summarises each present table in one row (an exact row count; the shares of
required values present, of timestamps that parse, of valid amounts and of
scores in range, over a bounded sample), and Great Expectations judges it.

A gate looks for an export broken as a whole (a wrong date format, a missing
column); isolated bad rows are dbt's to quarantine.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import duckdb

from cs_analytics import raw_files
from cs_analytics.export_settings import (
    INTEGER_PATTERN,
    ISO_TIMESTAMP_PATTERN,
    ExportSettings,
    TimestampFormat,
    load_export_settings,
)
from cs_analytics.raw_files import RawFile, RawFileError, quote_identifier, quote_literal
from cs_analytics.raw_tables import RawTable, raw_tables
from orchestration.database import connect
from orchestration.gx_runner import (
    GateResult,
    GreatExpectationsRunner,
    between,
    frame_from_metrics,
    to_builtin,
)
from orchestration.thresholds import QualityGateConfig

# Shares are estimated on a reservoir sample this large: at 10 million orders
# a full regex scan cost 4.7 s, the sample 1.9 s (DECISIONLOG.md).
SUMMARY_SAMPLE_ROWS = 200_000
SCORE_RANGES = {"nps": (0, 10), "csat": (1, 5)}


def raw_gate_results(
    raw_dir: Path,
    dbt_vars: str | Mapping[str, Any] | None,
    gates: QualityGateConfig,
    runner: GreatExpectationsRunner,
    tables: Collection[str] | None = None,
) -> dict[str, GateResult]:
    """Table -> the gate's verdict, for the dbt run with these `--vars`; for
    `tables` only when given (the folder is checked whole all the same)."""
    wanted = set(raw_tables() if tables is None else tables)
    try:
        settings = load_export_settings(dbt_vars)
    except RawFileError as error:
        return {name: GateResult.refused(str(error)) for name in raw_tables() if name in wanted}
    results: dict[str, GateResult] = {}
    con = connect()
    try:
        for name, inspected in inspect_raw_folder(raw_dir, settings).items():
            if name not in wanted:
                continue
            if isinstance(inspected, RawFileError):
                results[name] = GateResult.refused(str(inspected))
            elif not inspected.is_present:
                results[name] = absent_table_result(raw_dir, inspected)
            else:
                results[name] = present_table_result(
                    con, runner, raw_tables()[name], inspected, settings, gates
                )
    finally:
        con.close()
    return results


def inspect_raw_folder(
    raw_dir: Path, settings: ExportSettings
) -> dict[str, RawFile | RawFileError]:
    """Every table's file as dbt's on-run-start check finds it. When that check
    refuses the folder, each table is inspected on its own, so that a refusal
    lands on the table it is about and the other tables are still judged."""
    try:
        return dict(
            raw_files.inspect_folder(raw_dir, settings.absent_tables, settings.raw_column_names)
        )
    except RawFileError as error:
        if not raw_dir.is_dir():
            return {name: error for name in raw_tables()}
    inspected: dict[str, RawFile | RawFileError] = {}
    for name, table in raw_tables().items():
        try:
            inspected[name] = raw_files.inspect_table(
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


def present_table_result(
    con: duckdb.DuckDBPyConnection,
    runner: GreatExpectationsRunner,
    table: RawTable,
    raw_file: RawFile,
    settings: ExportSettings,
    gates: QualityGateConfig,
) -> GateResult:
    summary = raw_summary(con, table, raw_file, settings)
    outcome = runner.validate(
        f"raw_{table.name}__summary",
        frame_from_metrics(summary),
        raw_expectations(table.name, summary, gates),
    )
    notes = []
    missing = [name for name in table.required_columns if name in raw_file.missing_columns]
    if missing:
        notes.append(f"The file {raw_file.path} has no column for {', '.join(missing)}.")
    warnings = []
    if summary["row_count"] == 0:
        warnings.append(
            f"The raw file {raw_file.path} has no rows (a header-only file): every mart built "
            f"from {table.name} will be empty"
        )
        notes.append(warnings[0] + ".")
    return GateResult.from_outcome(
        outcome,
        notes=notes,
        warnings=warnings,
        file=raw_file.path,
        columns_missing=list(raw_file.missing_columns),
    )


# --------------------------------------------------------------------------
# DuckDB summaries
# --------------------------------------------------------------------------


def clean(column: str) -> str:
    """The value as staging reads it: trimmed, empty is null."""
    return f"nullif(trim({quote_identifier(column)}, {quote_literal(raw_files.WHITESPACE)}), '')"


def share(condition: str, value: str, metric: str) -> str:
    """The share of present values meeting `condition` (null when none is present)."""
    return (
        f"avg(case when {value} is null then null when {condition} then 1.0 else 0.0 end) "
        f"as {quote_identifier(metric)}"
    )


def iso_timestamp_condition(value: str) -> str:
    return (
        f"(regexp_full_match({value}, {quote_literal(ISO_TIMESTAMP_PATTERN)}) "
        f"and try_cast(substr({value}, 1, 10) as date) is not null)"
    )


def formatted_timestamp_condition(value: str, timestamp_format: TimestampFormat) -> str:
    """The value matches the format and its fields give a real date and hour."""
    anchored = quote_literal(f"^{timestamp_format.pattern}$")

    def group(name: str) -> str:
        return f"regexp_extract({value}, {anchored}, {timestamp_format.fields.index(name) + 1})"

    condition = (
        f"regexp_full_match({value}, {quote_literal(timestamp_format.pattern)}) and "
        f"try_cast({group('Y')} || '-' || {group('m')} || '-' || {group('d')} as date) "
        "is not null"
    )
    if "H" in timestamp_format.fields:
        condition += f" and cast({group('H')} as integer) <= 23"
    return f"({condition})"


def amount_condition(value: str, settings: ExportSettings) -> str:
    """A valid amount (section 5, or section 6 with the separators), not negative."""
    number = value
    if settings.thousands_separator is not None:
        number = f"replace({number}, {quote_literal(settings.thousands_separator)}, '')"
    if settings.decimal_separator != ".":
        number = f"replace({number}, {quote_literal(settings.decimal_separator)}, '.')"
    return (
        f"(regexp_full_match({value}, {quote_literal(settings.amount_pattern)}) "
        f"and try_cast({number} as double) >= 0)"
    )


def score_share(score: str, survey_type: str) -> str:
    """The share of NPS and CSAT scores that are integers in their range."""
    kind = f"lower({survey_type})"
    integer = f"try_cast({score} as bigint)"
    in_range = " ".join(
        f"when {kind} = {quote_literal(name)} and {integer} between {low} and {high} then 1.0"
        for name, (low, high) in SCORE_RANGES.items()
    )
    known = ", ".join(quote_literal(name) for name in SCORE_RANGES)
    return (
        f"avg(case when {score} is null or coalesce({kind}, '') not in ({known}) then null "
        f"when not regexp_full_match({score}, {quote_literal(INTEGER_PATTERN)}) then 0.0 "
        f"{in_range} else 0.0 end) as score__in_range_share"
    )


def raw_summary(
    con: duckdb.DuckDBPyConnection, table: RawTable, raw_file: RawFile, settings: ExportSettings
) -> dict[str, Any]:
    """The exact row count and, over a sample of SUMMARY_SAMPLE_ROWS rows, the share
    of each required column present, of each timestamp column that parses (ISO
    8601 or a format of the var timestamp_formats), of valid amounts and of
    scores in range. Columns are the contract's, as reader_select exposes them;
    a column the file lacks is null in every row."""
    metrics = [
        f"avg(case when {clean(name)} is null then 0.0 else 1.0 end) "
        f"as {quote_identifier(name + '__non_null_share')}"
        for name in table.required_columns
    ]
    present = {name for name in table.column_names if raw_file.columns.get(name) is not None}
    for name in table.of_kind("timestamp"):
        if name in present:
            value = clean(name)
            parses = " or ".join(
                [iso_timestamp_condition(value)]
                + [formatted_timestamp_condition(value, f) for f in settings.timestamp_formats]
            )
            metrics.append(share(parses, value, f"{name}__parseable_share"))
    for name in table.of_kind("amount"):
        if name in present:
            value = clean(name)
            metrics.append(share(amount_condition(value, settings), value, f"{name}__valid_share"))
    if {"score", "survey_type"} <= present and table.name == "survey_responses":
        metrics.append(score_share(clean("score"), clean("survey_type")))
    columns = sorted(set(table.required_columns) | present, key=table.column_names.index)
    reader = raw_files.reader_select(raw_file, columns)
    row = con.execute(f"select count(*) from {reader}").fetchone()
    cursor = con.execute(
        f"select {', '.join(metrics)} from {reader} as raw_table "
        f"using sample reservoir({SUMMARY_SAMPLE_ROWS} rows) repeatable (42)"
    )
    values = cursor.fetchone() or ()
    names = [item[0] for item in cursor.description or []]
    summary = {name: to_builtin(value) for name, value in zip(names, values, strict=True)}
    summary["row_count"] = to_builtin(row[0]) if row else 0
    return summary


# --------------------------------------------------------------------------
# Expectations
# --------------------------------------------------------------------------


def raw_expectations(table: str, summary: Mapping[str, Any], gates: QualityGateConfig) -> list[Any]:
    """Row count within bounds (too few rows is a warning only), then one
    expectation per share metric of the summary."""
    min_rows = gates.min_rows.get(table, 1)
    max_rows = gates.max_rows.get(table, 500_000_000)
    expectations = [
        between("row_count", min_rows, None, f"{table} has at least {min_rows} rows", warning=True),
        between("row_count", None, max_rows, f"{table} has at most {max_rows} rows"),
    ]
    if not summary.get("row_count"):
        return expectations
    for metric in summary:
        column, _, kind = metric.partition("__")
        if kind == "non_null_share":
            least, meaning = gates.min_non_null_share, "are present"
        elif kind == "parseable_share":
            least, meaning = (
                gates.min_parseable_timestamp_share,
                "are timestamps (ISO 8601 or a format of the var timestamp_formats)",
            )
        elif kind == "valid_share":
            least, meaning = gates.min_in_range_share, "are valid amounts >= 0"
        elif kind == "in_range_share":
            least, meaning = gates.min_in_range_share, "are scores in range (NPS 0-10, CSAT 1-5)"
        else:
            continue
        expectations.append(
            between(metric, least, None, f"at least {least:.0%} of {table}.{column} {meaning}")
        )
    return expectations

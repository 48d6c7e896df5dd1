"""Check a new export before its first real build (`make check-raw`).

    python -m cs_analytics.raw.preflight [--raw-dir DIR] [--vars YAML | --vars-file FILE]

Reads the raw folder ($CS_RAW_DIR by default) with the same checks and
reader as `dbt build`, builds only staging, the audit and the as_of model into
a scratch DuckDB file (the warehouse is never touched), and prints per table:
rows, the contract columns found (and under which header) and those missing,
the rejected rows by reason with an example each, and the as_of the data
implies. Exit code 0 when the export would build, 1 when a file is refused or
a table is above max_rejected_share.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb

from cs_analytics.raw.export_settings import load_export_settings, run_vars
from cs_analytics.raw.files import RawFile, RawFileError, inspect_folder
from cs_analytics.raw.tables import raw_tables
from cs_analytics.settings import (
    PROJECT_ROOT,
    RAW_DIR,
    DbtNotFoundError,
    dbt_executable,
    project_path,
)


def build_scratch(raw_dir: Path, variables: str | None, work: Path) -> tuple[Path, str]:
    """Staging, audit and int_reporting_window into a scratch warehouse."""
    warehouse = work / "preflight.duckdb"
    profiles = work / "profiles"
    profiles.mkdir()
    shutil.copy(PROJECT_ROOT / "profiles.example.yml", profiles / "profiles.yml")
    env = {
        **os.environ,
        "CS_RAW_DIR": str(raw_dir),
        "CS_WAREHOUSE_PATH": str(warehouse),
        "DBT_PROFILES_DIR": str(profiles),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        dbt_executable(),
        "build",
        "--select",
        "+path:models/audit",
        "+int_reporting_window",
        "--resource-type",
        "seed",
        "--resource-type",
        "model",
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    if variables:
        command += ["--vars", variables]
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    return warehouse, result.stdout + result.stderr


def describe_columns(raw_file: RawFile) -> tuple[str, str]:
    found = []
    for column, index in raw_file.columns.items():
        if index is None:
            continue
        header = raw_file.header[index]
        found.append(column if header == column else f"{column} <- '{header}'")
    return ", ".join(found) or "-", ", ".join(raw_file.missing_columns) or "-"


def report(
    files: dict[str, RawFile], warehouse: Path, max_share: float
) -> tuple[list[str], bool]:
    lines: list[str] = []
    ok = True
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = {
            row[0]: row[1:]
            for row in con.execute(
                "select source_table, raw_rows, valid_rows, duplicate_rows, rejected_rows, "
                "rejected_share from audit.source_reconciliation"
            ).fetchall()
        }
        reasons = con.execute(
            "select source_table, reason, count(*), "
            "min_by(raw_record, source_row_number) from audit.rejected_rows "
            "group by all order by source_table, count(*) desc, reason"
        ).fetchall()
        as_of = con.execute("select as_of_at from intermediate.int_reporting_window").fetchone()
    for name, raw_file in files.items():
        raw, valid, duplicate, rejected, share = counts.get(name, (0, 0, 0, 0, None))
        if not raw_file.is_present:
            why = "declared absent" if raw_file.declared_absent else "no file (optional)"
            lines.append(f"{name}: {why}; read as empty.")
            continue
        lines.append(f"{name}: {raw_file.path}")
        lines.append(
            f"  rows {raw:,}: valid {valid:,}, duplicate {duplicate:,}, rejected {rejected:,}"
            + (f" ({share:.1%})" if share is not None else "")
        )
        found, missing = describe_columns(raw_file)
        lines.append(f"  columns found: {found}")
        lines.append(f"  columns missing (null in every row): {missing}")
        for table, reason, count, example in reasons:
            if table == name:
                shown = example if len(example) <= 160 else example[:157] + "..."
                lines.append(f"  {reason:<26} {count:>8,}  e.g. {shown}")
        if share is not None and share > max_share:
            ok = False
            lines.append(
                f"  TOO MANY REJECTED ROWS: {share:.1%} > max_rejected_share {max_share:g}; "
                "dbt build would keep the previous marts. Fix the export, or raise the var."
            )
    if as_of and as_of[0] is not None:
        lines.append(f"as_of implied by the data: {as_of[0]:%Y-%m-%d %H:%M} (override: as_of_date)")
    else:
        lines.append("as_of: the data holds no valid event; the marts would be empty.")
    return lines, ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=Path(RAW_DIR.value()))
    parser.add_argument("--vars", help="dbt vars as YAML, as for `dbt build --vars`")
    parser.add_argument("--vars-file", type=Path, help="a YAML file of dbt vars")
    args = parser.parse_args(argv)
    if args.vars_file is not None:
        args.vars = args.vars_file.read_text(encoding="utf-8")
    raw_dir = project_path(args.raw_dir)
    try:
        settings = load_export_settings(args.vars)
        files = inspect_folder(raw_dir, settings.absent_tables, settings.raw_column_names)
    except RawFileError as error:
        print(f"REFUSED: {error}")
        return 1
    with tempfile.TemporaryDirectory(prefix="cs-preflight-") as scratch:
        try:
            warehouse, output = build_scratch(raw_dir, args.vars, Path(scratch))
        except DbtNotFoundError as error:
            print(error)
            return 1
        if not warehouse.exists() or "Completed successfully" not in output:
            errors = [line for line in output.splitlines() if "rror" in line or "  " in line]
            print("The staging build failed:\n" + "\n".join(errors[-30:]))
            return 1
        lines, ok = report(
            {name: files[name] for name in raw_tables()},
            warehouse,
            float(run_vars(args.vars)["max_rejected_share"]),
        )
    print(f"Preflight of {raw_dir} (nothing written to the warehouse):")
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

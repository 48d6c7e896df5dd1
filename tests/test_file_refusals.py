"""Files that cannot be read as the contract's CSV or Parquet (contract
section 5) stop the build before any model runs, with one sentence naming
the file, the line where known, and what to do; the existing warehouse keeps
its marts exactly. A header-only file is valid and has zero rows."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from conftest import WORKED_EXAMPLE_RAW, Warehouse, run_dbt, writable_copy

from cs_analytics.raw.files import RawFileError, inspect_folder


def copy_example(target: Path) -> Path:
    shutil.copytree(WORKED_EXAMPLE_RAW, target)
    return target


def utf16(raw: Path) -> None:
    text = (raw / "customers.csv").read_text(encoding="utf-8")
    (raw / "customers.csv").write_bytes(text.encode("utf-16"))


def windows_1258(raw: Path) -> None:
    """As old Excel saves Vietnamese text: 'à' and 'ă' are single bytes, and
    the first of them is on line 2."""
    text = (raw / "customers.csv").read_text(encoding="utf-8")
    (raw / "customers.csv").write_bytes(text.encode("cp1258", errors="replace"))


def unterminated_quote(raw: Path) -> None:
    lines = (raw / "survey_responses.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + ',"never closed'
    (raw / "survey_responses.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def semicolons(raw: Path) -> None:
    text = (raw / "orders.csv").read_text(encoding="utf-8")
    (raw / "orders.csv").write_text(text.replace(",", ";"), encoding="utf-8")


def tabs(raw: Path) -> None:
    text = (raw / "tickets.csv").read_text(encoding="utf-8")
    (raw / "tickets.csv").write_text(text.replace(",", "\t"), encoding="utf-8")


def no_header(raw: Path) -> None:
    lines = (raw / "orders.csv").read_text(encoding="utf-8").splitlines()
    (raw / "orders.csv").write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")


def zero_bytes(raw: Path) -> None:
    (raw / "tickets.csv").write_bytes(b"")


def corrupt_parquet(raw: Path) -> None:
    (raw / "orders.csv").unlink()
    (raw / "orders.parquet").write_bytes(b"PAR1 this is not a parquet file")


def mapped_header_missing(raw: Path) -> None:
    """Used with raw_column_names {orders: {order_id: 'Mã đơn hàng'}}."""


# case -> (how to break the folder, vars, the sentence's expected parts)
CASES: dict[str, tuple[Callable[[Path], None], dict[str, object], list[str]]] = {
    "utf16": (utf16, {}, ["customers.csv' is UTF-16", "save it as CSV UTF-8 with commas"]),
    "windows_1258": (
        windows_1258,
        {},
        ["customers.csv' is not UTF-8 (line 2 holds bytes that are not)", "CSV UTF-8"],
    ),
    "unterminated_quote": (
        unterminated_quote,
        {},
        ["survey_responses.csv' has a quote opened on line 4 that is never closed"],
    ),
    "semicolons": (semicolons, {}, ["orders.csv' is separated by semicolons, not commas"]),
    "tabs": (tabs, {}, ["tickets.csv' is separated by tabs, not commas"]),
    "no_header": (
        no_header,
        {},
        ["orders.csv' has no order_id column in its first row (O1,",
         "its header row is missing or it is the wrong file"],
    ),
    "zero_bytes": (zero_bytes, {}, ["tickets.csv' is empty (0 bytes)", "header row"]),
    "corrupt_parquet": (
        corrupt_parquet, {}, ["orders.parquet' cannot be read as Parquet", "export the table"]
    ),
    "mapped_header_missing": (
        mapped_header_missing,
        {"raw_column_names": {"orders": {"order_id": "Mã đơn hàng"}}},
        ["orders.csv' has no column 'Mã đơn hàng', which the var raw_column_names maps to "
         "orders.order_id; its headers are: order_id, customer_id, status, amount, ordered_at."],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_reader_refuses_the_file_in_one_sentence(tmp_path: Path, case: str) -> None:
    breaker, variables, parts = CASES[case]
    raw = copy_example(tmp_path / "raw")
    breaker(raw)
    with pytest.raises(RawFileError) as refused:
        inspect_folder(
            raw, variables.get("absent_tables"), variables.get("raw_column_names")
        )
    message = str(refused.value)
    for part in parts:
        assert part in message
    assert message.endswith(".") and "\n" not in message, message


def test_a_header_only_file_is_an_empty_table(tmp_path: Path) -> None:
    raw = copy_example(tmp_path / "raw")
    header = (raw / "tickets.csv").read_text(encoding="utf-8").splitlines()[0]
    (raw / "tickets.csv").write_text(header, encoding="utf-8")
    files = inspect_folder(raw)
    assert files["tickets"].is_present
    assert files["tickets"].columns["ticket_id"] == 0


def mart_contents(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema in ('marts', 'audit') order by 1"
            ).fetchall()
        ]
        return {
            table: con.execute(
                f"select * from (select * from marts.{table}) order by all"
                if table not in ("rejected_rows", "source_reconciliation")
                else f"select * from audit.{table} order by all"
            ).fetchall()
            for table in tables
        }


# Through dbt, one case of each kind: an encoding, the CSV structure, a
# Parquet file and a header mapped by a var. Every case reaches dbt the same
# way (the plugin's cs_raw_folder_problem returns the reader's sentence and
# on-run-start raises it), and each case's sentence is tested above.
THROUGH_DBT = ["utf16", "unterminated_quote", "corrupt_parquet", "mapped_header_missing"]


def test_a_refused_file_stops_dbt_before_anything_and_keeps_the_warehouse(
    tmp_path: Path, worked_example: Warehouse
) -> None:
    """One good build (a copy of the session's worked example), then broken
    folders into the same warehouse: each stops at on-run-start with its
    sentence, no traceback and no DuckDB dump, nothing is created, and the
    marts and audit stay exactly as they were."""
    work = tmp_path / "wh"
    warehouse = writable_copy(worked_example, work)
    before = mart_contents(warehouse)
    for case in THROUGH_DBT:
        breaker, variables, parts = CASES[case]
        raw = copy_example(tmp_path / f"raw-{case}")
        breaker(raw)
        _, result = run_dbt(["build"], work, raw, {"churn_window_days": 30, **variables})
        output = result.stdout + result.stderr
        assert result.returncode != 0, case
        for part in parts:
            assert part in output, (case, output[-2000:])
        assert "Traceback" not in output, case
        assert "Invalid Input Error" not in output and "CSV Error" not in output, case
        assert "OK created" not in output and "START sql" not in output, case
        assert mart_contents(warehouse) == before, case


# Through dbt, one wrong setting of each path to the user: a check of the macro
# export_settings() (on-run-start) and a refusal of the reader (the plugin). Every
# sentence of the macro is tested on its own, rendered from the same file, in
# tests/test_export_settings.py; each case here is a parse of its own vars.
SETTING_ERRORS: dict[str, tuple[dict[str, object], str]] = {
    "equal_separators": (
        {"amount_thousands_separator": ".", "amount_decimal_separator": "."},
        "The vars amount_thousands_separator and amount_decimal_separator are both '.'",
    ),
    "file_for_an_absent_table": (
        {"absent_tables": ["agents"]},
        "holds agents.csv, but the var absent_tables declares agents absent",
    ),
}


def test_a_wrong_setting_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    for case, (variables, sentence) in SETTING_ERRORS.items():
        _, result = run_dbt(["build"], tmp_path / "wh", WORKED_EXAMPLE_RAW, variables)
        output = result.stdout + result.stderr
        assert result.returncode != 0, case
        assert sentence in output, (case, output[-2000:])
        assert "Traceback" not in output, case
        assert "OK created" not in output, case

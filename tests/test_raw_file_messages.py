"""One sentence per refusal, in both languages: the Python reader of DuckDB
(cs_analytics/raw_files.py) and the Jinja templates the Spark macros raise
(macros/raw_file_messages.sql) say exactly the same thing for the same case.

Python's sentence comes from refusing a real broken folder; the Jinja one is
rendered with plain jinja2 from the values the Spark macros pass (the file's
path, the line, the headers), never from Python's text."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest
from conftest import PROJECT_ROOT, WORKED_EXAMPLE_RAW
from test_file_refusals import CASES

from cs_analytics import raw_files

MESSAGES = PROJECT_ROOT / "macros" / "raw_file_messages.sql"


def jinja_message(case: str, values: dict[str, Any]) -> str:
    module = jinja2.Environment().from_string(MESSAGES.read_text(encoding="utf-8")).module
    return str(module.raw_file_message(case, values))


def parquet_reason() -> str:
    module = jinja2.Environment().from_string(MESSAGES.read_text(encoding="utf-8")).module
    return str(module.parquet_marker_reason()).strip()


def python_message(raw: Path, variables: dict[str, Any] | None = None) -> str:
    variables = variables or {}
    with pytest.raises(raw_files.RawFileError) as refused:
        raw_files.inspect_folder(
            raw, variables.get("absent_tables"), variables.get("raw_column_names")
        )
    return str(refused.value)


def jinja_case(case: str, raw: Path) -> tuple[str, dict[str, Any]]:
    """The template and values spark_raw_file passes for a case of
    tests/test_file_refusals.py."""
    path = lambda table, extension="csv": str(raw / f"{table}.{extension}")  # noqa: E731
    if case == "utf16":
        return "utf16", {"path": path("customers")}
    if case == "windows_1258":
        return "not_utf8", {"path": path("customers"), "line": 2}
    if case == "unterminated_quote":
        return "unterminated_quote", {"path": path("survey_responses"), "line": 4}
    if case == "semicolons":
        return "other_delimiter", {"path": path("orders"), "name": "semicolons"}
    if case == "tabs":
        return "other_delimiter", {"path": path("tickets"), "name": "tabs"}
    if case == "no_header":
        first = (WORKED_EXAMPLE_RAW / "orders.csv").read_text(encoding="utf-8").splitlines()[1]
        return "key_missing", {
            "path": path("orders"), "key": "order_id", "shown": ", ".join(first.split(",")),
            "table": "orders",
        }
    if case == "zero_bytes":
        return "empty", {"path": path("tickets")}
    if case == "corrupt_parquet":
        return "not_parquet", {"path": path("orders", "parquet"), "reason": parquet_reason()}
    if case == "mapped_header_missing":
        header = (WORKED_EXAMPLE_RAW / "orders.csv").read_text(encoding="utf-8").splitlines()[0]
        return "mapped_header_missing", {
            "path": path("orders"), "wanted": "Mã đơn hàng", "table": "orders",
            "column": "order_id", "headers": ", ".join(header.split(",")),
        }
    raise AssertionError(case)


@pytest.mark.parametrize("case", list(CASES))
def test_a_refused_file_has_one_sentence_in_both_languages(tmp_path: Path, case: str) -> None:
    breaker, variables, _ = CASES[case]
    raw = tmp_path / "raw"
    shutil.copytree(WORKED_EXAMPLE_RAW, raw)
    breaker(raw)
    template, values = jinja_case(case, raw)
    assert jinja_message(template, values) == python_message(raw, variables)


def test_a_refused_folder_has_one_sentence_in_both_languages(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert jinja_message("folder_missing", {"folder": str(missing)}) == python_message(missing)

    raw = tmp_path / "raw"
    shutil.copytree(WORKED_EXAMPLE_RAW, raw)
    (raw / "tickets.csv").unlink()
    assert jinja_message(
        "file_missing", {"folder": str(raw), "table": "tickets"}
    ) == python_message(raw)

    shutil.copy(WORKED_EXAMPLE_RAW / "tickets.csv", raw / "tickets.csv")
    (raw / "agents.parquet").write_bytes(b"PAR1")
    assert jinja_message(
        "both_formats", {"folder": str(raw), "table": "agents"}
    ) == python_message(raw)

    (raw / "agents.parquet").unlink()
    assert jinja_message(
        "declared_absent", {"folder": str(raw), "file": "agents.csv", "table": "agents"}
    ) == python_message(raw, {"absent_tables": ["agents"]})

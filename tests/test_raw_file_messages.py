"""The refusal sentences of a raw folder: one definition
(macros/raw/raw_file_messages.sql), which the SQL readers raise and the DuckDB
reader renders from Python (cs_analytics.raw.macros). The file-level cases
are in test_file_refusals.py; here the folder-level ones, each sentence
written out by hand, and the renderer itself."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest
from conftest import WORKED_EXAMPLE_RAW

from cs_analytics.raw.files import RawFileError, inspect_folder
from cs_analytics.raw.macros import MacroError, Macros, message


def refusal(raw: Path, **variables: Any) -> str:
    with pytest.raises(RawFileError) as refused:
        inspect_folder(raw, variables.get("absent_tables"), variables.get("raw_column_names"))
    return str(refused.value)


def test_a_refused_folder_says_why_in_one_sentence(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert refusal(missing) == (
        f"The raw folder '{missing}' does not exist: set CS_RAW_DIR to the folder of your "
        "export."
    )

    raw = tmp_path / "raw"
    shutil.copytree(WORKED_EXAMPLE_RAW, raw)
    (raw / "tickets.csv").unlink()
    assert refusal(raw) == (
        f"The raw file tickets.csv (or tickets.parquet) is missing from the raw folder '{raw}': "
        "add it, or point CS_RAW_DIR at the folder of your export."
    )

    shutil.copy(WORKED_EXAMPLE_RAW / "tickets.csv", raw / "tickets.csv")
    (raw / "agents.parquet").write_bytes(b"PAR1")
    assert refusal(raw) == (
        f"The raw folder '{raw}' holds both agents.csv and agents.parquet: keep exactly one of "
        "them."
    )

    (raw / "agents.parquet").unlink()
    assert refusal(raw, absent_tables=["agents"]) == (
        f"The raw folder '{raw}' holds agents.csv, but the var absent_tables declares agents "
        "absent: remove the file, or remove agents from absent_tables."
    )


def test_an_optional_or_declared_absent_table_is_read_as_empty(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(WORKED_EXAMPLE_RAW, raw)
    (raw / "agents.csv").unlink()
    assert not inspect_folder(raw)["agents"].is_present
    (raw / "tickets.csv").unlink()
    files = inspect_folder(raw, ["tickets"])
    assert files["tickets"].declared_absent and not files["tickets"].is_present
    assert set(files["tickets"].missing_columns) == set(files["tickets"].columns)


def test_every_sentence_is_filled_and_ends_with_a_full_stop() -> None:
    values = {
        "folder": "raw", "table": "orders", "file": "orders.csv", "path": "raw/orders.csv",
        "line": 3, "name": "tabs", "reason": "why", "wanted": "Mã", "column": "order_id",
        "headers": "a, b", "relation": "raw.orders", "key": "order_id", "shown": "O1, KH1",
    }
    cases = [
        "folder_missing", "both_formats", "declared_absent", "file_missing", "empty", "utf16",
        "not_utf8", "unterminated_quote", "other_delimiter", "not_parquet",
        "mapped_header_missing", "relation_missing", "key_missing",
    ]
    for case in cases:
        sentence = message(case, **values)
        assert sentence.endswith(".") and "\n" not in sentence, case
        assert "{" not in sentence.replace("{orders: {order_id: '...'}}", ""), case
    with pytest.raises(jinja2.UndefinedError):
        message("no_such_case")


def test_the_renderer_returns_values_and_raises_the_macros_sentences() -> None:
    macros = Macros({"timestamp_formats": ["%Y%m%d"]})
    assert macros.compile_timestamp_format("%d/%m/%Y")["fields"] == ["d", "m", "Y"]
    assert macros.export_settings()["timestamp_formats"][0]["format"] == "%Y%m%d"
    with pytest.raises(MacroError, match="has '%q' in '%q%Y%m%d'"):
        macros.compile_timestamp_format("%q%Y%m%d")
    with pytest.raises(AttributeError, match="no macro read_raw"):
        macros.read_raw  # noqa: B018 - a dbt-only macro is not rendered from Python

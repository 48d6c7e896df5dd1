"""Tests of the raw data generator (cs_analytics.generate): the same seed gives the
same bytes, the files have the described layout, and the bad rows carry every
rejection reason of the contract in the intended numbers. The reasons are judged
by tests/contract_validators.py, written from the contract; the generated shapes
and the generation in blocks have their own test_generate_*.py.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from contract_validators import (
    DEMO_DIR,
    KEYS,
    REASONS,
    TABLES,
    Verdict,
    column_values,
    expected_reasons,
    file_bytes,
    parse_timestamp,
    reasons,
    validate,
)

from cs_analytics import generate as gen
from cs_analytics.generate import cli
from cs_analytics.generate.writer import conform
from cs_analytics.raw.tables import table_names

# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------

SCALE_S = gen.SCALES["S"]


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo set regenerated with its documented arguments."""
    out = tmp_path_factory.mktemp("demo")
    cli.main(["--out", str(out), *gen.DEMO_ARGS[2:]])
    return out


@pytest.fixture(scope="module")
def clean_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    gen.generate(out, SCALE_S, seed=7)
    return out


# ---------------------------------------------------------------------------
# Determinism and layout
# ---------------------------------------------------------------------------


def test_demo_args_documented() -> None:
    assert gen.DEMO_ARGS == ("--out", "data/demo", "--scale", "S", "--seed", "42", "--bad-rows")


def test_demo_set_matches_generator(demo_copy: Path) -> None:
    assert file_bytes(DEMO_DIR) == file_bytes(demo_copy)


def test_same_seed_gives_identical_bytes(demo_copy: Path, tmp_path: Path) -> None:
    gen.generate(tmp_path, SCALE_S, seed=42, bad_rows=True)
    assert file_bytes(tmp_path) == file_bytes(demo_copy)


def test_different_seed_gives_different_files(demo_copy: Path, tmp_path: Path) -> None:
    gen.generate(tmp_path, SCALE_S, seed=43, bad_rows=True)
    other, demo = file_bytes(tmp_path), file_bytes(demo_copy)
    assert other.keys() == demo.keys()
    assert all(other[name] != demo[name] for name in demo)


def test_every_described_table_has_the_described_columns_in_order(demo_copy: Path) -> None:
    assert sorted(p.name for p in demo_copy.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    for table, described in TABLES.items():
        with open(demo_copy / f"{table}.csv", encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert tuple(header) == described.column_names, table


def test_a_column_without_generated_values_is_written_empty(demo_copy: Path) -> None:
    for table in ("survey_responses", "agents"):
        assert set(column_values(demo_copy, table, "updated_at")) == {None}, table


def test_a_generated_column_the_description_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="does not describe"):
        conform("agents", {"agent_id": pa.array(["A1"]), "shoe_size": pa.array(["42"])})


def test_start_date_moves_the_window(tmp_path: Path) -> None:
    cli.main(["--out", str(tmp_path), "--scale", "S", "--start-date", "2022-03-01"])
    days = [parse_timestamp(v).date() for v in column_values(tmp_path, "orders", "ordered_at")]
    assert min(days) >= date(2022, 3, 1)
    assert max(days) < date(2024, 3, 1)


def test_parquet_columns_are_strings_with_the_csv_values(clean_set: Path, tmp_path: Path) -> None:
    gen.generate(tmp_path, SCALE_S, seed=7, file_format="parquet")
    for table in table_names():
        data = pq.read_table(tmp_path / f"{table}.parquet")
        assert all(field.type == pa.string() for field in data.schema), table
        with open(clean_set / f"{table}.csv", encoding="utf-8", newline="") as f:
            from_csv = list(csv.DictReader(f))
        as_text = [
            {k: (v if v is not None else "") for k, v in r.items()} for r in data.to_pylist()
        ]
        assert as_text == from_csv, table


def test_switching_format_removes_the_other_file(tmp_path: Path) -> None:
    gen.generate(tmp_path, SCALE_S, seed=1)
    gen.generate(tmp_path, SCALE_S, seed=1, file_format="parquet")
    expected = sorted(f"{t}.parquet" for t in table_names())
    assert sorted(p.name for p in tmp_path.iterdir()) == expected


# ---------------------------------------------------------------------------
# Bad rows
# ---------------------------------------------------------------------------


def test_clean_set_has_no_rejected_or_duplicate_rows(clean_set: Path) -> None:
    for table in table_names():
        assert reasons(clean_set, table) == Counter(), table


@pytest.mark.parametrize("table", sorted(REASONS))
def test_bad_rows_cover_every_reason(table: str) -> None:
    found = reasons(DEMO_DIR, table)
    assert set(found) == REASONS[table]


@pytest.mark.parametrize("table", table_names())
def test_each_injected_row_has_its_intended_reason(table: str) -> None:
    n_valid = getattr(SCALE_S, table)
    assert reasons(DEMO_DIR, table) == expected_reasons(table, n_valid)


def test_bad_rows_are_well_under_one_percent_of_the_demo() -> None:
    for table in table_names():
        verdicts = validate(DEMO_DIR, table)
        bad = sum(v.reason is not None for v in verdicts)
        assert bad / len(verdicts) < 0.007, table


def test_large_sets_scale_the_bad_rows(tmp_path: Path) -> None:
    scale = gen.Scale("test", 3_000, 40_000, 30_000, 5_000, 30, 2, date(2024, 1, 1), "csv")
    gen.generate(tmp_path, scale, seed=5, bad_rows=True)
    for table in ("orders", "tickets"):
        n_valid = getattr(scale, table)
        expected = expected_reasons(table, n_valid)
        assert reasons(tmp_path, table) == expected
        assert sum(expected.values()) > len(gen.FAULTS[table]())


RAW_BAD_VALUES = {
    ("tickets", "missing_key"): ["   "],
    ("orders", "invalid_timestamp"): ["2025-13-45", "2025-03-01 24:00:00", "N/A"],
    ("tickets", "invalid_timestamp"): ["yesterday"],
    ("customers", "invalid_timestamp"): ["15/03/2025 10:00"],
    ("orders", "invalid_amount"): ["1,000", "NaN", "-5", "$12"],
    ("tickets", "invalid_count"): ["4.5", "2.0", "-1", "two"],
    ("survey_responses", "invalid_score"): ["11", "0", "4.5"],
}


def _raw_values(verdict: Verdict, raw_dir: Path, table: str) -> set[str]:
    with open(raw_dir / f"{table}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return set(rows[verdict.position].values())


def test_bad_rows_use_the_listed_spellings() -> None:
    for (table, reason), spellings in RAW_BAD_VALUES.items():
        rejected = [v for v in validate(DEMO_DIR, table) if v.reason == reason]
        values = set().union(*(_raw_values(v, DEMO_DIR, table) for v in rejected))
        assert set(spellings) <= values, (table, reason)


def test_duplicates_are_decided_by_updated_at_not_only_file_order() -> None:
    for table in ("customers", "orders", "tickets"):
        verdicts = validate(DEMO_DIR, table)
        key = KEYS[table]
        losers = [v for v in verdicts if v.reason == "duplicate_key"]
        winners = {v.row[key]: v for v in verdicts if v.reason is None}
        later_losers = [d for d in losers if d.position > winners[d.row[key]].position]
        assert later_losers, f"{table}: no duplicate where an earlier row wins"

"""The Dagster raw gate in detail, without a Dagster run: the verdicts of the
file checks, row volume against the last good run and the latest event's
freshness, on small raw folders in temporary directories (orchestration/
raw_gates.py, freshness.py, last_good_run.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pytest
from orchestration_env import (
    RAW_FILES,
    Env,
    write_raw_folder,
)

pytestmark = pytest.mark.xdist_group("orchestration")


# --------------------------------------------------------------------------
# The gates in detail (no Dagster run)
# --------------------------------------------------------------------------


def previous_snapshot(tmp_path: Path, raw_rows: dict[str, int] | None = None, **marts: str) -> Any:
    """A published snapshot as the last good run leaves it: the raw rows it read
    per table, and marts given as `name="select ... "` (an in-memory database)."""
    from orchestration.last_good_run import LastGoodRun

    con = duckdb.connect()
    con.execute("create schema audit; create schema marts")
    con.execute("create table audit.source_reconciliation (source_table varchar, raw_rows bigint)")
    for table, rows in (raw_rows or {}).items():
        con.execute("insert into audit.source_reconciliation values (?, ?)", [table, rows])
    for mart, select in marts.items():
        con.execute(f"create table marts.{mart} as {select}")
    return LastGoodRun(con)


def raw_gate(
    raw_dir: Path,
    tmp_path: Path,
    dbt_vars: str = "",
    tables: list[str] | None = None,
    last_good: Any = None,
    **thresholds: Any,
) -> dict[str, Any]:
    """Table -> the raw gate's verdict on `raw_dir` for a dbt run with `dbt_vars`,
    against `last_good` (the first run when None)."""
    from orchestration.gx_runner import GreatExpectationsRunner
    from orchestration.last_good_run import LastGoodRun
    from orchestration.raw_gates import raw_gate_results
    from orchestration.thresholds import QualityGateConfig

    runner = GreatExpectationsRunner(tmp_path / "docs", "test-run")
    return raw_gate_results(
        raw_dir, dbt_vars, QualityGateConfig(**thresholds), runner,
        last_good or LastGoodRun(), tables,
    )


def blocking(verdicts: dict[str, Any]) -> dict[str, list[str]]:
    return {
        table: list(verdict.blocking_failures)
        for table, verdict in verdicts.items()
        if verdict.blocking_failures
    }


SIX_EACH = {"customers": 3, "orders": 6, "tickets": 4, "survey_responses": 5, "agents": 2}


def orders_csv(count: int) -> str:
    lines = RAW_FILES["orders.csv"].splitlines()
    return "\n".join(lines[: count + 1]) + "\n"


def test_the_first_run_passes_the_row_gate_with_a_note(
    orch: SimpleNamespace, tmp_path: Path
) -> None:
    verdicts = raw_gate(write_raw_folder(tmp_path / "raw", agents=None), tmp_path)
    assert blocking(verdicts) == {}
    assert all(verdict.passed for verdict in verdicts.values())
    orders = verdicts["orders"]
    assert "orders: 6 rows in" in orders.description
    assert "not compared, there is no previous published snapshot" in orders.description
    assert orders.metadata["row_count"] == 6
    assert "not checked" in verdicts["agents"].description


def test_a_truncated_table_is_refused_and_a_jump_warned(
    orch: SimpleNamespace, tmp_path: Path
) -> None:
    """Against the previous snapshot's raw rows: 2 orders of 6 (a third) stop the
    run; 70 survey responses for 5 is a warning only; the other tables pass."""
    surveys = RAW_FILES["survey_responses.csv"].splitlines()
    many = "\n".join([surveys[0]] + [surveys[1].replace("S1,", f"S{n},") for n in range(70)])
    raw_dir = write_raw_folder(
        tmp_path / "raw", orders=orders_csv(2), survey_responses=many + "\n"
    )
    verdicts = raw_gate(raw_dir, tmp_path, last_good=previous_snapshot(tmp_path, SIX_EACH))
    assert blocking(verdicts) == {
        "orders": ["orders has at least 0.5x the rows of the previous snapshot (6) "
                   "(observed 0.3333333333333333)"]
    }
    surveys_verdict = verdicts["survey_responses"]
    assert not surveys_verdict.passed and not surveys_verdict.blocking_failures
    assert surveys_verdict.warnings == (
        "survey_responses has at most 10x the rows of the previous snapshot (5) (observed 14.0)",
    )
    assert {name for name, verdict in verdicts.items() if verdict.passed} == {
        "customers", "tickets", "agents"
    }
    # The threshold is the resource's.
    lenient = raw_gate(
        raw_dir, tmp_path / "lenient", last_good=previous_snapshot(tmp_path, SIX_EACH),
        min_rows_ratio_to_previous=0.3,
    )
    assert blocking(lenient) == {}


def test_a_header_only_file_is_noted_then_refused_after_a_good_run(
    orch: SimpleNamespace, tmp_path: Path
) -> None:
    header_only = RAW_FILES["tickets.csv"].splitlines()[0] + "\n"
    raw_dir = write_raw_folder(tmp_path / "raw", tickets=header_only)
    first = raw_gate(raw_dir, tmp_path)["tickets"]
    assert first.passed and "The file has no rows" in first.description
    later = raw_gate(raw_dir, tmp_path / "later", last_good=previous_snapshot(tmp_path, SIX_EACH))
    assert later["tickets"].blocking_failures == (
        "tickets has at least 0.5x the rows of the previous snapshot (4) (observed 0.0)",
    )


def test_an_unreadable_snapshot_is_a_warning_not_a_verdict(
    orch: SimpleNamespace, tmp_path: Path
) -> None:
    from orchestration.last_good_run import open_last_good_run

    published = tmp_path / "published.duckdb"
    published.write_bytes(b"not a database")
    with open_last_good_run(published) as last_good:
        assert last_good.con is None and "cannot be read" in (last_good.problem or "")
        orders = raw_gate(write_raw_folder(tmp_path / "raw"), tmp_path, last_good=last_good)[
            "orders"
        ]
    assert not orders.passed and not orders.blocking_failures
    assert "cannot be read" in orders.warnings[0]


@pytest.mark.parametrize(
    ("replacements", "table", "expected"),
    [
        ({"orders": None}, "orders", "orders.csv (or orders.parquet, or orders.xlsx) is missing"),
        ({"tickets": 'T1,"never closed\n'}, "tickets", "that is never closed"),
        # Bad values are dbt's to quarantine: the gate does not look at them.
        (
            {"tickets": RAW_FILES["tickets.csv"].replace("2025-01-25 10:00:00,", "yesterday,"),
             "orders": RAW_FILES["orders.csv"].replace(",150,", ",-150,")},
            None,
            None,
        ),
    ],
)
def test_raw_gate_refuses_what_dbt_would_refuse_and_only_that(
    orch: SimpleNamespace,
    tmp_path: Path,
    replacements: dict[str, str | None],
    table: str | None,
    expected: str | None,
) -> None:
    verdicts = raw_gate(write_raw_folder(tmp_path / "raw", **replacements), tmp_path)
    failures = blocking(verdicts)
    if expected is None:
        assert failures == {}
    else:
        assert set(failures) == {table}
        assert expected in failures[table][0]


def test_raw_gate_reads_parquet_files(env: Env, orch: SimpleNamespace, tmp_path: Path) -> None:
    raw_dir = write_raw_folder(tmp_path / "raw", orders=None)
    duckdb.execute(
        f"copy (select * from read_csv('{env.raw_dir / 'orders.csv'}', all_varchar = true)) "
        f"to '{raw_dir / 'orders.parquet'}' (format parquet)"
    )
    orders = raw_gate(raw_dir, tmp_path, last_good=previous_snapshot(tmp_path, SIX_EACH))["orders"]
    assert orders.passed, orders.description
    assert orders.metadata["observed"]["rows_ratio_to_previous"] == 1.0
    duckdb.execute(f"copy (select 1 as x) to '{raw_dir / 'orders.csv'}' (header)")
    orders = raw_gate(raw_dir, tmp_path / "again")["orders"]
    assert orders.blocking_failures and "keep exactly one of them" in orders.description


def test_raw_gate_judges_only_the_selected_tables(orch: SimpleNamespace, tmp_path: Path) -> None:
    """A check run alone (a subset) judges its own table only; a refusal elsewhere
    in the folder does not land on it."""
    raw_dir = write_raw_folder(tmp_path / "raw", tickets='T1,"never closed\n')
    verdicts = raw_gate(raw_dir, tmp_path, tables=["orders"])
    assert set(verdicts) == {"orders"} and verdicts["orders"].passed


def test_raw_gate_reads_the_export_as_the_dbt_vars_say(
    orch: SimpleNamespace, tmp_path: Path
) -> None:
    """A Vietnamese shop export: its own headers, no helpdesk. Without the vars the
    gate refuses it as dbt would; with them it passes, and a declared-absent table
    passes with a note."""
    orders = (
        "Mã đơn hàng,Mã khách hàng,Trạng thái,Tổng tiền,Ngày đặt hàng\n"
        "DH1,KH1,completed,1.250.000,30/11/2025 14:05\n"
        'DH2,KH2,completed,"1.250.000,50",1/12/2025 09:30\n'
        "DH3,KH1,cancelled,980.000,2025-12-02 10:00:00\n"
    )
    raw_dir = write_raw_folder(
        tmp_path / "raw", orders=orders, tickets=None, survey_responses=None, agents=None
    )
    dbt_vars = (
        "{absent_tables: [tickets, survey_responses, agents], "
        "raw_column_names: {orders: {order_id: 'Mã đơn hàng', customer_id: 'Mã khách hàng', "
        "status: 'Trạng thái', amount: 'Tổng tiền', ordered_at: 'Ngày đặt hàng'}}, "
        "timestamp_formats: ['%d/%m/%Y %H:%M'], "
        "amount_thousands_separator: '.', amount_decimal_separator: ','}"
    )

    without_vars = raw_gate(raw_dir, tmp_path / "plain")
    assert "has no order_id column" in without_vars["orders"].description
    missing = "tickets.csv (or tickets.parquet, or tickets.xlsx) is missing"
    assert missing in without_vars["tickets"].description

    verdicts = raw_gate(raw_dir, tmp_path / "mapped", dbt_vars)
    assert all(verdict.passed for verdict in verdicts.values()), blocking(verdicts)
    assert verdicts["orders"].metadata["row_count"] == 3
    assert "absent_tables declares it absent" in verdicts["tickets"].description


def latest_orders(when: str | None) -> str:
    value = "null" if when is None else f"timestamp '{when}'"
    return f"select {value} as ordered_at where {'false' if when is None else 'true'}"


@pytest.mark.parametrize(
    ("current", "max_hours", "blocking_text"),
    [
        ("2025-04-02 10:00:00", 0, None),  # newer
        ("2025-04-01 03:00:00", 0, None),  # the same day's export again
        (
            "2025-03-20 14:00:00",
            0,
            "the latest fct_orders.ordered_at (2025-03-20 14:00) is at most 0 h before the "
            "previous snapshot's (2025-04-01 03:00); an older export would roll the marts "
            "back (observed 277.0)",
        ),
        ("2025-03-20 14:00:00", 300, None),  # allowed by the threshold
        (
            None,
            0,
            "fct_orders.ordered_at: the build has no event at all, while the previous "
            "snapshot's latest is 2025-04-01 03:00; check the export before publishing it.",
        ),
    ],
)
def test_the_latest_event_may_not_go_back(
    orch: SimpleNamespace,
    tmp_path: Path,
    current: str | None,
    max_hours: float,
    blocking_text: str | None,
) -> None:
    from orchestration.freshness import freshness_result
    from orchestration.gx_runner import GreatExpectationsRunner
    from orchestration.last_good_run import Comparison, LastGoodRun
    from orchestration.thresholds import QualityGateConfig

    gates = QualityGateConfig(max_hours_behind_previous=max_hours)
    runner = GreatExpectationsRunner(tmp_path / "docs", "test-run")
    work = previous_snapshot(tmp_path, fct_orders=latest_orders(current)).con
    previous = previous_snapshot(tmp_path, fct_orders=latest_orders("2025-04-01 03:00:00"))
    verdict = freshness_result("fct_orders", Comparison(work, previous, runner, gates))
    assert verdict.blocking_failures == (() if blocking_text is None else (blocking_text,))
    assert verdict.passed == (blocking_text is None)
    first = freshness_result("fct_orders", Comparison(work, LastGoodRun(), runner, gates))
    assert first.passed and "not compared" in first.description


@pytest.mark.parametrize(
    ("dbt_vars", "sentence"),
    [
        (
            "{timestamp_formats: ['%d/%m/%y']}",
            "The var timestamp_formats has '%y' in '%d/%m/%y'",
        ),
        (
            "{amount_thousands_separator: '.'}",
            "The vars amount_thousands_separator and amount_decimal_separator are both",
        ),
        ("{absent_tables: [payments]}", "The var absent_tables names the unknown table"),
        (
            "{absent_tables: [agents]}",
            "holds agents.csv, but the var absent_tables declares agents absent",
        ),
    ],
)
def test_wrong_vars_fail_the_raw_gate_with_dbts_sentence(
    orch: SimpleNamespace, tmp_path: Path, dbt_vars: str, sentence: str
) -> None:
    verdicts = raw_gate(write_raw_folder(tmp_path / "raw"), tmp_path, dbt_vars)
    failed = blocking(verdicts)
    assert failed
    assert all(sentence in texts[0] for texts in failed.values()), failed

"""The bundled demo data builds cleanly, the summary of `make run` reads it,
and no personal data reaches the marts."""

from __future__ import annotations

import csv

import pytest
from conftest import DEMO_RAW, Warehouse

from cs_analytics.warehouse import summary


@pytest.fixture(scope="module")
def warehouse(demo_warehouse: Warehouse) -> Warehouse:
    """The session's build of the demo data (conftest)."""
    return demo_warehouse


def test_demo_build_passes_every_test(warehouse: Warehouse) -> None:
    assert "ERROR=0" in warehouse.result.stdout
    assert " FAIL " not in warehouse.result.stdout


def test_no_personal_data_column_in_marts(warehouse: Warehouse) -> None:
    columns = warehouse.rows(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts'"
    )
    assert len(columns) > 50
    offending = [
        c for c in columns
        if any(word in c["column_name"].lower() for word in ("name", "email", "phone"))
        and c["column_name"] != "agent_name"
    ]
    assert offending == []


def test_no_personal_data_value_in_marts(warehouse: Warehouse) -> None:
    with (DEMO_RAW / "customers.csv").open(encoding="utf-8") as handle:
        personal = {
            value.strip()
            for row in csv.DictReader(handle)
            for key in ("full_name", "email", "phone")
            if (value := row.get(key)) and value.strip()
        }
    assert len(personal) > 1000
    tables = [r["table_name"] for r in warehouse.rows(
        "select table_name from information_schema.tables where table_schema = 'marts'")]
    for table in tables:
        text_columns = [r["column_name"] for r in warehouse.rows(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            f"and table_name = '{table}' and data_type = 'VARCHAR' "
            # agent_name is published by the contract (3.5); an agent may
            # share a name with a customer.
            "and column_name <> 'agent_name'")]
        for column in text_columns:
            values = {r["v"] for r in warehouse.rows(
                f"select distinct {column} as v from marts.{table} where {column} is not null")}
            assert not values & personal, f"personal data in marts.{table}.{column}"


def test_summary_reports_marts_rejections_and_kpis(
    warehouse: Warehouse, capsys: pytest.CaptureFixture[str]
) -> None:
    assert summary.main(["--warehouse", str(warehouse.path)]) == 0
    output = capsys.readouterr().out
    for mart in ("customer_retention", "revenue", "nps", "support_kpis", "dim_customers"):
        assert mart in output
    assert "orders" in output and "(latest complete month)" in output
    assert "NPS" in output and "Resolution SLA" in output
    assert "n/a" not in output.split("Headline KPIs")[1]


def test_summary_explains_a_missing_warehouse(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert summary.main(["--warehouse", str(tmp_path / "none.duckdb")]) == 1
    assert "run `make run`" in capsys.readouterr().err

"""The same project on Apache Spark (contract section 0): the worked example is
built on DuckDB and on Spark (dbt-spark, `method: session`), and every table of
`marts` and `audit` must be equal cell for cell (tests/spark_tables.py). The
Spark build is a full `dbt build`: every seed, model, unit test and data test
of the project runs there once. tests/test_spark_generated.py does the same on
generated data with bad rows (its own module, so that the two Spark builds run
on the two pytest-xdist workers at once).

Spark's fixed cost per query (a second or more, against milliseconds on
DuckDB) is what these builds spend their time on. This build runs Spark with
its default code generation, as users run it; the suite's other Spark runs
are interpreted (tests/conftest.py).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import (
    WORKED_EXAMPLE_RAW,
    WORKED_EXAMPLE_VARS,
    Warehouse,
    run_dbt,
)
from spark_tables import assert_same_summary, assert_same_warehouses

pytestmark = pytest.mark.spark


def test_worked_example_is_the_same_on_spark(
    tmp_path: Path,
    worked_example: Warehouse,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Spark as users run it, with its generated code: the suite's other Spark
    # runs are interpreted (CS_SPARK_CODEGEN in tests/conftest.py), so every
    # model, unit test and data test runs once on the default engine path.
    monkeypatch.setenv("CS_SPARK_CODEGEN", "true")
    started = time.monotonic()
    # The whole build, unit tests included: the only run of them on Spark.
    spark_dir, result = run_dbt(
        ["build"], tmp_path / "spark", WORKED_EXAMPLE_RAW, WORKED_EXAMPLE_VARS, "spark"
    )
    elapsed = time.monotonic() - started
    output = result.stdout
    assert result.returncode == 0, output[-6000:] + result.stderr[-2000:]
    assert "unit_test" in output and "ERROR=0" in output, output[-3000:]
    assert "FAIL" not in output.replace("FAIL=0", ""), output[-3000:]
    print(f"Spark build of the worked example: {elapsed:.0f} s")
    assert_same_warehouses(worked_example.path, spark_dir)
    assert_same_summary(worked_example.path, spark_dir, monkeypatch, capsys)


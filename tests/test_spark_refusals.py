"""On Spark, a file that cannot be read is refused before anything is built with
exactly the sentence the DuckDB reader (cs_analytics/raw/) gives: every
case of tests/test_file_refusals.py, the folder cases, and the section 6
settings. dbt runs in this process (dbtRunner), so the cases share one Spark
session instead of starting a JVM each."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT, WORKED_EXAMPLE_RAW, repr_yaml
from test_file_refusals import CASES

from cs_analytics.raw.files import RawFileError, inspect_folder

pytestmark = pytest.mark.spark


def python_sentence(raw: Path, variables: dict[str, Any]) -> str:
    try:
        inspect_folder(
            raw, variables.get("absent_tables"), variables.get("raw_column_names")
        )
    except RawFileError as error:
        return str(error)
    raise AssertionError(f"Python accepts {raw}")


def folder_cases(tmp_path: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    cases: dict[str, tuple[Path, dict[str, Any]]] = {}
    cases["folder_missing"] = (tmp_path / "nowhere", {})
    missing = tmp_path / "missing-file"
    shutil.copytree(WORKED_EXAMPLE_RAW, missing)
    (missing / "tickets.csv").unlink()
    cases["file_missing"] = (missing, {})
    both = tmp_path / "both-formats"
    shutil.copytree(WORKED_EXAMPLE_RAW, both)
    (both / "agents.parquet").write_bytes(b"PAR1")
    cases["both_formats"] = (both, {})
    cases["declared_absent"] = (WORKED_EXAMPLE_RAW, {"absent_tables": ["agents"]})
    return cases


def test_spark_refuses_each_broken_folder_in_the_python_sentence(tmp_path: Path) -> None:
    from dbt.cli.main import dbtRunner

    work = tmp_path / "work"
    (work / "profiles").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "profiles.example.yml", work / "profiles" / "profiles.yml")
    saved = dict(os.environ)
    os.environ.update({
        "DBT_PROFILES_DIR": str(work / "profiles"),
        "CS_TARGET": "spark",
        "CS_SPARK_WAREHOUSE_DIR": str(work / "spark"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    })
    cases = folder_cases(tmp_path)
    for case, (breaker, variables, _) in CASES.items():
        raw = tmp_path / f"raw-{case}"
        shutil.copytree(WORKED_EXAMPLE_RAW, raw)
        breaker(raw)
        cases[case] = (raw, variables)
    failures = []
    try:
        runner = dbtRunner()
        for case, (raw, variables) in cases.items():
            os.environ["CS_RAW_DIR"] = str(raw)
            expected = python_sentence(raw, variables)
            args = [
                "run", "--select", "base_helpdesk__agents", "--project-dir", str(PROJECT_ROOT),
                "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
            ]
            if variables:
                args += ["--vars", repr_yaml(variables)]
            result = runner.invoke(args)
            said = str(result.exception or "") + " ".join(
                str(getattr(node, "message", "")) for node in (result.result or [])
            )
            if result.success or expected not in said:
                failures.append(f"{case}: expected {expected!r}, dbt said {said[-600:]!r}")
    finally:
        os.environ.clear()
        os.environ.update(saved)
        from pyspark import SparkContext

        context = SparkContext._active_spark_context
        if context is not None:
            context.stop()  # frees this worker's Spark JVM for the tests after it
    assert not failures, "\n".join(failures)

"""dbt's unit tests (models/**/_*__unit_tests.yml), once per session.

Builds leave them out (conftest): they test SQL on mocked rows, whatever the
raw data, so one run is enough. They run against a copy of the session's
worked example, because dbt reads the column types of each mocked input from
the warehouse.

The run sets every var of the contract to something other than its default.
A user's --vars reach unit tests too (`dbt build --vars ...` runs them), so
each unit test must pin the vars its model reads, as the YAML anchors
`x-contract-defaults` do; a test that relies on a default fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import PROJECT_ROOT, WORKED_EXAMPLE_RAW, Warehouse, run_dbt, writable_copy

OTHER_VARS = {
    "as_of_date": "2031-01-01",
    "reporting_timezone": "America/New_York",
    "churn_window_days": 7,
    "wait_target_seconds": 5,
    "new_customer_days": 1,
    "at_risk_days": 2,
    "vip_percentile": 0.5,
    "max_rejected_share": 0.9,
    "absent_tables": ["agents"],
    "raw_column_names": {"orders": {"order_id": "Mã đơn hàng"}},
    "timestamp_formats": ["%d/%m/%Y %H:%M", "%m/%d/%Y"],
    "amount_thousands_separator": ".",
    "amount_decimal_separator": ",",
}


def declared_unit_tests() -> list[str]:
    return [
        test["name"]
        for path in sorted((PROJECT_ROOT / "models").rglob("_*__unit_tests.yml"))
        for test in yaml.safe_load(path.read_text(encoding="utf-8")).get("unit_tests", [])
    ]


def test_every_unit_test_passes_whatever_the_vars(
    worked_example: Warehouse, tmp_path: Path
) -> None:
    work = tmp_path / "unit-tests"
    writable_copy(worked_example, work)
    _, result = run_dbt(
        ["test", "--select", "resource_type:unit_test"], work, WORKED_EXAMPLE_RAW, OTHER_VARS
    )
    assert result.returncode == 0, result.stdout[-8000:]
    declared = declared_unit_tests()
    assert len(declared) == len(set(declared)) >= 26
    passed = re.findall(r" PASS \w+::(\w+) ", result.stdout)
    assert sorted(passed) == sorted(declared)

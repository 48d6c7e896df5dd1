"""`make check-raw` (python -m cs_analytics.raw.preflight): a new export is checked
with the build's own reader and staging, into a scratch file, never the
warehouse."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT_ROOT, WORKED_EXAMPLE_RAW

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "vietnamese_export"


def preflight(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    warehouse = tmp_path / "untouched" / "cs_analytics.duckdb"
    env = {**os.environ, "CS_WAREHOUSE_PATH": str(warehouse)}
    result = subprocess.run(
        [sys.executable, "-m", "cs_analytics.raw.preflight", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert not warehouse.parent.exists(), "the preflight wrote beside the warehouse"
    return result


def test_preflight_describes_a_vietnamese_export(tmp_path: Path) -> None:
    result = preflight(
        tmp_path, "--raw-dir", str(EXAMPLE), "--vars-file", str(EXAMPLE / "vars.yml")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "orders: " in out and "rows 4: valid 4, duplicate 0, rejected 0 (0.0%)" in out
    assert "order_id <- 'Mã đơn hàng'" in out
    assert "columns missing (null in every row): cancel_reason, updated_at" in out
    assert "agents: declared absent; read as empty." in out
    assert "as_of implied by the data: 2025-02-21 00:00" in out


def test_preflight_counts_rejections_by_reason_and_flags_the_share(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(EXAMPLE, raw)
    # Without the section 6 vars, every orders row is unreadable: the order_id
    # header is missing, so the file is refused in one sentence.
    result = preflight(tmp_path, "--raw-dir", str(raw))
    assert result.returncode == 1
    assert result.stdout.startswith("REFUSED: The raw file '")
    assert "has no customer_id column in its first row" in result.stdout
    # With the headers mapped but not the formats, dd/mm/yyyy dates are
    # rejected: reported by reason, above max_rejected_share.
    vars_text = (EXAMPLE / "vars.yml").read_text(encoding="utf-8")
    vars_text = vars_text.replace("timestamp_formats: ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y']", "")
    result = preflight(tmp_path, "--raw-dir", str(raw), "--vars", vars_text)
    assert result.returncode == 1, result.stdout
    assert "invalid_timestamp" in result.stdout
    assert "TOO MANY REJECTED ROWS" in result.stdout


def test_preflight_of_the_worked_example_passes(tmp_path: Path) -> None:
    result = preflight(tmp_path, "--raw-dir", str(WORKED_EXAMPLE_RAW))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rows 6: valid 6, duplicate 0, rejected 0 (0.0%)" in result.stdout
    assert "as_of implied by the data: 2025-04-02 00:00" in result.stdout

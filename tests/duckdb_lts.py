"""The published snapshot through a real DuckDB 1.4 client, the LTS line the
Metabase DuckDB driver and older DBeaver and duckdb_engine installs bundle.

`make duckdb-lts` (a prerequisite of `make test`) installs it into its own
folder (CS_DUCKDB_LTS_DIR, default .venv/duckdb-lts); it runs in a
subprocess with that folder on PYTHONPATH and without the venv's
site-packages (`python -S`), so the venv's DuckDB 2 cannot stand in for it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LTS_DIR = Path(os.environ.get("CS_DUCKDB_LTS_DIR") or PROJECT_ROOT / ".venv" / "duckdb-lts")
READER = Path(__file__).with_name("snapshot_reader.py")


def read_with_duckdb_lts(path: Path) -> dict[str, Any]:
    """snapshot_reader.read(path), run by DuckDB 1.4."""
    if not (LTS_DIR / "duckdb").is_dir():
        pytest.fail(
            f"The DuckDB 1.4 client is not installed in {LTS_DIR}: run `make duckdb-lts` "
            "(make test does it)."
        )
    result = subprocess.run(
        [sys.executable, "-S", str(READER), str(path)],
        env={**os.environ, "PYTHONPATH": str(LTS_DIR)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"DuckDB 1.4 cannot read {path}:\n{result.stderr[-3000:]}")
    reading = json.loads(result.stdout)
    assert reading["duckdb_version"].startswith("1.4."), reading["duckdb_version"]
    return reading

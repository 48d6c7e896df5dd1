"""Writing a generated table as `<table>.csv` or `<table>.parquet`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq


def write_table(table: pa.Table, out_dir: Path, name: str, file_format: str) -> Path:
    """Write `<name>.<format>` and remove the other format's file, if any."""
    for extension in ("csv", "parquet"):
        stale = out_dir / f"{name}.{extension}"
        if extension != file_format and stale.exists():
            stale.unlink()
    path = out_dir / f"{name}.{file_format}"
    table = table.combine_chunks()
    if file_format == "parquet":
        pq.write_table(table, path, compression="snappy")
        return path
    with duckdb.connect() as con:
        con.register("raw_rows", table)
        target = str(path).replace("'", "''")
        con.execute(f"copy raw_rows to '{target}' (format csv, header true)")
    return path

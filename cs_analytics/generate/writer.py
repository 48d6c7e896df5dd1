"""Writing the raw files: one `<table>.csv` or `<table>.parquet` per table,
with the columns of the description (`models/staging/_raw__sources.yml`) in
its order, appended block by block.

CSV is written by Python's `csv` module: RFC 4180 quoting (a value holding a
comma, a double quote or a line break is quoted, its quotes doubled), UTF-8,
LF line ends, an empty field for null. Parquet holds string columns only, one
row group per block or less. A file is written under a `.partial` name and
renamed when complete, so an interrupted run never leaves a file that looks
whole.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from cs_analytics.raw.tables import SOURCES_FILE, raw_tables

FORMATS = ("csv", "parquet")
# Rows converted to Python values at a time when writing CSV.
CSV_BATCH_ROWS = 65_536


def conform(table_name: str, columns: dict[str, pa.Array]) -> pa.Table:
    """The described columns of table_name in the described order, as text.

    A described column the generator has no value for is written empty; a
    generated column the description lacks is an error, not a silent extra.
    """
    described = raw_tables()[table_name].column_names
    unknown = sorted(set(columns) - set(described))
    if unknown:
        raise ValueError(
            f"the generator writes {', '.join(unknown)} into {table_name}, "
            f"which {SOURCES_FILE.name} does not describe: describe the column there first."
        )
    n_rows = len(next(iter(columns.values())))
    return pa.table(
        {
            name: columns[name] if name in columns else pa.nulls(n_rows, pa.string())
            for name in described
        }
    )


def schema(table_name: str) -> pa.Schema:
    return pa.schema([(name, pa.string()) for name in raw_tables()[table_name].column_names])


class RawFileWriter:
    """Appends tables of rows to one raw file."""

    def __init__(self, out_dir: Path, table_name: str, file_format: str) -> None:
        if file_format not in FORMATS:
            raise ValueError(f"unknown format {file_format!r}: use csv or parquet")
        for extension in FORMATS:
            stale = out_dir / f"{table_name}.{extension}"
            if extension != file_format and stale.exists():
                stale.unlink()
        self.table_name = table_name
        self.path = out_dir / f"{table_name}.{file_format}"
        self.rows = 0
        self._partial = self.path.with_name(self.path.name + ".partial")
        self._schema = schema(table_name)
        self._parquet: pq.ParquetWriter | None = None
        self._text: TextIO | None = None
        if file_format == "parquet":
            self._parquet = pq.ParquetWriter(self._partial, self._schema, compression="snappy")
        else:
            self._text = open(self._partial, "w", encoding="utf-8", newline="")
            self._csv = csv.writer(self._text, lineterminator="\n")
            self._csv.writerow(self._schema.names)

    def write(self, table: pa.Table) -> None:
        table = table.select(self._schema.names).cast(self._schema)
        if self._parquet is not None:
            self._parquet.write_table(table)
        else:
            for batch in table.to_batches(max_chunksize=CSV_BATCH_ROWS):
                values = [column.to_pylist() for column in batch.columns]
                self._csv.writerows(zip(*values, strict=True))
        self.rows += table.num_rows

    def _close_file(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._text is not None:
            self._text.close()

    def close(self) -> None:
        self._close_file()
        self._partial.replace(self.path)

    def abort(self) -> None:
        self._close_file()
        self._partial.unlink(missing_ok=True)


@contextmanager
def raw_file_writers(
    out_dir: Path, table_names: Iterable[str], file_format: str
) -> Iterator[dict[str, RawFileWriter]]:
    """One writer per table; every file is complete on exit, or none is renamed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    writers: dict[str, RawFileWriter] = {}
    with ExitStack() as cleanup:
        for name in table_names:
            writers[name] = RawFileWriter(out_dir, name, file_format)
            cleanup.callback(writers[name].abort)
        yield writers
        cleanup.pop_all()
    for writer in writers.values():
        writer.close()

"""How fast a workbook is read to text, by python-calamine (the project's
reader) and by openpyxl in read-only mode (the other candidate):
`python -m cs_analytics.bench.workbooks --rows 100000`.

It writes an orders-like worksheet with openpyxl (ids and statuses as text,
timestamps as date-time cells, amounts as numbers, mostly empty cancel
reasons), then times each reader from the file to the records of text that
the project caches, with the same conversion of cells to text
(cs_analytics.raw.workbooks.sheet_records), and prints the median of the
repeats. Both readers must give the same records, or the figures would not
compare the same work.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cs_analytics.raw.workbooks import read_sheet, sheet_records

HEADER = ["order_id", "customer_id", "ordered_at", "status", "amount", "cancel_reason",
          "updated_at"]
STATUSES = ["completed", "completed", "completed", "pending", "cancelled"]
START = datetime(2025, 1, 1, 8, 0)


def orders_rows(rows: int) -> list[list[Any]]:
    """The header and `rows` orders, the same for any run."""
    body: list[list[Any]] = [HEADER]
    for number in range(1, rows + 1):
        status = STATUSES[number % len(STATUSES)]
        ordered_at = START + timedelta(minutes=7 * number)
        body.append([
            f"DH{number:07d}",
            f"KH{number % 20_000:05d}",
            ordered_at,
            status,
            # Whole amounts as most shops write them, one in four with dong cents.
            125_000 + number % 900 * 1_000 + (0.5 if number % 4 == 0 else 0),
            "khách đổi ý" if status == "cancelled" else None,
            ordered_at + timedelta(hours=2, microseconds=number % 1000 * 1000),
        ])
    return body


def write_orders_workbook(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("orders")
    for row in orders_rows(rows):
        sheet.append(row)
    workbook.save(path)
    return path


def calamine_records(path: Path) -> list[tuple[list[Any], list[Any]]]:
    """The project's path: python-calamine, then the cells as text."""
    return list(sheet_records(read_sheet(path)[1]))


def openpyxl_records(path: Path) -> list[tuple[list[Any], list[Any]]]:
    """openpyxl in read-only mode, then the same cells as text."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
    return list(sheet_records(rows))


READERS: dict[str, Callable[[Path], list[tuple[list[Any], list[Any]]]]] = {
    "python-calamine": calamine_records,
    "openpyxl read-only": openpyxl_records,
}


def measure(path: Path, repeat: int) -> dict[str, list[float]]:
    """Seconds of each run of each reader; raises when they disagree."""
    seconds: dict[str, list[float]] = {name: [] for name in READERS}
    records: dict[str, Any] = {}
    for _ in range(repeat):
        for name, read in READERS.items():
            started = time.perf_counter()
            records[name] = read(path)
            seconds[name].append(time.perf_counter() - started)
    first, *others = records.values()
    if any(other != first for other in others):
        raise AssertionError("the readers gave different records")
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cs_analytics.bench.workbooks",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.xlsx"
        started = time.perf_counter()
        write_orders_workbook(path, args.rows)
        print(f"wrote {args.rows:,} orders with openpyxl: {path.stat().st_size / 1e6:.1f} MB "
              f"in {time.perf_counter() - started:.1f} s")
        for name, runs in measure(path, args.repeat).items():
            print(f"{name}: median {statistics.median(runs):.2f} s to text "
                  f"({', '.join(f'{run:.2f}' for run in runs)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m cs_analytics.generate`: the command line of the generator."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cs_analytics.generate import FORMATS, SCALES, generate


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cs_analytics.generate",
        description="Generate the raw files of the customer-service warehouse.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--scale", choices=list(SCALES), default="S")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--format",
        dest="file_format",
        choices=FORMATS,
        help="file format (default: csv for S, parquet for M, L and XL)",
    )
    parser.add_argument(
        "--bad-rows",
        action="store_true",
        help="inject rows breaking every rule of contract section 4",
    )
    parser.add_argument(
        "--long-open",
        action="store_true",
        help="half the tickets stay open for months (the business-time benchmark)",
    )
    parser.add_argument(
        "--start-date",
        type=date.fromisoformat,
        help="first day of the generated period (default per scale)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    scale = SCALES[args.scale]
    started = time.perf_counter()
    print(f"generating scale {scale.name} into {args.out}", file=sys.stderr)
    counts = generate(
        args.out,
        scale,
        seed=args.seed,
        file_format=args.file_format,
        bad_rows=args.bad_rows,
        start=args.start_date,
        progress=True,
        long_open=args.long_open,
    )
    total = sum(counts.values())
    print(f"done: {total:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0

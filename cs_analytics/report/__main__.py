"""Write the KPI report: `python -m cs_analytics.report [--lang vi|en] [--warehouse PATH]
[--out PATH]`.

It reads the published snapshot ($CS_PUBLISHED_PATH, default
warehouse/published/cs_analytics.duckdb), or the work warehouse
($CS_WAREHOUSE_PATH) when nothing is published yet, and writes
warehouse/published/report/index.html beside the snapshot.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from cs_analytics.report.build import build_report
from cs_analytics.report.data import ReportDataError, resolve_sources
from cs_analytics.report.labels import DEFAULT_LANGUAGE, LANGUAGES

REPORT_FOLDER = "report"
REPORT_FILE = "index.html"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cs_analytics.report",
        description="Write the self-contained HTML report of the marts.",
    )
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                        help=f"language of the report (default {DEFAULT_LANGUAGE})")
    parser.add_argument("--warehouse", type=Path,
                        help="DuckDB file to read (default: the published snapshot, else the "
                        "work warehouse)")
    parser.add_argument("--out", type=Path,
                        help="HTML file to write (default: <published folder>/report/index.html)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sources = resolve_sources(args.warehouse)
    out = args.out or sources.published_dir / REPORT_FOLDER / REPORT_FILE
    try:
        result = build_report(sources, out, args.lang)
    except ReportDataError as error:
        print(error, file=sys.stderr)
        return 1
    print(
        f"Wrote {result.path} ({result.size_bytes / 1e6:.2f} MB, {result.lang}) from "
        f"{result.source} in {result.seconds:.1f} s."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Write seeds/holidays.csv from the `holidays` package (pinned in the lock).

The contract's default (section 7) is every day that `holidays` 0.109 lists
for Vietnam, `country_holidays('VN', years=range(2015, 2036))`; `make holidays
COUNTRY=.. YEARS=..` writes the same file for another country or other
years. Names are in the country's own language (Vietnamese for VN), whatever
the machine's locale, so the file is the same wherever it is written. The
package lists a date once (two holidays on one day share it, their names
joined), and the seed keeps that: one row per date, in date order.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import holidays

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = PROJECT_ROOT / "seeds" / "holidays.csv"
HEADER = ("holiday_date", "name")
YEARS_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$")


class HolidaySeedError(Exception):
    """A setting the script cannot use, said in one sentence."""


def parse_years(text: str) -> range:
    """`2015-2035` (both included) or a single year `2025`."""
    match = YEARS_PATTERN.match(text)
    if not match:
        raise HolidaySeedError(
            f"YEARS '{text}' is not a year or a range of years: write e.g. 2015-2035 or 2025."
        )
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise HolidaySeedError(
            f"YEARS '{text}' ends before it starts: write the earlier year first, e.g. "
            f"{last}-{first}."
        )
    return range(first, last + 1)


def holiday_rows(country: str, years: range) -> list[tuple[date, str]]:
    """Every day the package lists for the country in those years, in date
    order, named in the country's default language."""
    try:
        calendar = holidays.country_holidays(country, years=years)
    except NotImplementedError as error:
        raise HolidaySeedError(
            f"The holidays package has no country '{country}': use an ISO 3166 code such as "
            "VN, TH or SG."
        ) from error
    language = calendar.default_language
    if language:
        calendar = holidays.country_holidays(country, years=years, language=language)
    return sorted(calendar.items())


def write_seed(rows: list[tuple[date, str]], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows((day.isoformat(), name) for day, name in rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cs_analytics.calendar",
        description="Write the holidays seed from the holidays package.",
    )
    parser.add_argument("--country", default="VN", help="ISO 3166 country code (default VN)")
    parser.add_argument("--years", default="2015-2035", help="e.g. 2015-2035 (both included)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the seed file to write")
    args = parser.parse_args(argv)
    try:
        rows = holiday_rows(args.country.strip().upper(), parse_years(args.years))
    except HolidaySeedError as error:
        print(error, file=sys.stderr)
        return 2
    write_seed(rows, args.out)
    print(
        f"wrote {len(rows)} holidays of {args.country.upper()} ({args.years}) to {args.out}; "
        "add your own closures to it, then run dbt build.",
        file=sys.stderr,
    )
    return 0

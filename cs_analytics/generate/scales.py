"""Scales (row counts and period of each preset) and the generated window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DAY = 86_400
HOUR = 3_600
# Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving).
LOCAL_UTC_OFFSET = 7 * HOUR


@dataclass(frozen=True)
class Scale:
    """Row counts and time span of one preset."""

    name: str
    customers: int
    orders: int
    tickets: int
    survey_responses: int
    agents: int
    years: int
    start: date
    file_format: str


SCALES = {
    "S": Scale("S", 1_500, 4_000, 1_500, 1_500, 20, 2, date(2024, 1, 1), "csv"),
    "M": Scale("M", 100_000, 1_000_000, 300_000, 300_000, 150, 3, date(2023, 1, 1), "parquet"),
    "L": Scale(
        "L",
        1_000_000,
        10_000_000,
        3_000_000,
        2_000_000,
        1_000,
        3,
        date(2023, 1, 1),
        "parquet",
    ),
}


@dataclass(frozen=True)
class Window:
    """The generated period, in local wall-clock seconds since 1970-01-01 00:00."""

    start: int
    end: int  # exclusive

    @property
    def days(self) -> int:
        return (self.end - self.start) // DAY


def make_window(start: date, years: int) -> Window:
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = date(start.year + years, 3, 1)
    epoch = date(1970, 1, 1)
    return Window((start - epoch).days * DAY, (end - epoch).days * DAY)

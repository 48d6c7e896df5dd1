"""Business time written from the words of contract section 7, for the
brute-force references: the total length of the intersection of [a, b)
with the intervals [d + opens_at, d + closes_at) of every date d that is
not a holiday, on local wall-clock time. Plain `datetime` arithmetic over
the days between a and b, the hours, holidays and SLA clocks read from the
project's seed files with the csv module (nothing shared with the SQL)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def clock_time(text: str) -> timedelta:
    """`HH:MM`, 00:00 to 24:00, as the time from midnight."""
    hours, minutes = text.strip().split(":")
    return timedelta(hours=int(hours), minutes=int(minutes))


@dataclass(frozen=True)
class BusinessCalendar:
    hours: dict[int, list[tuple[timedelta, timedelta]]]  # ISO weekday -> intervals
    holidays: frozenset[date]
    targets: dict[str, tuple[timedelta, timedelta, str]]  # priority -> targets, clock

    @classmethod
    def from_seeds(cls, folder: Path = SEEDS) -> BusinessCalendar:
        hours: dict[int, list[tuple[timedelta, timedelta]]] = {}
        with (folder / "business_hours.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                hours.setdefault(int(row["weekday"]), []).append(
                    (clock_time(row["opens_at"]), clock_time(row["closes_at"]))
                )
        with (folder / "holidays.csv").open(encoding="utf-8", newline="") as handle:
            holidays = frozenset(
                date.fromisoformat(row["holiday_date"].strip()) for row in csv.DictReader(handle)
            )
        with (folder / "sla_targets.csv").open(encoding="utf-8", newline="") as handle:
            targets = {
                row["priority"]: (
                    timedelta(minutes=int(row["first_response_target_minutes"])),
                    timedelta(hours=int(row["resolution_target_hours"])),
                    row["clock"].strip().lower(),
                )
                for row in csv.DictReader(handle)
            }
        return cls(hours, holidays, targets)

    def business_time(self, start: datetime, end: datetime) -> timedelta:
        """Business time from start to end (start <= end), day by day."""
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            if day not in self.holidays:
                midnight = datetime.combine(day, time())
                for opens, closes in self.hours.get(day.isoweekday(), []):
                    overlap = min(end, midnight + closes) - max(start, midnight + opens)
                    if overlap > timedelta(0):
                        total += overlap
            day += timedelta(days=1)
        return total

    def elapsed(self, priority: str, start: datetime, end: datetime) -> timedelta:
        """The time from start to end on the clock of the priority's SLA."""
        if self.targets[priority][2] == "business":
            return self.business_time(start, end)
        return end - start

    def instant_after(self, priority: str, start: datetime, amount: timedelta) -> datetime:
        """The first instant whose time from start on the priority's clock is
        `amount`: where a target is reached exactly."""
        if self.targets[priority][2] != "business":
            return start + amount
        day, left = start.date(), amount
        while True:
            if day not in self.holidays:
                midnight = datetime.combine(day, time())
                for opens, closes in sorted(self.hours.get(day.isoweekday(), [])):
                    begin = max(start, midnight + opens)
                    if begin < midnight + closes:
                        if left <= midnight + closes - begin:
                            return begin + left
                        left -= midnight + closes - begin
            day += timedelta(days=1)

    def sla(self, priority: str, kind: str, created: datetime, event: datetime | None,
            as_of: datetime) -> str:
        """Contract 3.4: met, breached or pending as of as_of, on the priority's clock."""
        target = self.targets[priority][0 if kind == "first_response" else 1]
        if event is not None:
            return "met" if self.elapsed(priority, created, event) <= target else "breached"
        return "breached" if self.elapsed(priority, created, as_of) > target else "pending"

"""Progress of a generation: one line on stderr with the rows written of each
table against its total, the rate and the time left.

On a terminal the line is rewritten in place after every block; elsewhere (a
log file, the benchmark's output) a new line is printed at most every
`every` seconds, and once at the end.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def short_count(n: float) -> str:
    """1234 -> 1.2k, 2500000 -> 2.5M."""
    for size, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= size:
            return f"{n / size:.1f}{unit}"
    return f"{n:.0f}"


def duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


class Progress:
    def __init__(
        self,
        totals: dict[str, int],
        enabled: bool = True,
        stream: TextIO | None = None,
        every: float = 10.0,
    ) -> None:
        self.totals = totals
        self.written = dict.fromkeys(totals, 0)
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.every = every
        self.started = time.perf_counter()
        self._printed = self.started
        self._live = enabled and self.stream.isatty()

    def line(self) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        done, total = sum(self.written.values()), sum(self.totals.values())
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0.0
        tables = "  ".join(
            f"{name} {short_count(self.written[name])}/{short_count(self.totals[name])}"
            for name in self.totals
        )
        return (
            f"  {tables} | {done / max(total, 1):4.0%} | {short_count(rate)} rows/s"
            f" | elapsed {duration(elapsed)} | ETA {duration(left)}"
        )

    def add(self, table: str, rows: int) -> None:
        self.written[table] = self.written.get(table, 0) + rows
        if not self.enabled:
            return
        now = time.perf_counter()
        if self._live:
            self.stream.write("\r\033[K" + self.line())
            self.stream.flush()
        elif now - self._printed >= self.every:
            print(self.line(), file=self.stream, flush=True)
            self._printed = now

    def close(self) -> None:
        if not self.enabled:
            return
        if self._live:
            self.stream.write("\r\033[K")
        print(self.line(), file=self.stream, flush=True)

"""Progress of a generation on stderr."""

from __future__ import annotations

import sys
import time


class Progress:
    """One line per table on stderr, with the elapsed time."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()

    def table(self, name: str, rows: int) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            print(f"  {name:<17} {rows:>12,} rows   {elapsed:7.1f} s", file=sys.stderr)

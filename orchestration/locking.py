"""A cross-process lock on a file (POSIX flock; a no-op where flock is missing)."""

import contextlib
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created when missing) for the block."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; concurrent writers are not serialised there
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

"""The raw data a benchmark builds from: the scale's generated folder (made when
missing or stale) or the bundled demo set, and how results name them."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

from cs_analytics import generate
from cs_analytics.raw.files import RawFileError, find_raw_file
from cs_analytics.raw.tables import SOURCES_FILE, raw_tables, table_names
from cs_analytics.settings import PROJECT_ROOT

DEMO_DIR = PROJECT_ROOT / "data" / "demo"


def display_path(path: Path) -> str:
    """A path relative to the project root when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def raw_file(raw_dir: Path, table: str) -> Path | None:
    """The table's file, found as the build finds it (None when absent)."""
    try:
        return find_raw_file(raw_dir, raw_tables()[table])
    except RawFileError:
        return None


def data_label(scale_name: str, file_format: str) -> str:
    """`<scale>-<format>`: the name of everything one scale and format produce."""
    return f"{scale_name}-{file_format}"


def generator_fingerprint() -> str:
    """A hash of the generator's code and of the sources YAML it writes from."""
    package = Path(generate.__file__).parent
    digest = hashlib.sha256()
    for path in [*sorted(package.glob("*.py")), SOURCES_FILE]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_data(
    scale: generate.Scale, work_dir: Path, seed: int, file_format: str, long_open: bool = False
) -> tuple[Path, float | None]:
    """The raw folder of the scale and format, generated when missing; and generation seconds.

    Each scale and format has its own folder, `<work_dir>/<scale>-<format>/`,
    and a stamp beside it with the generator's arguments and a fingerprint of
    its code: a folder whose stamp differs is generated again. S in the demo's
    format is the demo itself. With long_open (tickets open for months), the
    folder is `<scale>-<format>-long-open/`.
    """
    if scale.name == "S" and file_format == generate.SCALES["S"].file_format and not long_open:
        return DEMO_DIR, None
    label = data_label(scale.name, file_format) + ("-long-open" if long_open else "")
    raw_dir = work_dir / label
    wanted = {
        "scale": scale.name,
        "seed": seed,
        "format": file_format,
        "bad_rows": True,
        "start": scale.start.isoformat(),
        "block_customers": generate.BLOCK_CUSTOMERS,
        "generator": generator_fingerprint(),
        **({"long_open": True} if long_open else {}),
    }
    stamp = work_dir / f"{label}.generated.json"
    present = all(raw_file(raw_dir, table) for table in table_names())
    if present and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return raw_dir, None
    print(f"generating {label} into {display_path(raw_dir)}", file=sys.stderr)
    stamp.unlink(missing_ok=True)
    started = time.perf_counter()
    generate.generate(
        raw_dir, scale, seed=seed, file_format=file_format, bad_rows=True, progress=True,
        long_open=long_open,
    )
    stamp.write_text(json.dumps(wanted, indent=2) + "\n")
    return raw_dir, time.perf_counter() - started



def raw_format(raw_dir: Path) -> str | None:
    """The format of the raw files in a folder (that of the first table found)."""
    for table in table_names():
        path = raw_file(raw_dir, table)
        if path is not None:
            return path.suffix[1:]
    return None

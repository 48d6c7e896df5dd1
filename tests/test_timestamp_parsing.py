"""The DuckDB timestamp parser (regex, then DuckDB's casts) must agree with
the portable one (regex, then explicit offset arithmetic) on every form of
contract section 5: both are compiled from the project's macros and run on
thousands of generated timestamps."""

from __future__ import annotations

import random

import duckdb
import pytest
from conftest import run_dbt

QUERY = (
    "select x, {{ cs_analytics.duckdb__parse_iso_timestamp('x') }} as fast, "
    "{{ cs_analytics.default__parse_iso_timestamp('x') }} as portable from fuzz"
)


def generated_timestamps(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    values = []
    for _ in range(count):
        day = f"{rng.randint(1990, 2030):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 31):02d}"
        clock = rng.choice(["", " {h}:{m}", "T{h}:{m}", " {h}:{m}:{s}", "T{h}:{m}:{s}",
                            " {h}:{m}:{s}.{f}", "T{h}:{m}:{s}.{f}"])
        clock = clock.format(h=f"{rng.randint(0, 23):02d}", m=f"{rng.randint(0, 59):02d}",
                             s=f"{rng.randint(0, 59):02d}",
                             f=str(rng.randint(0, 999999)).zfill(6)[: rng.randint(1, 6)])
        offset = rng.choice(["", "Z", "+{h}:{m}", "-{h}:{m}", "+{h}{m}", "-{h}{m}", "+{h}", "-{h}"])
        offset = offset.format(h=f"{rng.randint(0, 14):02d}", m=rng.choice(["00", "30", "45"]))
        values.append(day + clock + offset)
    return values + ["2025-03-01 24:00:00", "2025-02-30", "2025-03-01 10:60", "yesterday",
                     "2025-03-01Z", "2025-03-01+07", "2025-03-01T10:00:00.1234567"]


@pytest.fixture(scope="module")
def compiled_query(tmp_path_factory: pytest.TempPathFactory) -> str:
    from conftest import WORKED_EXAMPLE_RAW

    _, result = run_dbt(["compile", "--quiet", "--inline", QUERY],
                        tmp_path_factory.mktemp("compile"), WORKED_EXAMPLE_RAW)
    assert result.returncode == 0, result.stdout[-3000:]
    sql = result.stdout.strip()
    assert sql.startswith("select x,"), sql[:500]
    return sql


def test_fast_and_portable_timestamp_parsers_agree(compiled_query: str) -> None:
    values = generated_timestamps(20000, seed=1)
    with duckdb.connect() as con:
        con.execute("create table fuzz as select unnest(?) as x", [values])
        rows = con.execute(compiled_query).fetchall()
    assert len(rows) == len(values)
    assert sum(fast is not None for _, fast, _ in rows) > 19000
    assert [row for row in rows if row[1] != row[2]] == []
    parsed = {x: fast for x, fast, _ in rows}
    assert parsed["2025-03-01 24:00:00"] is None and parsed["yesterday"] is None
    assert parsed["2025-02-30"] is None and parsed["2025-03-01T10:00:00.1234567"] is None
    assert str(parsed["2025-03-01Z"]) == "2025-03-01 07:00:00"
    assert str(parsed["2025-03-01+07"]) == "2025-03-01 00:00:00"

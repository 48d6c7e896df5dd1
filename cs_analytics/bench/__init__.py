"""Benchmark of the full `dbt build` at one scale of generated data.

`python -m cs_analytics.bench --scale M [--format csv]` (or
`make bench SCALE=M FORMAT=csv`):

1. generates the raw files of the scale and format into
   `bench/data/<scale>-<format>/` when they are missing (S in CSV is the
   bundled demo set, `data/demo/`) — `data.py`;
2. measures the floor: the time DuckDB alone takes, in this process, to read
   every raw file with its own default reader (read_csv, read_parquet) and
   cast the typed columns; and beside it the "reader cost", the same through
   the project's reader (row numbers, text by position) — `floor.py`;
3. runs `dbt build` on the S set (the fixed overhead), then on the scale,
   each `--repeat` times (default 3 for M and L, 1 for S and XL) into a fresh
   warehouse and target folder under `bench/data/runs/`, polling the resident
   memory of the dbt process tree — `builds.py`;
4. times the rest of the nightly job on the built warehouse: the Great
   Expectations gates and the publish step (`python -m orchestration.timings`)
   and the report — `steps.py`;
5. prints the median and range of the builds, the ratio to the (bare) floor, the
   peak memory and the time of every model in the median build, and writes
   `bench/results/<scale>-<format>-<UTC time>.json`, plus
   `bench/results/<scale>-<format>-latest.json` when every build succeeded —
   `results.py`, `display.py`. `bench/results/` is build output, ignored by git.

`--target spark` builds the same data on local Spark and on DuckDB and
compares them (`spark.py`). `--baseline REF` also builds the project of
another commit on the same data in the same run, and `--long-open` generates
tickets that stay open for months: the business-time cost rule
(`baseline.py`, docs/performance.md). `machine.py` records where it ran; `cli.py` is the
command line.

DuckDB's threads, memory limit and preserve_insertion_order come from
CS_DUCKDB_THREADS, CS_DUCKDB_MEMORY_LIMIT and CS_DUCKDB_PRESERVE_INSERTION_ORDER
(defaults in cs_analytics/settings.py), as in the dbt profile, for the floor
too. The limits of docs/performance.md are printed beside the measured values,
never asserted and never reported as results.
"""

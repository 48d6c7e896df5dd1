"""The raw export: how the project finds, checks and reads the raw files.

- `tables`: the raw tables as models/staging/_raw__sources.yml describes them;
- `macros`: the macros of macros/raw/ rendered from Python (the one definition
  of the refusal sentences, the section 6 checks and the value grammar);
- `export_settings`: the section 6 vars of a run, checked by that macro;
- `files`: which file holds each table and which of its columns are the
  contract's; `file_checks`: the checks of a file's bytes and header row;
- `reader`: the SQL with which DuckDB reads a table;
- `dbt_plugin`: the dbt-duckdb plugin that gives dbt's macros that reader;
- `preflight`: `make check-raw`, a new export checked before its first build.
"""

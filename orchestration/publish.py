"""Write, audit, publish: swap a checked copy of the work database in for BI.

BI tools read only the published files, never the work database dbt writes:

- `cs_analytics.duckdb` (CS_PUBLISHED_PATH): the marts and
  audit.source_reconciliation copied from the work database (staging and the
  quarantined raw records hold personal data and stay behind) into a temporary
  file of the same folder, in the storage format DuckDB 1.4 reads and with the
  contract's definitions as comments (orchestration/snapshot_docs.py),
  swapped in with `os.replace`, an atomic rename. A
  reader that has the old file open keeps reading the old snapshot (its inode
  stays alive) and its next connection sees the new one; nobody ever sees half
  a file.
- `parquet/<mart>.parquet`: `parquet` is a symbolic link to a folder written in
  full beforehand (`.parquet-<stamp>`); the link is replaced atomically too.
  Where symbolic links are not available, the folder itself is renamed.
- `snapshot.json`: what is published (run id, time, rows per mart).

Nothing here runs unless every blocking check of the run passed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from cs_analytics.sql import quote_identifier, quote_literal
from cs_analytics.warehouse.connection import connect
from orchestration.snapshot_docs import apply_docs, attach_snapshot, docs_from_catalog

PARQUET_VERSION_PREFIX = ".parquet-"
MARTS_SCHEMA = "marts"
# Published beside the marts: counts only. audit.rejected_rows is not published:
# its raw_record holds the raw rows, personal data included.
EXTRA_TABLES: tuple[tuple[str, str], ...] = (("audit", "source_reconciliation"),)


class PublishError(Exception):
    """The work database cannot be published as it is."""


@dataclass(frozen=True)
class PublishResult:
    published_path: Path
    parquet_dir: Path
    rows_by_mart: dict[str, int]
    size_bytes: int
    published_at: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not supported (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so that a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def append_json_line(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON object as a line (one write call, so lines never interleave)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, default=str, ensure_ascii=False) + "\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)


def published_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    """(schema, table) of what BI gets: every mart, plus the reconciliation counts."""
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = ? order by table_schema desc, table_name",
        [catalog],
    ).fetchall()
    return [
        (schema, table)
        for schema, table in rows
        if schema == MARTS_SCHEMA or (schema, table) in EXTRA_TABLES
    ]


def _write_snapshot(work_db: Path, snapshot: Path) -> list[tuple[str, str]]:
    """Copy the published tables (no staging, no raw records: no personal data) from the
    work database into a new database file that DuckDB 1.4 reads, with their comments."""
    con = connect()
    try:
        con.execute(f"attach {quote_literal(str(work_db))} as work (read_only)")
        attach_snapshot(con, snapshot, "snapshot")
        tables = published_tables(con, "work")
        if not any(schema == MARTS_SCHEMA for schema, _ in tables):
            raise PublishError(
                f"The work database {work_db} has no table in the schema marts: "
                "run the dbt build before publishing."
            )
        for schema in sorted({schema for schema, _ in tables}):
            con.execute(f"create schema snapshot.{quote_identifier(schema)}")
        for schema, table in tables:
            relation = f"{quote_identifier(schema)}.{quote_identifier(table)}"
            con.execute(f"create table snapshot.{relation} as select * from work.{relation}")
        apply_docs(con, "snapshot", docs_from_catalog(con, "work", tables))
        con.execute("checkpoint snapshot")
        con.execute("detach snapshot")
        con.execute("detach work")
    finally:
        con.close()
    return tables


def _export_parquet(con: duckdb.DuckDBPyConnection, marts: list[str], folder: Path) -> dict:
    folder.mkdir(parents=True)
    rows: dict[str, int] = {}
    for mart in marts:
        relation = f"{MARTS_SCHEMA}.{quote_identifier(mart)}"
        target = folder / f"{mart}.parquet"
        con.execute(
            f"copy (select * from {relation}) to {quote_literal(str(target))} "
            "(format parquet, compression zstd)"
        )
        (count,) = con.execute(f"select count(*) from {relation}").fetchone() or (0,)
        rows[mart] = int(count)
    return rows


def _swap_parquet_folder(link: Path, new_folder: Path, token: str) -> None:
    """Point `link` at `new_folder` atomically; keep the previous version for open readers."""
    previous: Path | None = None
    if link.is_symlink():
        previous = link.parent / os.readlink(link)
    tmp_link = link.with_name(f".{link.name}.{token}.link")
    try:
        os.symlink(new_folder.name, tmp_link, target_is_directory=True)
    except (OSError, NotImplementedError):
        _rename_parquet_folder(link, new_folder, token)
        return
    if link.exists() and not link.is_symlink():
        # A real folder from an earlier layout: move it aside first.
        os.replace(link, link.with_name(f"{PARQUET_VERSION_PREFIX}legacy-{token}"))
    os.replace(tmp_link, link)
    keep = {new_folder.name, previous.name if previous else ""}
    for old in link.parent.glob(f"{PARQUET_VERSION_PREFIX}*"):
        if old.is_dir() and old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _rename_parquet_folder(link: Path, new_folder: Path, token: str) -> None:
    old = link.with_name(f"{PARQUET_VERSION_PREFIX}old-{token}")
    if link.exists():
        os.replace(link, old)
    os.replace(new_folder, link)
    shutil.rmtree(old, ignore_errors=True)


def publish_snapshot(
    work_db: Path,
    published_path: Path,
    parquet_link: Path,
    snapshot_info_path: Path,
    run_id: str,
) -> PublishResult:
    """Publish the marts of the work database atomically, with one Parquet file per mart."""
    if not work_db.is_file():
        raise PublishError(
            f"The work database {work_db} does not exist: run the dbt build before publishing."
        )
    if published_path.resolve() == work_db.resolve():
        raise PublishError(
            f"CS_PUBLISHED_PATH and CS_WAREHOUSE_PATH are both {work_db}: BI must read a "
            "published copy, so give CS_PUBLISHED_PATH another path."
        )

    def write(tmp_db: Path, parquet_folder: Path) -> dict[str, int]:
        tables = _write_snapshot(work_db, tmp_db)
        con = connect(tmp_db, read_only=True)
        try:
            marts = [table for schema, table in tables if schema == MARTS_SCHEMA]
            return _export_parquet(con, marts, parquet_folder)
        finally:
            con.close()

    return publish_versions(write, published_path, parquet_link, snapshot_info_path, run_id)


def publish_versions(
    write: Callable[[Path, Path], dict[str, int]],
    published_path: Path,
    parquet_link: Path,
    snapshot_info_path: Path,
    run_id: str,
    info: dict[str, str] | None = None,
) -> PublishResult:
    """The swap every engine shares: `write(tmp_db, parquet_folder)` fills a new
    snapshot file and a new Parquet version folder and returns the rows per mart;
    both are then swapped in atomically. On any error the previous snapshot and
    Parquet folder stay as they were, and the new ones are removed."""
    published_dir = published_path.parent
    published_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    token = f"{stamp}-{run_id[:8]}-{uuid.uuid4().hex[:6]}"
    tmp_db = published_dir / f".{published_path.name}.{token}.tmp"
    parquet_folder = published_dir / f"{PARQUET_VERSION_PREFIX}{token}"

    try:
        rows = write(tmp_db, parquet_folder)
        _fsync_file(tmp_db)
        # A write-ahead log left beside the old snapshot (someone opened it
        # read-write) would be replayed onto the new file: drop it first.
        Path(f"{published_path}.wal").unlink(missing_ok=True)
        os.replace(tmp_db, published_path)
        _fsync_dir(published_dir)
        _swap_parquet_folder(parquet_link, parquet_folder, token)
    except BaseException:
        tmp_db.unlink(missing_ok=True)
        Path(f"{tmp_db}.wal").unlink(missing_ok=True)
        if parquet_folder.exists() and not (
            parquet_link.is_symlink() and os.readlink(parquet_link) == parquet_folder.name
        ):
            shutil.rmtree(parquet_folder, ignore_errors=True)
        raise
    published_at = _now()
    size = published_path.stat().st_size
    write_json_atomic(
        snapshot_info_path,
        {
            "run_id": run_id,
            "published_at": published_at,
            "database": str(published_path),
            "parquet_dir": str(parquet_link),
            **(info or {}),
            "size_bytes": size,
            "rows_by_mart": rows,
        },
    )
    return PublishResult(
        published_path=published_path,
        parquet_dir=parquet_link,
        rows_by_mart=rows,
        size_bytes=size,
        published_at=published_at,
    )


def record_failure(path: Path, run_id: str, job_name: str, step: str, error: str) -> None:
    """Add a failed step to last_failure.json (one file per failed run, latest run wins)."""
    failures: list[dict[str, str]] = []
    if path.is_file():
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))
            if previous.get("run_id") == run_id:
                failures = list(previous.get("failures", []))
        except (OSError, ValueError):
            failures = []
    failures.append({"step": step, "error": error})
    write_json_atomic(
        path,
        {
            "run_id": run_id,
            "job": job_name,
            "failed_at": _now(),
            "published_snapshot_untouched": True,
            "failures": failures,
        },
    )

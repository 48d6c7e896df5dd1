"""Read what the report shows from a built warehouse, read-only.

The marts are read as they are (long form, one row per grain and period); the
report computes no KPI of its own, except the team rows of the scorecard, which
are the agents' rows added up with the same weights the marts use (tickets
resolved for the resolution measures, CSAT responses for the CSAT rate).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from cs_analytics.report import service_retention, service_time
from cs_analytics.settings import PUBLISHED_PATH, WAREHOUSE_PATH
from cs_analytics.warehouse.connection import table_exists

GRAINS = ("week", "month", "quarter", "year")
PERIOD_MARTS = ("customer_retention", "revenue", "nps", "csat", "support_kpis")
# The mart whose period spine decides the latest complete period (every period
# mart has the same spine, intermediate.int_periods: dbt's period_spine_complete
# tests check it).
SPINE_MART = "customer_retention"
LIFECYCLE_STAGES = ("prospect", "new", "active", "at_risk", "churned")
LOYALTY_TIERS = ("none", "one_time", "repeat", "loyal")
QUALITY_GATES_FILE = "quality_gates.json"
SNAPSHOT_FILE = "snapshot.json"
LAST_FAILURE_FILE = "last_failure.json"


class ReportDataError(Exception):
    """The warehouse cannot be read for the report."""


@dataclass(frozen=True)
class Sources:
    """Where the report reads from."""

    database: Path
    work_db: Path | None
    published_dir: Path


@dataclass
class WarehouseData:
    """Everything the page shows, as JSON-ready rows."""

    source_kind: str  # "published" or "work"
    source_path: str
    marts: dict[str, list[dict[str, Any]]]
    latest: dict[str, dict[str, Any]]  # grain -> latest complete and previous period
    lifecycle_stages: list[dict[str, Any]]
    loyalty_tiers: list[dict[str, Any]]
    agent_scorecard: list[dict[str, Any]]
    team_scorecard: list[dict[str, Any]]
    source_reconciliation: list[dict[str, Any]]
    rejected_rows: list[dict[str, Any]] | None
    quality_gates: dict[str, Any] | None = None
    sla_clocks: dict[str, str] = field(default_factory=dict)  # priority -> SLA clock
    snapshot: dict[str, Any] | None = None
    last_failure: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


def resolve_sources(
    warehouse: Path | None = None, environ: Mapping[str, str] | None = None
) -> Sources:
    """The published snapshot when there is one, else the work warehouse; `warehouse`
    overrides both. Paths from the environment (defaults: cs_analytics/settings.py) are
    relative to the project root."""
    work_db = WAREHOUSE_PATH.path(environ)
    published = PUBLISHED_PATH.path(environ)
    if warehouse is not None:
        database = warehouse
    elif published.is_file():
        database = published
    else:
        database = work_db
    return Sources(database=database, work_db=work_db, published_dir=published.parent)


def to_json_value(value: Any) -> Any:
    """DuckDB values as JSON: dates as ISO strings, decimals as floats."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def fetch_rows(
    con: duckdb.DuckDBPyConnection, sql: str, parameters: list[Any] | None = None
) -> list[dict[str, Any]]:
    cursor = con.execute(sql, parameters or [])
    names = [column[0] for column in cursor.description]
    return [
        {name: to_json_value(value) for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file read-only, or say in one sentence why it cannot be."""
    if not path.is_file():
        raise ReportDataError(
            f"No warehouse at {path}: run `make run` (or `dbt build`) first, or pass --warehouse."
        )
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise ReportDataError(
            f"Cannot open {path} read-only ({error}): close the program holding it and retry."
        ) from error


def period_rows(con: duckdb.DuckDBPyConnection, mart: str) -> list[dict[str, Any]]:
    return fetch_rows(
        con,
        f"select * from marts.{mart} order by "  # noqa: S608 - mart names are constants
        "case period_grain when 'week' then 1 when 'month' then 2 when 'quarter' then 3 "
        "else 4 end, period_start",
    )


def latest_periods(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per grain: the last complete period and the one before it (the spine has no gaps)."""
    latest: dict[str, dict[str, Any]] = {}
    for grain in GRAINS:
        periods = [row for row in rows if row["period_grain"] == grain]
        complete = [index for index, row in enumerate(periods) if row["is_complete"]]
        if not complete:
            latest[grain] = {"period_start": None, "period_end": None, "previous_start": None}
            continue
        index = complete[-1]
        latest[grain] = {
            "period_start": periods[index]["period_start"],
            "period_end": periods[index]["period_end"],
            "previous_start": periods[index - 1]["period_start"] if index > 0 else None,
        }
    return latest


def count_by(
    con: duckdb.DuckDBPyConnection, column: str, order: tuple[str, ...]
) -> list[dict[str, Any]]:
    counts = dict(
        con.execute(
            f"select {column}, count(*) from marts.dim_customers group by 1"  # noqa: S608
        ).fetchall()
    )
    keys = [*order, *sorted(str(key) for key in counts if key not in order)]
    return [{"key": key, "customers": int(counts.get(key, 0))} for key in keys]


LATEST_FILTER = """
    where (period_grain, period_start) in (
        select period_grain, max(period_start) from marts.{spine}
        where is_complete group by period_grain
    )
"""

TEAM_SQL = """
select
    period_grain,
    period_start,
    period_end,
    team,
    count(*) as agents,
    sum(tickets_assigned) as tickets_assigned,
    sum(tickets_resolved) as tickets_resolved,
    sum(fcr_rate * tickets_resolved) / nullif(sum(tickets_resolved), 0) as fcr_rate,
    sum(avg_resolution_hours * tickets_resolved)
        / nullif(sum(tickets_resolved), 0) as avg_resolution_hours,
    sum(resolution_sla_rate * tickets_resolved)
        / nullif(sum(tickets_resolved), 0) as resolution_sla_rate,
    sum(csat_responses) as csat_responses,
    sum(csat_rate * csat_responses) / nullif(sum(csat_responses), 0) as csat_rate
from marts.agent_scorecard
{latest}
group by all
order by period_grain, team
"""


def rejected_counts(
    con: duckdb.DuckDBPyConnection,
) -> list[dict[str, Any]]:
    return fetch_rows(
        con,
        "select source_table, reason, count(*) as rows from audit.rejected_rows "
        "group by all order by source_table, rows desc, reason",
    )


def rejected_from_work_db(sources: Sources, database_has_them: bool, con: Any) -> Any:
    """The rejected rows by table and reason: from the database read when it is the work
    database, else from the work database beside it when it can be opened."""
    if database_has_them:
        return rejected_counts(con)
    work = sources.work_db
    if work is None or not work.is_file() or work.resolve() == sources.database.resolve():
        return None
    try:
        with duckdb.connect(str(work), read_only=True) as work_con:
            if not table_exists(work_con, "audit", "rejected_rows"):
                return None
            return rejected_counts(work_con)
    except duckdb.Error:
        return None


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load(sources: Sources) -> WarehouseData:
    """Read every mart the report shows, plus the nightly run's files beside the snapshot."""
    with connect_read_only(sources.database) as con:
        missing = [mart for mart in PERIOD_MARTS if not table_exists(con, "marts", mart)]
        if missing:
            raise ReportDataError(
                f"{sources.database} has no marts.{missing[0]}: it is not a built warehouse; "
                "run `make run` (or `dbt build`) first."
            )
        marts = {mart: period_rows(con, mart) for mart in PERIOD_MARTS}
        # A warehouse built before the mart existed has none: its section says so.
        has_service = table_exists(con, "marts", service_retention.MART)
        marts[service_retention.MART] = service_retention.read(con) if has_service else []
        marts["cohort_retention"] = fetch_rows(
            con,
            "select cohort_month, month_offset, cohort_size, active_customers, "
            "retention_rate, revenue from marts.cohort_retention order by 1, 2",
        )
        latest_filter = LATEST_FILTER.format(spine=SPINE_MART)
        agents = fetch_rows(
            con,
            "select period_grain, period_start, period_end, agent_id, agent_name, team, "
            "tickets_assigned, tickets_resolved, fcr_rate, avg_resolution_hours, "
            "resolution_sla_rate, csat_responses, csat_rate from marts.agent_scorecard "
            f"{latest_filter} order by period_grain, agent_id",
        )
        teams = fetch_rows(con, TEAM_SQL.format(latest=latest_filter))
        has_rejected = table_exists(con, "audit", "rejected_rows")
        data = WarehouseData(
            source_kind="work" if has_rejected else "published",
            source_path=str(sources.database),
            marts=marts,
            latest=latest_periods(marts[SPINE_MART]),
            lifecycle_stages=count_by(con, "lifecycle_stage", LIFECYCLE_STAGES),
            loyalty_tiers=count_by(con, "loyalty_tier", LOYALTY_TIERS),
            agent_scorecard=agents,
            team_scorecard=teams,
            source_reconciliation=fetch_rows(
                con,
                "select source_table, raw_rows, valid_rows, duplicate_rows, rejected_rows, "
                "rejected_share from audit.source_reconciliation order by source_table",
            ),
            rejected_rows=rejected_from_work_db(sources, has_rejected, con),
            sla_clocks=service_time.sla_clocks(con),
        )
    data.quality_gates = read_json(sources.published_dir / QUALITY_GATES_FILE)
    data.snapshot = read_json(sources.published_dir / SNAPSHOT_FILE)
    data.last_failure = read_json(sources.published_dir / LAST_FAILURE_FILE)
    return data

"""Print a short summary of a built warehouse: rows per mart, quarantined
rows per source table and reason, and the headline KPIs of the latest
complete month.

Usage: python -m cs_analytics.warehouse.summary [--warehouse PATH]
(default: $CS_WAREHOUSE_PATH or warehouse/cs_analytics.duckdb; with
CS_TARGET=spark, the Parquet folders of $CS_SPARK_WAREHOUSE_DIR)
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import duckdb

from cs_analytics.settings import WAREHOUSE_PATH, project_path, spark_target
from cs_analytics.warehouse.connection import table_exists
from cs_analytics.warehouse.spark import create_views, spark_warehouse_dir

# (label, mart, column, format)
HEADLINES: list[tuple[str, str, str, str]] = [
    ("Active customers at month end", "customer_retention", "customers_end", "{:,.0f}"),
    ("New customers", "customer_retention", "new_customers", "{:,.0f}"),
    ("Retention rate", "customer_retention", "retention_rate", "{:.1%}"),
    ("Churn rate", "customer_retention", "churn_rate", "{:.1%}"),
    ("Revenue", "revenue", "revenue", "{:,.2f}"),
    ("Returning revenue share", "revenue", "returning_revenue_share", "{:.1%}"),
    ("Average order value", "revenue", "avg_order_value", "{:,.2f}"),
    ("NPS", "nps", "nps", "{:+.1f}"),
    ("CSAT rate", "csat", "csat_rate", "{:.1%}"),
    ("First contact resolution", "support_kpis", "fcr_rate", "{:.1%}"),
    ("Average resolution hours", "support_kpis", "avg_resolution_hours", "{:,.1f}"),
    ("Backlog at month end", "support_kpis", "backlog_end", "{:,.0f}"),
    ("First response SLA", "support_kpis", "first_response_sla_rate", "{:.1%}"),
    ("Resolution SLA", "support_kpis", "resolution_sla_rate", "{:.1%}"),
]


def fmt(value: Any, pattern: str) -> str:
    return "n/a" if value is None else pattern.format(float(value))


def summarise(con: duckdb.DuckDBPyConnection) -> list[str]:
    lines = ["Rows per mart:"]
    marts = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' order by table_name"
    ).fetchall()
    for (table,) in marts:
        count = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
        lines.append(f"  {table:<24} {count:>10,}")
    if not marts:
        lines.append("  (none yet)")

    if table_exists(con, "audit", "source_reconciliation"):
        lines.append("Raw rows per source table (valid / duplicate / rejected):")
        for table, raw, valid, duplicate, rejected in con.execute(
            "select source_table, raw_rows, valid_rows, duplicate_rows, rejected_rows "
            "from audit.source_reconciliation order by source_table"
        ).fetchall():
            lines.append(
                f"  {table:<24} {raw:>10,} = {valid:,} / {duplicate:,} / {rejected:,}"
            )
    if table_exists(con, "audit", "rejected_rows"):
        reasons = con.execute(
            "select source_table, reason, count(*) from audit.rejected_rows "
            "group by all order by source_table, count(*) desc, reason"
        ).fetchall()
        if reasons:
            lines.append("Quarantined rows by reason (all in audit.rejected_rows):")
            lines += [f"  {table:<24} {reason:<26} {count:>8,}" for table, reason, count in reasons]

    if not table_exists(con, "marts", "revenue"):
        return lines
    month = con.execute(
        "select max(period_start) from marts.revenue "
        "where period_grain = 'month' and is_complete"
    ).fetchone()[0]
    if month is None:
        lines.append("No complete month yet: no headline KPIs.")
        return lines
    lines.append(f"Headline KPIs, {month:%B %Y} (latest complete month):")
    for label, mart, column, pattern in HEADLINES:
        row = con.execute(
            f"select {column} from marts.{mart} "
            "where period_grain = 'month' and period_start = ?",
            [month],
        ).fetchone()
        lines.append(f"  {label:<32} {fmt(row[0] if row else None, pattern):>14}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse",
        default=WAREHOUSE_PATH.value(),
        help=f"DuckDB file of the warehouse (default ${WAREHOUSE_PATH.name}, else "
        f"{WAREHOUSE_PATH.default})",
    )
    args = parser.parse_args(argv)
    if spark_target():
        spark_dir = spark_warehouse_dir()
        with duckdb.connect() as con:
            if not create_views(con, spark_dir):
                print(f"No Spark tables under {spark_dir}: run `CS_TARGET=spark make run` first.",
                      file=sys.stderr)
                return 1
            print("\n".join(summarise(con)))
        return 0
    path = project_path(args.warehouse)
    if not path.exists():
        print(f"No warehouse at {path}: run `make run` (or `dbt build`) first.", file=sys.stderr)
        return 1
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        print(f"Cannot open {path} ({error}): close the program holding it and retry.",
              file=sys.stderr)
        return 1
    with con:
        print("\n".join(summarise(con)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Assets, left to right: raw files -> staging -> intermediate -> marts -> published snapshot.

- The raw files are external assets keyed exactly as dagster-dbt keys the dbt
  source `raw` (`raw/<table>`), so the graph starts at them.
- Every dbt model and seed is an asset of one `@dbt_assets` definition, keyed
  `<schema>/<name>` and grouped by schema; dbt data tests are asset checks.
- `published_snapshot` copies the checked work database to the published path.
"""

import shutil
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Backoff,
    Config,
    Failure,
    Jitter,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
)
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)
from pydantic import Field

from cs_analytics.raw.tables import SOURCE_NAME as RAW_SOURCE_NAME
from cs_analytics.raw.tables import raw_tables
from cs_analytics.settings import RAW_DIR, spark_target
from cs_analytics.warehouse.connection import connect, is_lock_error
from cs_analytics.warehouse.spark import spark_warehouse_dir
from orchestration.project import dbt_project
from orchestration.publish import PublishError, publish_snapshot
from orchestration.resources import WarehouseResource
from orchestration.spark_publish import publish_spark_snapshot, refresh_work_views

# A locked database file (another process writing it) is worth waiting for; a
# failing dbt test or a bad raw file is not, and raises Failure(allow_retries=False).
TRANSIENT_RETRY = RetryPolicy(
    max_retries=3, delay=30, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS
)


class CsAnalyticsTranslator(DagsterDbtTranslator):
    """Models and seeds are keyed `<schema>/<name>` and grouped by schema (staging,
    intermediate, marts, audit); sources keep dagster-dbt's `<source>/<table>` key."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props.get("resource_type") in {"model", "seed", "snapshot"}:
            schema = dbt_resource_props.get("schema")
            if schema:
                return AssetKey([schema, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props.get("resource_type") == "source":
            return dbt_resource_props.get("source_name")
        return dbt_resource_props.get("schema") or super().get_group_name(dbt_resource_props)


translator = CsAnalyticsTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


class DbtBuildConfig(Config):
    dbt_vars: str = Field(
        default="",
        description="Passed to `dbt build --vars`, e.g. \"{as_of_date: '2025-06-30'}\"; the "
        "raw gates read the raw folder with the section 6 vars given here.",
    )


def ensure_writable(database: Path) -> None:
    """Fail (and so retry) early when another process holds the database's write lock."""
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        connect(database).close()
    except duckdb.Error as error:
        if is_lock_error(error):
            raise RuntimeError(
                f"The work database {database} is locked by another process: close it "
                "(BI tools must read the published snapshot instead); the step retries."
            ) from error
        raise


def prune_old_artifacts(target_dir: Path, op_name: str, keep_days: int = 7) -> None:
    """dagster-dbt gives every invocation its own artifact folder under the target path;
    keep a week of them."""
    cutoff = time.time() - keep_days * 86400
    for folder in target_dir.glob(f"{op_name}-*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    retry_policy=TRANSIENT_RETRY,
)
def cs_analytics_dbt_assets(
    context: AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
) -> Iterator[Any]:
    """`dbt build` into the work database: seeds, models and data tests. Unit tests
    check the code, not the night's data, and expect the default vars (a shop's
    section 6 vars change how their mocked rows parse): `make test` runs them."""
    ensure_writable(warehouse.work_db_path())
    args = ["build", "--exclude-resource-type", "unit_test"]
    if config.dbt_vars.strip():
        args += ["--vars", config.dbt_vars]
    invocation = dbt.cli(args, context=context, raise_on_error=False)
    yield from invocation.stream()
    prune_old_artifacts(invocation.target_path.parent, context.op_execution_context.op.name)
    error = invocation.get_error()
    if error is None:
        if spark_target():
            # The headline-KPI check reads the Spark tables through views in the
            # work database.
            refresh_work_views(spark_warehouse_dir(), warehouse.work_db_path())
        return
    text = str(error)
    if is_lock_error(error):
        raise RuntimeError(f"The work database is locked by another process: {text}")
    raise Failure(
        description=(
            "dbt build failed, so nothing is published: see the dbt errors below and "
            f"the failed asset checks.\n{text}"
        ),
        allow_retries=False,
    )


def dbt_vars_of_run(run_config: Mapping[str, Any]) -> str:
    """The `dbt_vars` the run gives the dbt step (DbtBuildConfig): the raw gates read
    the folder with the same vars as that `dbt build`."""
    op_config = (run_config.get("ops") or {}).get(cs_analytics_dbt_assets.op.name) or {}
    return str((op_config.get("config") or {}).get("dbt_vars") or "")


def keys_of_dbt_assets(group: str) -> dict[str, AssetKey]:
    """Name -> asset key of the dbt models (and seeds) in `group` (a schema), or of the
    dbt sources in `group` (`raw`: the keys the dbt assets depend on)."""
    keys = set(cs_analytics_dbt_assets.keys) | set(cs_analytics_dbt_assets.dependency_keys)
    in_group = sorted((key for key in keys if key.path[0] == group), key=lambda key: key.path)
    return {key.path[-1]: key for key in in_group}


MART_ASSET_KEYS = keys_of_dbt_assets("marts")
AUDIT_ASSET_KEYS = keys_of_dbt_assets("audit")
RAW_ASSET_KEYS = keys_of_dbt_assets(RAW_SOURCE_NAME)

raw_files = [
    AssetSpec(
        key=key,
        group_name=RAW_SOURCE_NAME,
        kinds={"file"},
        description=(
            f"The raw file `{table}.csv` or `{table}.parquet` in the folder ${RAW_DIR.name} "
            f"(default {RAW_DIR.default})"
            f"{'; it may be absent' if raw_tables()[table].optional_file else ''}, or no file "
            "when the dbt var absent_tables declares the table absent. Checked by the Great "
            "Expectations raw gate before dbt runs."
        ),
        metadata={"file_pattern": f"$CS_RAW_DIR/{table}.(csv|parquet)"},
    )
    for table, key in RAW_ASSET_KEYS.items()
]


@asset(
    key=AssetKey("published_snapshot"),
    group_name="published",
    deps=[*MART_ASSET_KEYS.values(), *AUDIT_ASSET_KEYS.values()],
    kinds={"duckdb", "parquet"},
    retry_policy=TRANSIENT_RETRY,
    description=(
        "The read-only snapshot BI tools read: $CS_PUBLISHED_PATH (default "
        "warehouse/published/cs_analytics.duckdb) and one Parquet file per mart in "
        "warehouse/published/parquet/. Swapped in atomically, only after every "
        "blocking check of the run passed."
    ),
)
def published_snapshot(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    try:
        if spark_target():
            # Spark: one Parquet folder per mart, and the snapshot made from them.
            result = publish_spark_snapshot(
                spark_dir=spark_warehouse_dir(),
                published_path=warehouse.published_path(),
                parquet_link=warehouse.parquet_dir(),
                snapshot_info_path=warehouse.snapshot_info_path(),
                run_id=context.run.run_id,
                manifest_path=dbt_project.manifest_path,
            )
        else:
            result = publish_snapshot(
                work_db=warehouse.work_db_path(),
                published_path=warehouse.published_path(),
                parquet_link=warehouse.parquet_dir(),
                snapshot_info_path=warehouse.snapshot_info_path(),
                run_id=context.run.run_id,
            )
    except PublishError as error:
        raise Failure(description=str(error), allow_retries=False) from error
    except duckdb.Error as error:
        if is_lock_error(error):
            raise
        raise Failure(
            description=f"Publishing failed, the previous snapshot is untouched: {error}",
            allow_retries=False,
        ) from error
    context.log.info(f"Published {result.published_path} ({len(result.rows_by_mart)} marts).")
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(result.published_path)),
            "parquet_dir": MetadataValue.path(str(result.parquet_dir)),
            "rows_by_mart": MetadataValue.json(result.rows_by_mart),
            "size_bytes": MetadataValue.int(result.size_bytes),
            "published_at": MetadataValue.text(result.published_at),
        }
    )

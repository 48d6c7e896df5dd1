"""What the Dagster tests share: a small raw export, a private environment (raw
folder, work database, published snapshot, profiles, Dagster home, all under a
pytest tmp dir) and helpers to run a job in-process and read its result.

The orchestration modules are imported once per process: the first test module
to import them binds the dbt project (DBT_TARGET_PATH, DBT_PROFILES_DIR); the
paths of the warehouse are read from the environment when each run starts.
"""

from __future__ import annotations

import hashlib
import importlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# A small, valid raw export (the shape of the contract's worked example).
RAW_FILES: dict[str, str] = {
    "agents.csv": """agent_id,agent_name,team
A1,Phạm Thu Hà,CSKH Hà Nội
A2,Võ Quốc Việt,
""",
    "customers.csv": """customer_id,full_name,email,phone,city,acquisition_channel,signed_up_at
KH1,Nguyễn Văn An,an@example.vn,0901000001,Hà Nội,Facebook,2024-12-20 10:00:00
KH2,Trần Thị Bình,binh@example.vn,0901000002,Đà Nẵng,,2025-01-02
KH3,Lê Minh Châu,chau@example.vn,0901000003,TP. Hồ Chí Minh,Zalo ,2025-01-15T09:00:00
""",
    "orders.csv": """order_id,customer_id,status,amount,ordered_at
O1,KH1,completed,100,2025-01-05 10:00:00
O2,KH2,Delivered,200,2025-01-20 12:00:00
O3,KH1, paid ,150,2025-02-10 09:00:00
O4,KH3,cancelled,50,2025-02-15 08:00:00
O5,KH1,COMPLETED,80,2025-03-31T20:00:00Z
O6,KH3,completed,120.00,2025-03-20 14:00:00
""",
    "survey_responses.csv": """response_id,survey_type,customer_id,ticket_id,score,\
submitted_at,comment
S1,nps,KH1,,10,2025-01-10 10:00:00,
S2,NPS,KH2,,6,2025-01-28 10:00:00,"Giao hàng chậm, cần cải thiện"
S3,csat,KH1,T1,5,2025-01-07 10:00:00,
S4,csat,KH2,T2,2,2025-02-03T02:00:00Z,
S5,nps,KH3,,9,2025-01-30 10:00:00.500,
""",
    "tickets.csv": """ticket_id,customer_id,agent_id,channel,category,priority,created_at,\
first_response_at,resolved_at,contact_count,reopen_count,wait_seconds
T1,KH1,A1,Phone,Giao hàng,high,2025-01-06 09:00:00,2025-01-06 09:30:00,2025-01-06 15:00:00,1,0,45
T2,KH2,A1,email,,URGENT,2025-01-25 10:00:00,2025-01-25 10:20:00,2025-02-02 10:00:00,2,0,
T3,KH9,A2,chat,thanh toán,,2025-02-12 08:00:00,2025-02-12T01:01:00Z,2025-02-12 09:00:00,1,1,90
T4,KH3,,zalo,đổi trả,low,2025-03-25 10:00:00,,,,,
""",
}

MARTS = {
    "customer_retention",
    "service_retention",
    "revenue",
    "cohort_retention",
    "dim_customers",
    "fct_orders",
    "nps",
    "csat",
    "support_kpis",
    "agent_scorecard",
    "fct_tickets",
    "fct_survey_responses",
}
RAW_TABLES = {"customers", "orders", "tickets", "survey_responses", "agents"}


def write_raw_folder(folder: Path, **replacements: str | None) -> Path:
    """The fixture raw folder; a keyword replaces a file's text (None removes the file)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {**RAW_FILES, **{f"{name}.csv": text for name, text in replacements.items()}}
    for name, text in files.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Env:
    root: Path
    raw_dir: Path
    work_db: Path
    published: Path
    dagster_home: Path

    @property
    def published_dir(self) -> Path:
        return self.published.parent


@contextmanager
def orchestration_env(root: Path, raw_dir: Path, dbt_manifest_dir: Path) -> Iterator[Env]:
    """Environment variables pointing Dagster and dbt at `root` (and at the
    session's parsed manifest) for the duration of the block."""
    profiles = root / "profiles"
    profiles.mkdir()
    shutil.copy(PROJECT_ROOT / "profiles.example.yml", profiles / "profiles.yml")
    dagster_home = root / "dagster_home"
    dagster_home.mkdir()
    shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", dagster_home / "dagster.yaml")
    env = Env(
        root=root,
        raw_dir=raw_dir,
        work_db=root / "warehouse" / "cs_analytics.duckdb",
        published=root / "warehouse" / "published" / "cs_analytics.duckdb",
        dagster_home=dagster_home,
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBT_PROFILES_DIR", str(profiles))
        patch.setenv("DBT_TARGET_PATH", str(dbt_manifest_dir))
        patch.setenv("CS_RAW_DIR", str(env.raw_dir))
        patch.setenv("CS_WAREHOUSE_PATH", str(env.work_db))
        patch.setenv("CS_PUBLISHED_PATH", str(env.published))
        patch.setenv("CS_DUCKDB_THREADS", "1")
        patch.setenv("DAGSTER_HOME", str(dagster_home))
        patch.delenv("DAGSTER_IS_DEV_CLI", raising=False)
        yield env


def import_orchestration() -> SimpleNamespace:
    """The orchestration modules (import them inside `orchestration_env`)."""
    names = ("project", "assets", "checks", "jobs", "schedules", "sensors", "definitions")
    return SimpleNamespace(
        **{name: importlib.import_module(f"orchestration.{name}") for name in names}
    )


def run_job(orch: SimpleNamespace, instance: Any, job_name: str, dbt_vars: str = "") -> Any:
    """Run a job in-process; `dbt_vars` is the dbt step's config (`dbt build --vars`)."""
    job = orch.definitions.defs.resolve_job_def(job_name)
    run_config = {}
    if dbt_vars:
        dbt_op = orch.assets.cs_analytics_dbt_assets.op.name
        run_config = {"ops": {dbt_op: {"config": {"dbt_vars": dbt_vars}}}}
    return job.execute_in_process(instance=instance, raise_on_error=False, run_config=run_config)


def started_steps(result: Any) -> set[str]:
    return {event.step_key for event in result.all_events if event.event_type_value == "STEP_START"}


def check_evaluations(result: Any) -> dict[str, Any]:
    """`<asset>:<check>` -> the evaluation, for every asset check of the run."""
    return {
        f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}": evaluation
        for evaluation in result.get_asset_check_evaluations()
    }


def failed_checks(result: Any) -> dict[str, Any]:
    return {name: check for name, check in check_evaluations(result).items() if not check.passed}

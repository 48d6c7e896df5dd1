"""Where a benchmark ran: the machine, and the DuckDB and dbt settings in use."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import psutil

from cs_analytics import settings

GB = 1024**3


@dataclass(frozen=True)
class BenchSettings:
    """The DuckDB and dbt settings the profile reads from the environment
    (cs_analytics/settings.py), for the builds and the floor alike."""

    duckdb_threads: str
    duckdb_memory_limit: str
    dbt_threads: str
    duckdb_preserve_insertion_order: str = "false"

    @classmethod
    def from_env(cls) -> BenchSettings:
        return cls(
            settings.DUCKDB_THREADS.value(),
            settings.DUCKDB_MEMORY_LIMIT.value(),
            settings.DBT_THREADS.value(),
            settings.DUCKDB_PRESERVE_INSERTION_ORDER.value(),
        )


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def cgroup_limits() -> dict[str, str]:
    """Container CPU and memory limits (cgroup v2), when the files exist."""
    limits = {}
    for name, file in (("cpu_max", "cpu.max"), ("memory_max", "memory.max")):
        path = Path("/sys/fs/cgroup") / file
        if path.exists():
            limits[name] = path.read_text().strip()
    return limits


def machine_info() -> dict[str, Any]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu_model": cpu_model(),
        "logical_cores": psutil.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "usable_cores": usable,
        "memory_total_gb": round(psutil.virtual_memory().total / GB, 1),
        **cgroup_limits(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": metadata.version("dbt-core"),
        "dbt_duckdb": metadata.version("dbt-duckdb"),
    }

"""The cost of a change in one run of the benchmark (docs/performance.md).

`make bench SCALE=L BASELINE=main` (`--baseline REF`) builds the project as
it is at the git commit REF, exported with `git archive` beside the
generated data, on the same raw folder and in the same run as the working
tree: the two medians and their relative difference are measured under the
same load. The business-time cost rule of contract section 7 (at most 10%
on the median L build) is read this way, with BASELINE the commit before
business time, and with `LONG_OPEN=1` on tickets that stay open for months.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from cs_analytics.bench.builds import BuildResult
from cs_analytics.bench.results import build_summary
from cs_analytics.settings import PROJECT_ROOT


class BaselineError(SystemExit):
    """A baseline that cannot be exported, said in one sentence."""


def export_project(ref: str, work_dir: Path) -> tuple[str, Path]:
    """The commit REF names and the folder holding its files (exported once)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=PROJECT_ROOT, check=True,
            capture_output=True, text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        raise BaselineError(
            f"--baseline {ref!r} is not a commit of this repository: give a branch, tag or "
            "commit (e.g. main)."
        ) from error
    folder = work_dir / "baseline" / commit[:12]
    if not (folder / "dbt_project.yml").is_file():
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit], cwd=PROJECT_ROOT, check=True,
            capture_output=True,
        ).stdout
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    return commit, folder


def cost(build: dict[str, Any], baseline: dict[str, Any]) -> float | None:
    """(median build - median baseline build) / median baseline build."""
    if not baseline["wall_seconds"]:
        return None
    return round((build["wall_seconds"] - baseline["wall_seconds"]) / baseline["wall_seconds"], 4)


def summary(ref: str, commit: str, build: BuildResult, baseline: BuildResult) -> dict[str, Any]:
    """The baseline's builds and the relative cost of the working tree, for the result."""
    built, base = build_summary(build), build_summary(baseline)
    return {"ref": ref, "commit": commit, "build": base, "cost": cost(built, base)}


def summary_line(result: dict[str, Any]) -> str:
    baseline = result["baseline"]
    change = "n/a" if baseline["cost"] is None else f"{baseline['cost']:+.1%}"
    return (
        f"  {'baseline ' + baseline['ref'] + ' (' + baseline['commit'][:8] + '), median (s)':<46}"
        f"{baseline['build']['wall_seconds']:>12.2f}   this tree {change}"
    )

"""The dbt project that Dagster orchestrates, and where its manifest lives.

The manifest is (re)built with `dbt parse` when `dagster dev` runs, when it is
missing (a fresh clone) or when a dbt source file is newer than it, so that
loading the definitions never needs a manual step.
"""

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

from orchestration.locking import exclusive_lock

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Files whose change makes a parsed manifest stale.
_DBT_SOURCE_FOLDERS = ("models", "macros", "seeds", "data-tests", "snapshots", "analyses")
_DBT_SOURCE_FILES = ("dbt_project.yml", "packages.yml", "dependencies.yml")


def profiles_dir() -> Path:
    """The folder holding profiles.yml: $DBT_PROFILES_DIR, else the project root."""
    configured = os.environ.get("DBT_PROFILES_DIR")
    folder = Path(configured) if configured else PROJECT_ROOT
    if not folder.is_absolute():
        folder = PROJECT_ROOT / folder
    if not (folder / "profiles.yml").is_file():
        raise FileNotFoundError(
            f"There is no profiles.yml in {folder}: run `make setup` (it copies "
            "profiles.example.yml to profiles.yml) or point DBT_PROFILES_DIR at a folder "
            "that has one."
        )
    return folder


def target_path() -> Path:
    """dbt's artifact folder: $DBT_TARGET_PATH (as dbt reads it), else `target`."""
    return Path(os.environ.get("DBT_TARGET_PATH", "target"))


def dbt_executable() -> str:
    """The dbt of this interpreter's environment (the venv need not be activated)."""
    beside = Path(sys.executable).parent / "dbt"
    if beside.is_file():
        return str(beside)
    found = shutil.which("dbt")
    if found:
        return found
    raise FileNotFoundError(
        "dbt is not installed in this environment: run `make setup` and start Dagster "
        "with .venv/bin/dagster (or activate .venv)."
    )


def _newest_source_mtime(project_dir: Path) -> float:
    newest = 0.0
    for name in _DBT_SOURCE_FILES:
        path = project_dir / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
    for folder in _DBT_SOURCE_FOLDERS:
        for path in (project_dir / folder).rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def manifest_is_stale(project: DbtProject) -> bool:
    """True when the manifest is missing or older than a dbt source file."""
    manifest = project.manifest_path
    if not manifest.is_file():
        return True
    return manifest.stat().st_mtime < _newest_source_mtime(project.project_dir)


def prepare_manifest(project: DbtProject) -> None:
    """`dbt parse`: what DbtProject.prepare_if_dev runs, with this environment's dbt."""
    DbtCliResource(project_dir=project, dbt_executable=dbt_executable()).cli(
        ["parse", "--quiet"], target_path=project.target_path
    ).wait()


def build_dbt_project() -> DbtProject:
    """The DbtProject, with a manifest ready to load: parsed again under `dagster dev`
    (like DbtProject.prepare_if_dev), on a fresh clone and after a dbt file changed.
    Processes loading the definitions at once (code server, runs) parse one at a time."""
    project = DbtProject(
        project_dir=PROJECT_ROOT,
        target_path=target_path(),
        profiles_dir=profiles_dir(),
    )
    if using_dagster_dev() or manifest_is_stale(project):
        manifest = project.manifest_path
        seen = manifest.stat().st_mtime if manifest.is_file() else 0.0
        with exclusive_lock(_lock_path(project)):
            parsed_meanwhile = manifest.is_file() and manifest.stat().st_mtime > seen
            if not parsed_meanwhile or manifest_is_stale(project):
                prepare_manifest(project)
    return project


def _lock_path(project: DbtProject) -> Path:
    return project.manifest_path.with_name("manifest.lock")


def load_manifest(project: DbtProject) -> dict[str, Any]:
    """The parsed manifest (read under the lock, never while another process writes it)."""
    with exclusive_lock(_lock_path(project)):
        return json.loads(project.manifest_path.read_text(encoding="utf-8"))


dbt_project = build_dbt_project()
dbt_manifest = load_manifest(dbt_project)

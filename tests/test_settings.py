"""cs_analytics/settings.py holds every environment default. dbt and make need
literal defaults of their own (profiles.example.yml, the raw macros, the
Makefile): each must be the one settings.py gives."""

from __future__ import annotations

import re

from conftest import PROJECT_ROOT

from cs_analytics import settings

BY_NAME = {setting.name: setting for setting in settings.SETTINGS}


def literal_defaults(text: str, pattern: str) -> list[tuple[str, str]]:
    return re.findall(pattern, text)


def test_dbt_reads_the_defaults_of_settings_py() -> None:
    env_var = r"env_var\('(CS_[A-Z_]+)', '([^']*)'\)"
    macros = sorted((PROJECT_ROOT / "macros").rglob("*.sql"))
    files = [PROJECT_ROOT / "profiles.example.yml", *macros]
    found = [
        (path.name, name, default)
        for path in files
        for name, default in literal_defaults(path.read_text(encoding="utf-8"), env_var)
    ]
    assert {name for _, name, _ in found} >= {
        "CS_RAW_DIR", "CS_WAREHOUSE_PATH", "CS_TARGET", "CS_DBT_THREADS", "CS_DUCKDB_THREADS",
        "CS_DUCKDB_MEMORY_LIMIT", "CS_SPARK_WAREHOUSE_DIR",
    }
    wrong = [
        (file, name, default)
        for file, name, default in found
        if name not in BY_NAME or BY_NAME[name].default != default
    ]
    assert wrong == []


def test_make_exports_the_defaults_of_settings_py() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    found = literal_defaults(makefile, r"(?m)^export (CS_[A-Z_]+) \?= (.+)$")
    assert found, "the Makefile exports no CS_ default"
    assert [(name, value) for name, value in found if BY_NAME[name].default != value] == []


def test_a_relative_path_is_relative_to_the_project_root() -> None:
    environ = {"CS_WAREHOUSE_PATH": "elsewhere/w.duckdb", "CS_RAW_DIR": ""}
    assert settings.WAREHOUSE_PATH.path(environ) == PROJECT_ROOT / "elsewhere" / "w.duckdb"
    # Empty is unset.
    assert settings.RAW_DIR.path(environ) == PROJECT_ROOT / "data" / "demo"
    assert str(settings.project_path("/abs/x")) == "/abs/x"

"""The vars of contract section 6 (adapting an export), for the Python tools.

dbt checks and compiles them in the macro `export_settings()`
(macros/raw/export_settings.sql). The Python tools that must read a folder as
a dbt run will (the Dagster raw gate, the preflight) call that same macro,
rendered with jinja2 (cs_analytics.raw.macros), on the vars the run sees: the
defaults of `dbt_project.yml` (`vars:`) with the run's `--vars` over them. A
wrong var is refused with the macro's own sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from cs_analytics.raw.macros import MacroError, Macros, RawFileError
from cs_analytics.settings import PROJECT_ROOT

PROJECT_FILE = PROJECT_ROOT / "dbt_project.yml"


class ExportSettingsError(RawFileError):
    """A section 6 var that is wrong; the message is the sentence dbt raises."""


@dataclass(frozen=True)
class ExportSettings:
    """The section 6 vars of one run, as the macro export_settings() returns them:
    `timestamp_formats` holds each format compiled ({format, pattern, fields})."""

    absent_tables: tuple[str, ...] = ()
    raw_column_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    timestamp_formats: tuple[Mapping[str, Any], ...] = ()
    thousands_separator: str | None = None
    decimal_separator: str = "."


@cache
def project_vars() -> dict[str, Any]:
    """The `vars:` of dbt_project.yml: the defaults of every run."""
    document = yaml.safe_load(PROJECT_FILE.read_text(encoding="utf-8")) or {}
    return dict(document.get("vars") or {})


def parse_vars(text: str | Mapping[str, Any] | None) -> dict[str, Any]:
    """dbt's `--vars` (a YAML mapping, as text or already parsed)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return {}
    value = yaml.safe_load(text) if isinstance(text, str) else text
    if not isinstance(value, Mapping):
        raise ExportSettingsError(
            f"The dbt vars {text!r} are not a YAML mapping: write them as for "
            '`dbt build --vars`, e.g. "{absent_tables: [agents]}".'
        )
    return dict(value)


def run_vars(overrides: str | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The vars a dbt run sees: dbt_project.yml's, then `--vars` over them."""
    return {**project_vars(), **parse_vars(overrides)}


def load_export_settings(overrides: str | Mapping[str, Any] | None = None) -> ExportSettings:
    """The section 6 vars of a run with these `--vars`, checked by the macro."""
    try:
        settings = Macros(run_vars(overrides)).export_settings()
    except MacroError as error:
        raise ExportSettingsError(str(error)) from None
    return ExportSettings(
        absent_tables=tuple(settings["absent_tables"]),
        raw_column_names=settings["raw_column_names"],
        timestamp_formats=tuple(settings["timestamp_formats"]),
        thousands_separator=settings["thousands_separator"],
        decimal_separator=settings["decimal_separator"],
    )

"""The raw tables of the contract, as `models/staging/_raw__sources.yml` describes them.

That YAML file is the one description of the raw tables (columns, key, kind,
required, personal); dbt reads it through `graph.sources`, and every Python
tool (the Dagster gates, the preflight, the benchmark, the generator, and the
raw macros rendered from Python) reads it through this module. Nothing else restates a column list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import yaml

from cs_analytics.settings import PROJECT_ROOT

SOURCES_FILE = PROJECT_ROOT / "models" / "staging" / "_raw__sources.yml"
SOURCE_NAME = "raw"

Kind = Literal["text", "timestamp", "amount", "integer"]
KINDS: frozenset[str] = frozenset({"text", "timestamp", "amount", "integer"})


@dataclass(frozen=True)
class RawColumn:
    """One contract column of a raw table."""

    name: str
    kind: Kind
    required: bool = False
    personal: bool = False


@dataclass(frozen=True)
class RawTable:
    """One raw table: its file may be `<name>.csv` or `<name>.parquet`."""

    name: str
    key: str
    optional_file: bool
    columns: tuple[RawColumn, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def of_kind(self, kind: Kind) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.kind == kind)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)


def _meta(node: dict[str, Any]) -> dict[str, Any]:
    return dict((node.get("config") or {}).get("meta") or node.get("meta") or {})


def _table(node: dict[str, Any]) -> RawTable:
    meta = _meta(node)
    columns = []
    for column in node.get("columns") or []:
        column_meta = _meta(column)
        kind = column_meta.get("kind", "text")
        if kind not in KINDS:
            raise ValueError(f"{SOURCES_FILE}: column {column['name']} has unknown kind {kind!r}.")
        columns.append(
            RawColumn(
                name=column["name"],
                kind=kind,
                required=bool(column_meta.get("required", False)),
                personal=bool(column_meta.get("personal", False)),
            )
        )
    return RawTable(
        name=node["name"],
        key=meta["key"],
        optional_file=bool(meta.get("optional_file", False)),
        columns=tuple(columns),
    )


@cache
def raw_tables() -> dict[str, RawTable]:
    """Table name -> RawTable, in the order of the sources file."""
    document = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))
    for source in document.get("sources", []):
        if source.get("name") == SOURCE_NAME:
            return {node["name"]: _table(node) for node in source.get("tables", [])}
    raise ValueError(f"{SOURCES_FILE} has no source named {SOURCE_NAME!r}.")


def table_names() -> tuple[str, ...]:
    return tuple(raw_tables())

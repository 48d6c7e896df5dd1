"""Quoting values and names into SQL text (DuckDB's and Spark's rules agree)."""

from __future__ import annotations


def quote_literal(value: str) -> str:
    """A string literal: single quotes, an inner quote doubled."""
    return "'" + value.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    """A quoted name: double quotes, an inner quote doubled."""
    return '"' + name.replace('"', '""') + '"'

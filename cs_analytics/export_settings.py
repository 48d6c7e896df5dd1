"""The vars of contract section 6 (adapting an export), read from Python.

dbt reads them in `macros/export_settings.sql`; every Python tool that must
agree with a dbt run (the Dagster raw gates, the preflight) reads them here:
the defaults of `dbt_project.yml` (`vars:`) merged with the run's `--vars`,
validated with the same sentences as the macro, `timestamp_formats` compiled
to regexes by the same rules as the macro `compile_timestamp_format`, and the
amount regex built as the macro `amount_pattern` builds it. The regexes of
section 5 (ISO timestamps, integers, plain amounts) are the macros' too.
tests/test_export_settings.py renders the macros with dbt and compares, so
the two languages cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from cs_analytics.raw_files import RawFileError, normalise_absent_tables, normalise_column_names

PROJECT_FILE = Path(__file__).resolve().parents[1] / "dbt_project.yml"

# macros/parsing.sql: timestamp_pattern, integer_pattern, amount_pattern.
ISO_TIMESTAMP_PATTERN = (
    "[0-9]{4}-[0-9]{2}-[0-9]{2}"
    "([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?)?"
    "(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?"
)
INTEGER_PATTERN = "[+-]?[0-9]+"
PLAIN_AMOUNT_PATTERN = "[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?"

FORMAT_FIELDS = ("Y", "m", "d", "H", "M", "S")
REQUIRED_FIELDS = ("Y", "m", "d")
# Literal characters a regex would read as syntax; they become a class.
REGEX_SPECIAL = ".$|?*+()[]{}^\\"
THOUSANDS_SEPARATORS = (".", ",", " ")
DECIMAL_SEPARATORS = (".", ",")
UNSET = ("", "None", "null")


class ExportSettingsError(RawFileError):
    """A section 6 var that is wrong; the message is the sentence dbt raises."""


@dataclass(frozen=True)
class TimestampFormat:
    """One compiled format: `pattern`'s groups are `fields`, in order."""

    format: str
    pattern: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ExportSettings:
    """The section 6 vars of one run, checked and compiled."""

    absent_tables: tuple[str, ...] = ()
    raw_column_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    timestamp_formats: tuple[TimestampFormat, ...] = ()
    thousands_separator: str | None = None
    decimal_separator: str = "."

    @property
    def custom_amounts(self) -> bool:
        return self.thousands_separator is not None or self.decimal_separator != "."

    @property
    def amount_pattern(self) -> str:
        return amount_pattern(self.thousands_separator, self.decimal_separator)


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
    """The section 6 vars of a run with these `--vars`, in the macro's order of checks."""
    variables = run_vars(overrides)
    absent = normalise_absent_tables(variables.get("absent_tables"))
    column_names = normalise_column_names(variables.get("raw_column_names"))
    formats = tuple(
        compile_timestamp_format(str(text)) for text in variables.get("timestamp_formats") or []
    )
    thousands, decimal = amount_separators(
        variables.get("amount_thousands_separator"), variables.get("amount_decimal_separator")
    )
    return ExportSettings(absent, column_names, formats, thousands, decimal)


def compile_timestamp_format(text: str) -> TimestampFormat:
    """A section 6 format as a regex (macros/export_settings.sql, same rules):
    %Y four digits; %m, %d, %H one or two, exactly two when the next token is
    a field or a literal digit (no backtracking); %M, %S two; anything else
    literal."""
    tokens: list[tuple[str, str]] = []
    escape = False
    for character in text:
        if escape:
            if character not in FORMAT_FIELDS:
                raise ExportSettingsError(
                    f"The var timestamp_formats has '%{character}' in '{text}': use only %Y, "
                    "%m, %d, %H, %M and %S; every other character stands for itself."
                )
            tokens.append(("field", character))
            escape = False
        elif character == "%":
            escape = True
        else:
            tokens.append(("literal", character))
    if escape:
        raise ExportSettingsError(
            f"The var timestamp_formats has a lone '%' at the end of '{text}': use only %Y, "
            "%m, %d, %H, %M and %S."
        )
    fields = [value for kind, value in tokens if kind == "field"]
    for required in REQUIRED_FIELDS:
        if required not in fields:
            raise ExportSettingsError(
                f"The var timestamp_formats has no %{required} in '{text}': a format needs "
                "%Y, %m and %d."
            )
    if len(set(fields)) != len(fields):
        raise ExportSettingsError(
            f"The var timestamp_formats repeats a field in '{text}': give each of %Y, %m, %d, "
            "%H, %M and %S at most once."
        )
    parts = []
    for index, (kind, value) in enumerate(tokens):
        if kind == "field":
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            digit_follows = following is not None and (
                following[0] == "field" or following[1] in "0123456789"
            )
            if value == "Y":
                parts.append("([0-9]{4})")
            elif value in ("M", "S") or digit_follows:
                parts.append("([0-9]{2})")
            else:
                parts.append("([0-9]{1,2})")
        elif value in REGEX_SPECIAL:
            parts.append("[" + ("\\" if value in "^]\\" else "") + value + "]")
        else:
            parts.append(value)
    return TimestampFormat(text, "".join(parts), tuple(fields))


def amount_separators(thousands: Any, decimal: Any) -> tuple[str | None, str]:
    """The two separator vars, checked as the macro export_settings checks them."""
    thousands = None if thousands is None or str(thousands) in UNSET else str(thousands)
    decimal = "." if decimal is None or str(decimal) in UNSET else str(decimal)
    if thousands is not None and thousands not in THOUSANDS_SEPARATORS:
        raise ExportSettingsError(
            f"The var amount_thousands_separator is '{thousands}': use '.', ',' or ' ' "
            "(a space), or leave it unset."
        )
    if decimal not in DECIMAL_SEPARATORS:
        raise ExportSettingsError(
            f"The var amount_decimal_separator is '{decimal}': use '.' or ','."
        )
    if thousands == decimal:
        raise ExportSettingsError(
            "The vars amount_thousands_separator and amount_decimal_separator are both "
            f"'{decimal}': an amount needs two different separators (with '.' for "
            "thousands, set the decimal separator to ',')."
        )
    return thousands, decimal


def amount_pattern(thousands: str | None, decimal: str = ".") -> str:
    """The amount regex (macros/parsing.sql amount_pattern): section 5's plain
    decimals by default, else digits grouped in threes and a decimal separator."""
    if thousands is None and decimal == ".":
        return PLAIN_AMOUNT_PATTERN
    decimal_literal = _regex_literal(decimal)
    if thousands is None:
        return f"[+-]?[0-9]+({decimal_literal}[0-9]+)?"
    return (
        f"[+-]?([0-9]{{1,3}}({_regex_literal(thousands)}[0-9]{{3}})+|[0-9]+)"
        f"({decimal_literal}[0-9]+)?"
    )


def _regex_literal(character: str) -> str:
    return "[.]" if character == "." else character

"""The raw macros of dbt, rendered from Python with jinja2.

`macros/raw/` is the one definition of the refusal sentences
(`raw_file_messages.sql`), of the checks and compilation of the section 6
vars (`export_settings.sql`) and of the value grammar (`parsing.sql`: the
regexes, the whitespace that is trimmed). The Python tools that need them
(the DuckDB reader behind dbt's plugin, the preflight, the Dagster raw gate)
render those macros here instead of restating them.

dbt renders the files with its own context; a minimal one stands in for it:
`return`, `exceptions.raise_compiler_error`, `var`, `execute`, and the
namespace `cs_analytics` of the macros, where `raw_tables()` is the
description of cs_analytics.raw.tables (dbt's macro reads the same YAML file
through its graph). A macro that needs more of dbt (an adapter, a query)
cannot be called from here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import jinja2

from cs_analytics.raw.tables import raw_tables
from cs_analytics.settings import PROJECT_ROOT

MACRO_DIR = PROJECT_ROOT / "macros" / "raw"
# The files whose macros Python calls; they need nothing of dbt's context
# beyond the one below.
FILES = ("raw_file_messages.sql", "export_settings.sql", "parsing.sql")


class RawFileError(Exception):
    """A raw folder or file, or a section 6 var, that cannot be read as the
    contract describes; the message is one sentence saying what is wrong and
    what to do, worded in macros/raw/."""


class MacroError(RawFileError):
    """The sentence a macro raised with `exceptions.raise_compiler_error`."""


class _Return(Exception):  # noqa: N818 - dbt's `return()` is control flow, not an error
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def _return(value: Any) -> None:
    """dbt's `return()`: the value becomes what the macro call gives back."""
    raise _Return(value)


class _Exceptions:
    """dbt's `exceptions` namespace, as far as the raw macros use it."""

    @staticmethod
    def raise_compiler_error(message: Any) -> None:
        raise MacroError(str(message))


@cache
def _templates() -> tuple[jinja2.Template, ...]:
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    return tuple(
        environment.from_string((MACRO_DIR / name).read_text(encoding="utf-8")) for name in FILES
    )


@cache
def _described_tables() -> dict[str, dict[str, Any]]:
    """The raw tables in the shape of the macro raw_tables()."""
    return {name: dataclasses.asdict(table) for name, table in raw_tables().items()}


class Macros:
    """The namespace `cs_analytics` of the raw macros, with the vars of one run.

    `Macros(vars).export_settings()` calls the macro as dbt would: a macro that
    returns a value gives it back, one that renders text gives the text.
    """

    def __init__(self, variables: Mapping[str, Any] | None = None) -> None:
        self._variables = dict(variables or {})
        context = {
            "return": _return,
            "exceptions": _Exceptions(),
            "var": self._var,
            "execute": True,
            "cs_analytics": self,
        }
        self._macros: dict[str, Callable[..., Any]] = {"raw_tables": _described_tables}
        for template in _templates():
            module = template.make_module(context)
            for name in dir(module):
                value = getattr(module, name)
                if isinstance(value, jinja2.runtime.Macro):
                    self._macros[name] = value

    def _var(self, name: str, default: Any = None) -> Any:
        return self._variables.get(name, default)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        try:
            macro = self._macros[name]
        except KeyError:
            raise AttributeError(f"no macro {name} in {MACRO_DIR}") from None

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                result = macro(*args, **kwargs)
            except _Return as returned:
                return returned.value
            return str(result) if isinstance(result, str) else result

        return call


@cache
def default_macros() -> Macros:
    """The macros with no vars set: enough for sentences and fixed patterns."""
    return Macros()


def message(case: str, **values: Any) -> str:
    """The sentence of macros/raw/raw_file_messages.sql for a refused folder or file."""
    return default_macros().raw_file_message(case, {k: str(v) for k, v in values.items()})


def refusal(case: str, **values: Any) -> RawFileError:
    """The error to raise for a refused folder or file, in its one sentence."""
    return RawFileError(message(case, **values))

"""cs_analytics.export_settings: the section 6 vars read from Python, and the
proof that Python and the dbt macros compile them the same way (the macros are
rendered by dbt itself, `dbt compile --inline`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DEMO_RAW, run_dbt

from cs_analytics.export_settings import (
    INTEGER_PATTERN,
    ISO_TIMESTAMP_PATTERN,
    ExportSettingsError,
    amount_pattern,
    compile_timestamp_format,
    load_export_settings,
    project_vars,
)
from cs_analytics.raw_files import RawFileError

# Formats for the agreement test: the contract's examples, then every rule of
# the compiler (a field before a field or a literal digit, regex characters
# as literals, %H without %M, a backslash).
FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y%m%d",
    "%d-%m-%Y",
    "%H:%M %d.%m.%Y",
    "%Y-%m-%dT%H:%M",
    "%d%m%Y",
    "%m/%d/%Y %H",
    "%Y%m%d0%H",
    "[%Y] (%m) {%d} ^$|?*+",
    "%d\\%m\\%Y",
]


# --------------------------------------------------------------------------
# Python alone
# --------------------------------------------------------------------------


def test_defaults_are_the_vars_of_dbt_project_yml() -> None:
    assert {"absent_tables", "raw_column_names", "timestamp_formats"} <= set(project_vars())
    settings = load_export_settings()
    assert settings.absent_tables == ()
    assert dict(settings.raw_column_names) == {}
    assert settings.timestamp_formats == ()
    assert (settings.thousands_separator, settings.decimal_separator) == (None, ".")
    assert not settings.custom_amounts


def test_run_vars_override_the_defaults() -> None:
    settings = load_export_settings(
        "{absent_tables: [agents], raw_column_names: {orders: {order_id: ' Mã đơn hàng '}}, "
        "timestamp_formats: ['%d/%m/%Y'], amount_thousands_separator: '.', "
        "amount_decimal_separator: ','}"
    )
    assert settings.absent_tables == ("agents",)
    assert settings.raw_column_names == {"orders": {"order_id": "Mã đơn hàng"}}
    assert [f.format for f in settings.timestamp_formats] == ["%d/%m/%Y"]
    assert settings.custom_amounts
    # Parsed mappings (a Dagster run config) are accepted as they are.
    assert load_export_settings({"absent_tables": "agents"}).absent_tables == ("agents",)


@pytest.mark.parametrize(
    ("text", "value", "read"),
    [
        ("%Y%m%d", "2025111", ("2025", "11", "1")),  # the contract: 2025-11-01
        ("%d/%m/%Y %H:%M", "1/2/2025 7:05", ("1", "2", "2025", "7", "05")),
        ("%d/%m/%Y %H:%M", "30/11/2026 14:05", ("30", "11", "2026", "14", "05")),
        ("%d%m%Y", "01022025", ("01", "02", "2025")),
        ("%d%m%Y", "1022025", None),  # %d before a field takes exactly two digits
        ("%d/%m/%Y", "2025-11-30", None),
        ("%d.%m.%Y", "30x11x2026", None),  # '.' is a literal dot
    ],
)
def test_formats_read_values_by_the_contracts_rules(
    text: str, value: str, read: tuple[str, ...] | None
) -> None:
    match = re.fullmatch(compile_timestamp_format(text).pattern, value)
    assert (match.groups() if match else None) == read


@pytest.mark.parametrize(
    ("variables", "sentence"),
    [
        (
            "{timestamp_formats: ['%d/%m/%y']}",
            "The var timestamp_formats has '%y' in '%d/%m/%y': use only %Y, %m, %d, %H, %M "
            "and %S; every other character stands for itself.",
        ),
        (
            "{timestamp_formats: ['%d/%m/%Y %']}",
            "The var timestamp_formats has a lone '%' at the end of '%d/%m/%Y %': use only "
            "%Y, %m, %d, %H, %M and %S.",
        ),
        (
            "{timestamp_formats: ['%d/%m']}",
            "The var timestamp_formats has no %Y in '%d/%m': a format needs %Y, %m and %d.",
        ),
        (
            "{timestamp_formats: ['%d/%m/%Y %d']}",
            "The var timestamp_formats repeats a field in '%d/%m/%Y %d': give each of %Y, %m, "
            "%d, %H, %M and %S at most once.",
        ),
        (
            "{amount_thousands_separator: '.'}",
            "The vars amount_thousands_separator and amount_decimal_separator are both '.': an "
            "amount needs two different separators (with '.' for thousands, set the decimal "
            "separator to ',').",
        ),
        (
            "{amount_thousands_separator: '_'}",
            "The var amount_thousands_separator is '_': use '.', ',' or ' ' (a space), or "
            "leave it unset.",
        ),
        (
            "{absent_tables: [payments]}",
            "The var absent_tables names the unknown table 'payments': use customers, orders, "
            "tickets, survey_responses, agents.",
        ),
        (
            "{raw_column_names: {orders: {total: 'Tổng tiền'}}}",
            "The var raw_column_names maps the unknown column 'orders.total': the columns of "
            "orders are order_id, customer_id, ordered_at, status, amount, cancel_reason, "
            "updated_at.",
        ),
    ],
)
def test_wrong_vars_are_refused_in_one_sentence(variables: str, sentence: str) -> None:
    with pytest.raises(RawFileError) as refused:
        load_export_settings(variables)
    assert str(refused.value) == sentence


def test_vars_that_are_not_a_mapping_are_refused() -> None:
    with pytest.raises(ExportSettingsError, match="not a YAML mapping"):
        load_export_settings("[agents]")


@pytest.mark.parametrize(
    ("thousands", "decimal", "valid", "invalid"),
    [
        (None, ".", ["1250000", "12.5", ".5", "1e3", "-0"], ["1.250.000", "1,5", "NaN"]),
        (".", ",", ["1.250.000", "1.250.000,50", "1250000,5"], ["1.25.000", "1,250.000", "12e3"]),
        (None, ",", ["1250000,5", "12"], ["1.250", "1,"]),
        (" ", ".", ["1 250 000.5", "1250"], ["1  250", "1,250"]),
    ],
)
def test_amount_patterns_follow_the_separators(
    thousands: str | None, decimal: str, valid: list[str], invalid: list[str]
) -> None:
    pattern = amount_pattern(thousands, decimal)
    assert all(re.fullmatch(pattern, value) for value in valid)
    assert not any(re.fullmatch(pattern, value) for value in invalid)


# --------------------------------------------------------------------------
# Python and the dbt macros agree
# --------------------------------------------------------------------------

PROBE = (
    "{%- set formats = [] -%}"
    "{%- for text in FORMATS -%}"
    "{%- do formats.append(cs_analytics.compile_timestamp_format(text)) -%}"
    "{%- endfor -%}"
    "{{ tojson({'formats': formats, 'iso_timestamp': cs_analytics.timestamp_pattern() | trim, "
    "'integer': cs_analytics.integer_pattern(), 'amount': cs_analytics.amount_pattern()}) }}"
)


def render(work_dir: Path, inline: str, variables: dict[str, object] | None = None) -> str:
    """dbt's output for `dbt compile --inline` (the compiled text, or dbt's error)."""
    args = ["compile", "--quiet", "--inline", inline]
    if variables:
        args += ["--vars", json.dumps(variables)]
    _, result = run_dbt(args, work_dir, DEMO_RAW)
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The macros rendered by dbt: with the default vars (all formats at once),
    with custom separators, and two configuration errors."""
    work_dir = tmp_path_factory.mktemp("export_settings_dbt")
    return {
        "defaults": render(work_dir, PROBE.replace("FORMATS", json.dumps(FORMATS))),
        "bad_directive": render(
            work_dir, "{{ tojson(cs_analytics.compile_timestamp_format('%d/%m/%y')) }}"
        ),
        "separators": render(
            work_dir / "separators",
            PROBE.replace("FORMATS", "[]"),
            {"amount_thousands_separator": ".", "amount_decimal_separator": ","},
        ),
        "equal_separators": render(
            work_dir / "equal", "select 1", {"amount_thousands_separator": "."}
        ),
    }


def rendered_json(output: str) -> dict[str, object]:
    line = next((line for line in output.splitlines() if line.startswith("{")), None)
    assert line is not None, output[-3000:]
    return json.loads(line)


def test_python_compiles_timestamp_formats_as_the_jinja_macro(rendered: dict[str, str]) -> None:
    jinja = rendered_json(rendered["defaults"])["formats"]
    python = [compile_timestamp_format(text) for text in FORMATS]
    assert [
        {"format": f.format, "pattern": f.pattern, "fields": list(f.fields)} for f in python
    ] == jinja


def test_python_regexes_are_the_macros(rendered: dict[str, str]) -> None:
    defaults = rendered_json(rendered["defaults"])
    assert defaults["iso_timestamp"] == ISO_TIMESTAMP_PATTERN
    assert defaults["integer"] == INTEGER_PATTERN
    assert defaults["amount"] == load_export_settings().amount_pattern
    custom = rendered_json(rendered["separators"])["amount"]
    assert custom == amount_pattern(".", ",")


@pytest.mark.parametrize(
    ("case", "variables"),
    [
        ("bad_directive", "{timestamp_formats: ['%d/%m/%y']}"),
        ("equal_separators", "{amount_thousands_separator: '.'}"),
    ],
)
def test_python_refuses_wrong_vars_with_the_macros_sentence(
    rendered: dict[str, str], case: str, variables: str
) -> None:
    with pytest.raises(RawFileError) as refused:
        load_export_settings(variables)
    assert str(refused.value) in " ".join(rendered[case].split())

"""The section 6 vars and the value grammar, as the one definition in
macros/raw/ gives them to Python (cs_analytics.raw.export_settings and
cs_analytics.raw.macros render those macros with jinja2): checked against
hand-written cases of the contract, never against another implementation.
dbt's side of the same macros is tested through dbt builds
(test_export_adaptation.py, test_timestamp_parsing.py, test_file_refusals.py)."""

from __future__ import annotations

import re

import pytest

from cs_analytics.raw.export_settings import (
    ExportSettingsError,
    load_export_settings,
    project_vars,
)
from cs_analytics.raw.macros import Macros, RawFileError, default_macros


def test_defaults_are_the_vars_of_dbt_project_yml() -> None:
    assert {"absent_tables", "raw_column_names", "timestamp_formats"} <= set(project_vars())
    settings = load_export_settings()
    assert settings.absent_tables == ()
    assert dict(settings.raw_column_names) == {}
    assert settings.timestamp_formats == ()
    assert (settings.thousands_separator, settings.decimal_separator) == (None, ".")


def test_run_vars_override_the_defaults() -> None:
    settings = load_export_settings(
        "{absent_tables: [agents], raw_column_names: {orders: {order_id: ' Mã đơn hàng '}}, "
        "timestamp_formats: ['%d/%m/%Y'], amount_thousands_separator: '.', "
        "amount_decimal_separator: ','}"
    )
    assert settings.absent_tables == ("agents",)
    assert settings.raw_column_names == {"orders": {"order_id": "Mã đơn hàng"}}
    assert [f["format"] for f in settings.timestamp_formats] == ["%d/%m/%Y"]
    assert (settings.thousands_separator, settings.decimal_separator) == (".", ",")
    # Parsed mappings (a Dagster run config) are accepted as they are; a single
    # table name is a list of one.
    assert load_export_settings({"absent_tables": "agents"}).absent_tables == ("agents",)


def read(text: str, value: str) -> tuple[str, ...] | None:
    """What the compiled format reads from `value` (its groups), or None."""
    (compiled,) = load_export_settings({"timestamp_formats": [text]}).timestamp_formats
    match = re.fullmatch(compiled["pattern"], value)
    return dict(zip(compiled["fields"], match.groups(), strict=True)) if match else None


# Python's re warns about '[[]' (a literal bracket); the databases' regexes read it as one.
@pytest.mark.filterwarnings("ignore:Possible nested set:FutureWarning")
@pytest.mark.parametrize(
    ("text", "value", "fields"),
    [
        # The contract's example: %Y%m%d reads 2025111 as 2025-11-01.
        ("%Y%m%d", "2025111", {"Y": "2025", "m": "11", "d": "1"}),
        ("%Y%m%d", "20251101", {"Y": "2025", "m": "11", "d": "01"}),
        ("%d/%m/%Y %H:%M", "1/2/2025 7:05", {"d": "1", "m": "2", "Y": "2025", "H": "7", "M": "05"}),
        ("%d/%m/%Y %H:%M", "30/11/2026 14:05", {"d": "30", "m": "11", "Y": "2026", "H": "14",
                                                "M": "05"}),
        ("%d/%m/%Y %H:%M:%S", "30/11/2026 14:05:09", {"d": "30", "m": "11", "Y": "2026",
                                                      "H": "14", "M": "05", "S": "09"}),
        ("%d%m%Y", "01022025", {"d": "01", "m": "02", "Y": "2025"}),
        # A one-or-two-digit field before a field takes exactly two digits.
        ("%d%m%Y", "1022025", None),
        # ... and before a literal digit too.
        ("%Y%m%d0%H", "2025110107", {"Y": "2025", "m": "11", "d": "01", "H": "7"}),
        ("%H:%M %d.%m.%Y", "9:30 1.2.2025", {"H": "9", "M": "30", "d": "1", "m": "2",
                                              "Y": "2025"}),
        # %M and %S are always two digits.
        ("%d/%m/%Y %H:%M", "1/2/2025 7:5", None),
        ("%d/%m/%Y", "2025-11-30", None),
        # A regex character is a literal: '.' is a dot, '[' a bracket, '\' a backslash.
        ("%d.%m.%Y", "30x11x2026", None),
        ("%d.%m.%Y", "30.11.2026", {"d": "30", "m": "11", "Y": "2026"}),
        ("[%Y] (%m) {%d} ^$|?*+", "[2025] (11) {30} ^$|?*+", {"Y": "2025", "m": "11",
                                                               "d": "30"}),
        ("%d\\%m\\%Y", "30\\11\\2026", {"d": "30", "m": "11", "Y": "2026"}),
        ("%m/%d/%Y %H", "11/30/2026 23", {"m": "11", "d": "30", "Y": "2026", "H": "23"}),
    ],
)
def test_formats_read_values_by_the_contracts_rules(
    text: str, value: str, fields: dict[str, str] | None
) -> None:
    assert read(text, value) == fields


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
            "{timestamp_formats: ['%d/%m/%Y 100%%']}",
            "The var timestamp_formats has '%%' in '%d/%m/%Y 100%%': use only %Y, %m, %d, %H, "
            "%M and %S; every other character stands for itself.",
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
            "{amount_decimal_separator: ';'}",
            "The var amount_decimal_separator is ';': use '.' or ','.",
        ),
        (
            "{absent_tables: [payments]}",
            "The var absent_tables names the unknown table 'payments': use customers, orders, "
            "tickets, survey_responses, agents.",
        ),
        (
            "{absent_tables: {agents: true}}",
            "The var absent_tables must be a list of table names, e.g. "
            "[tickets, survey_responses].",
        ),
        (
            "{raw_column_names: [orders]}",
            "The var raw_column_names must map tables to {contract column: header}, e.g. "
            "{orders: {order_id: 'Mã đơn hàng'}}.",
        ),
        (
            "{raw_column_names: {payments: {id: 'Mã'}}}",
            "The var raw_column_names names the unknown table 'payments': use customers, "
            "orders, tickets, survey_responses, agents.",
        ),
        (
            "{raw_column_names: {orders: [order_id]}}",
            "The var raw_column_names.orders must map contract columns to headers, e.g. "
            "{order_id: 'Mã'}.",
        ),
        (
            "{raw_column_names: {orders: {total: 'Tổng tiền'}}}",
            "The var raw_column_names maps the unknown column 'orders.total': the columns of "
            "orders are order_id, customer_id, ordered_at, status, amount, cancel_reason, "
            "updated_at.",
        ),
        (
            "{raw_column_names: {orders: {order_id: '  '}}}",
            "The var raw_column_names maps orders.order_id to an empty header: give the header "
            "as the file writes it.",
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
    ("separators", "valid", "invalid"),
    [
        ({}, ["1250000", "12.5", ".5", "5.", "1e3", "-0", "+7"], ["1.250.000", "1,5", "NaN",
                                                                 "inf", "$12", "1 000"]),
        (
            {"amount_thousands_separator": ".", "amount_decimal_separator": ","},
            ["1.250.000", "1.250.000,50", "1250000,5", "-1.000"],
            ["1.25.000", "1,250.000", "12e3", "1.250.000,"],
        ),
        ({"amount_decimal_separator": ","}, ["1250000,5", "12"], ["1.250", "1,", "1,2,3"]),
        ({"amount_thousands_separator": " "}, ["1 250 000.5", "1250"], ["1  250", "1,250"]),
    ],
)
def test_amounts_follow_the_separators(
    separators: dict[str, str], valid: list[str], invalid: list[str]
) -> None:
    pattern = Macros(separators).amount_pattern()
    assert [value for value in valid if not re.fullmatch(pattern, value)] == []
    assert [value for value in invalid if re.fullmatch(pattern, value)] == []


def test_iso_timestamps_and_integers_follow_section_5() -> None:
    macros = default_macros()
    timestamp, integer = macros.timestamp_pattern().strip(), macros.integer_pattern()
    valid = [
        "2025-01-05", "2025-01-05 10:00", "2025-01-05 10:00:00", "2025-01-05T10:00:00",
        "2025-01-05 10:00:00.5", "2025-01-05 10:00:00.123456", "2025-03-31T20:00:00Z",
        "2025-03-31T20:00:00+07:00", "2025-03-31T20:00:00-0530", "2025-03-31 20:00+07",
        "2025-03-31Z",
    ]
    invalid = [
        "05/01/2025", "2025-1-5", "2025-01-05 24:00:00", "2025-01-05 10:60",
        "2025-01-05 10:00:00.1234567", "2025-01-05 10", "2025-01-05T10:00:00+24:00",
        "yesterday", " 2025-01-05",
    ]
    assert [value for value in valid if not re.fullmatch(timestamp, value)] == []
    assert [value for value in invalid if re.fullmatch(timestamp, value)] == []
    assert all(re.fullmatch(integer, value) for value in ["0", "42", "-3", "+7", "007"])
    assert not any(re.fullmatch(integer, value) for value in ["4.5", "2.0", "1e3", "", "- 3"])


def test_whitespace_is_what_str_strip_removes() -> None:
    """The contract trims values as Python's str.strip() does: every character it
    removes is in the macro's set, and nothing else."""
    characters = default_macros().whitespace_characters()
    every_space = {chr(code) for code in range(0x110000) if chr(code).isspace()}
    assert set(characters) == every_space

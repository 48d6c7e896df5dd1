"""The SQL timestamp parsers against an independent Python reading of the
contract's grammar, on thousands of generated strings, valid and not.

The parsers of macros/parsing.sql are compiled through dbt and run in
DuckDB: the ISO 8601 parser of section 5 (DuckDB's and the portable one),
each format of section 6 on its own, and parse_timestamp, which tries ISO
first and then the formats in order. The reference below is written from
the contract's text, not from the SQL: a scanner for section 5 whose
offsets are converted with zoneinfo, and a reader for section 6 formats.
Every string must give the same local timestamp, or null on both sides.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

import duckdb
import pytest
from conftest import WORKED_EXAMPLE_RAW, run_dbt

DIGITS = "0123456789"
# Section 6's examples, and formats whose fields touch each other or a
# literal digit, or come in another order.
FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y%m%d",
    "%d-%m-%Y",
    "%m/%d/%Y %H:%M",
    "%Y%m%d%H%M%S",
    "%H:%M %d.%m.%Y",
    "%Y/%m/%d %Hh%M",
    "%d%m%Y",
]
QUERY = """
select
    x,
    {{ cs_analytics.parse_iso_timestamp('x') }} as iso,
    {{ cs_analytics.default__parse_iso_timestamp('x') }} as iso_portable,
    {%- for text in var('timestamp_formats') %}
    {{ cs_analytics.parse_formatted_timestamp(
        'x', cs_analytics.compile_timestamp_format(text)) }} as format_{{ loop.index }},
    {%- endfor %}
    {{ cs_analytics.parse_timestamp('chained_x') }} as chained
from (select x, x as chained_x from fuzz) as fuzz
"""
# chained_x, a copy of x: DuckDB would otherwise compute the format columns'
# expressions once for both, outside the CASE that guards their casts.


# --------------------------------------------------------------------------
# The reference: the contract's grammar in Python
# --------------------------------------------------------------------------


class Cursor:
    """Reads a string left to right."""

    def __init__(self, text: str) -> None:
        self.text, self.position = text, 0

    def next_is(self, characters: str) -> bool:
        return self.position < len(self.text) and self.text[self.position] in characters

    def skip(self, character: str) -> bool:
        if self.next_is(character):
            self.position += 1
            return True
        return False

    def number(self, width: int) -> int | None:
        """Exactly `width` ASCII digits."""
        chunk = self.text[self.position : self.position + width]
        if len(chunk) != width or any(c not in DIGITS for c in chunk):
            return None
        self.position += width
        return int(chunk)

    def digit_run(self) -> str:
        start = self.position
        while self.next_is(DIGITS):
            self.position += 1
        return self.text[start : self.position]

    def at_end(self) -> bool:
        return self.position == len(self.text)


def real_datetime(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
    microsecond: int = 0,
) -> datetime | None:
    """A date that exists, hours 0-23, minutes and seconds 0-59 (no leap second)."""
    try:
        return datetime(year, month, day, hour, minute, second, microsecond)
    except ValueError:
        return None


@cache
def parse_iso(text: str, zone: ZoneInfo) -> datetime | None:
    """Contract section 5: `YYYY-MM-DD`, optionally a space or `T` and `HH:MM`,
    `HH:MM:SS` or `HH:MM:SS.f` (1 to 6 digits), optionally `Z`, `+HH:MM`,
    `+HHMM`, `+HH` or the same with `-`. With an offset, the instant in
    `zone`'s local time; without, the value as it is."""
    cursor = Cursor(text)
    year = cursor.number(4)
    month = cursor.number(2) if year is not None and cursor.skip("-") else None
    day = cursor.number(2) if month is not None and cursor.skip("-") else None
    if day is None:
        return None
    hour = minute = second = microsecond = 0
    if cursor.skip(" ") or cursor.skip("T"):
        hour = cursor.number(2)
        minute = cursor.number(2) if hour is not None and cursor.skip(":") else None
        if minute is None:
            return None
        if cursor.skip(":"):
            second = cursor.number(2)
            if second is None:
                return None
            if cursor.skip("."):
                fraction = cursor.digit_run()
                if not 1 <= len(fraction) <= 6:
                    return None
                microsecond = int(fraction.ljust(6, "0"))
    offset_minutes = None
    if cursor.skip("Z"):
        offset_minutes = 0
    elif cursor.next_is("+-"):
        sign = -1 if cursor.text[cursor.position] == "-" else 1
        cursor.position += 1
        offset_hours = cursor.number(2)
        if offset_hours is None:
            return None
        extra_minutes = 0
        if cursor.skip(":") or cursor.next_is(DIGITS):
            extra_minutes = cursor.number(2)
            if extra_minutes is None:
                return None
        if offset_hours > 23 or extra_minutes > 59:
            return None
        offset_minutes = sign * (offset_hours * 60 + extra_minutes)
    if not cursor.at_end() or hour > 23 or minute > 59 or second > 59:
        return None
    local = real_datetime(year, month, day, hour, minute, second, microsecond)
    if local is None or offset_minutes is None:
        return local
    instant = local.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    return instant.astimezone(zone).replace(tzinfo=None)


@cache
def read_format(text: str, format_text: str) -> datetime | None:
    """Contract section 6: `%Y` four digits; `%m`, `%d`, `%H` one or two,
    taking two whenever the next two characters are digits (no
    backtracking); `%M`, `%S` exactly two; every other character stands for
    itself; the whole value is read; a real date and time, local."""
    cursor = Cursor(text)
    fields = {"H": 0, "M": 0, "S": 0}
    tokens = iter(format_text)
    for token in tokens:
        if token != "%":
            if not cursor.skip(token):
                return None
            continue
        field = next(tokens)
        if field == "Y":
            width = 4
        elif field in "MS":
            width = 2
        else:
            two_digits = cursor.text[cursor.position : cursor.position + 2]
            width = 2 if len(two_digits) == 2 and all(c in DIGITS for c in two_digits) else 1
        value = cursor.number(width)
        if value is None:
            return None
        fields[field] = value
    if not cursor.at_end() or fields["H"] > 23 or fields["M"] > 59 or fields["S"] > 59:
        return None
    return real_datetime(fields["Y"], fields["m"], fields["d"], fields["H"], fields["M"],
                         fields["S"])


def parse_timestamp(text: str, zone: ZoneInfo) -> datetime | None:
    """ISO 8601 first, then the first format that reads a real date."""
    parsed = parse_iso(text, zone)
    for format_text in FORMATS:
        if parsed is not None:
            break
        parsed = read_format(text, format_text)
    return parsed


# --------------------------------------------------------------------------
# Generated strings
# --------------------------------------------------------------------------


def random_field(rng: random.Random, low: int, high: int, edges: tuple[int, ...]) -> int:
    """Mostly in range; now and then an edge value, valid or not."""
    return rng.choice(edges) if rng.random() < 0.15 else rng.randint(low, high)


def random_moment(rng: random.Random) -> dict[str, int]:
    return {
        "Y": rng.choice([rng.randint(1900, 2100), rng.randint(1000, 9999), 2024, 2100, 2000]),
        "m": random_field(rng, 1, 12, (0, 2, 12, 13)),
        "d": random_field(rng, 1, 28, (0, 29, 30, 31, 32)),
        "H": random_field(rng, 0, 23, (0, 23, 24)),
        "M": random_field(rng, 0, 59, (0, 59, 60)),
        "S": random_field(rng, 0, 59, (0, 59, 60)),
    }


def iso_string(rng: random.Random) -> str:
    moment = random_moment(rng)
    text = "{Y:04d}-{m:02d}-{d:02d}".format(**moment)
    shape = rng.choice(["date", "minutes", "seconds", "fraction"])
    if shape != "date":
        text += rng.choice(" T") + "{H:02d}:{M:02d}".format(**moment)
    if shape in ("seconds", "fraction"):
        text += ":{S:02d}".format(**moment)
    if shape == "fraction":
        text += "." + "".join(rng.choice(DIGITS) for _ in range(rng.choice([1, 2, 3, 6, 6, 7])))
    hours = rng.choice([f"{rng.randint(0, 14):02d}", "23", "24"])
    minutes = rng.choice(["00", "30", "45", "59", "60"])
    offset = rng.choice(["", "", "Z", f"+{hours}:{minutes}", f"-{hours}:{minutes}",
                         f"+{hours}{minutes}", f"-{hours}{minutes}", f"+{hours}", f"-{hours}"])
    return text + offset


def formatted_string(rng: random.Random) -> str:
    moment = random_moment(rng)
    text = ""
    tokens = iter(rng.choice(FORMATS))
    for token in tokens:
        if token != "%":
            text += token
            continue
        field = next(tokens)
        value = moment[field]
        if field == "Y":
            text += f"{value:04d}"
        elif field in "MS" or value >= 10 or rng.random() < 0.5:
            text += f"{value:02d}"
        else:
            text += str(value)
    return text


def mutated(rng: random.Random, text: str) -> str:
    """One character inserted, deleted or replaced."""
    position = rng.randrange(len(text) + 1)
    character = rng.choice(DIGITS + " -:/.Tt+Zzh")
    operation = rng.choice(["insert", "delete", "replace"])
    if operation == "insert":
        return text[:position] + character + text[position:]
    if operation == "delete":
        return text[:position] + text[position + 1 :]
    return text[:position] + character + text[position + 1 :]


HAND_PICKED = [
    "2025-03-01 24:00:00", "2025-02-30", "2025-03-01 10:60", "yesterday", "",
    "2025-03-01Z", "2025-03-01+07", "2025-03-01T10:00:00.1234567", "2024-02-29",
    "2100-02-29", "2000-02-29 12:00", "2025-03-01T10:00:00.", "2025-03-01T", "2025-3-01",
    "2025-03-01 10:00+07:3", "2025-03-01 10:00+07:", "2024-12-31T20:00:00-05:00",
    "2025-01-01T00:30:00+14", "31/02/2025", "29/02/2024", "2025111", "20251231",
    "1/2/2025", "01/02/2025 9:05", "12/31/2025 10:00", "12:30 1.2.2025", "2025/1/5 7h05", "1122025",
]


def generated_strings(count: int, seed: int) -> list[str]:
    """Hand-picked strings, then ISO and formatted ones, 30% of them with one
    character changed."""
    rng = random.Random(seed)
    values = list(HAND_PICKED)
    while len(values) < count:
        text = iso_string(rng) if rng.random() < 0.5 else formatted_string(rng)
        values.append(mutated(rng, text) if rng.random() < 0.3 else text)
    return values


# --------------------------------------------------------------------------
# The comparison
# --------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["Asia/Ho_Chi_Minh", "America/New_York"])
def parsed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ZoneInfo, list[dict[str, object]]]:
    """Every generated string through the compiled SQL parsers, with the
    reporting time zone of the contract's default and one with daylight
    saving time."""
    zone = request.param
    _, result = run_dbt(
        ["compile", "--quiet", "--inline", QUERY],
        tmp_path_factory.mktemp("compile"),
        WORKED_EXAMPLE_RAW,
        {"reporting_timezone": zone, "timestamp_formats": FORMATS},
    )
    assert result.returncode == 0, result.stdout[-3000:]
    sql = result.stdout.strip()
    assert sql.startswith("select"), sql[:500]
    values = generated_strings(12000, seed=1)
    with duckdb.connect() as con:
        con.execute("create table fuzz as select unnest(?) as x", [values])
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    assert [row["x"] for row in rows] == values
    return ZoneInfo(zone), rows


def disagreements(rows: list[dict[str, object]], column: str, reference) -> list[tuple]:
    """(string, SQL, reference) wherever they differ. Year 0000, which DuckDB
    reads as 1 BC (and hands to Python as text), is beyond Python's datetime
    (years 1-9999) and left out."""
    return [
        (row["x"], row[column], expected)
        for row in rows
        if not (isinstance(row[column], str) and "(BC)" in row[column])
        and row[column] != (expected := reference(row["x"]))
    ]


@pytest.mark.parametrize("column", ["iso", "iso_portable"])
def test_iso_parsers_agree_with_the_contract(parsed, column: str) -> None:
    zone, rows = parsed
    assert disagreements(rows, column, lambda x: parse_iso(x, zone))[:20] == []
    valid = [row["x"] for row in rows if row[column] is not None]
    with_offset = [x for x in valid if any(sign in x[10:] for sign in "Z+-")]
    assert len(valid) > 1800 and len(with_offset) > 600 and len(rows) - len(valid) > 6000


@pytest.mark.parametrize("index", range(1, len(FORMATS) + 1))
def test_each_format_agrees_with_the_contract(parsed, index: int) -> None:
    _, rows = parsed
    format_text = FORMATS[index - 1]
    column = f"format_{index}"
    assert disagreements(rows, column, lambda x: read_format(x, format_text))[:20] == []
    assert sum(row[column] is not None for row in rows) > 100, format_text


def test_iso_first_then_the_first_format_that_reads_a_real_date(parsed) -> None:
    zone, rows = parsed
    assert disagreements(rows, "chained", lambda x: parse_timestamp(x, zone))[:20] == []
    by_text = {row["x"]: row["chained"] for row in rows}
    assert by_text["01/02/2025 9:05"] == datetime(2025, 2, 1, 9, 5)
    # No 31st month for %d/%m/%Y %H:%M: the later %m/%d/%Y %H:%M reads it.
    assert by_text["12/31/2025 10:00"] == datetime(2025, 12, 31, 10, 0)
    assert by_text["31/02/2025"] is None and by_text["29/02/2024"] == datetime(2024, 2, 29)
    assert by_text["2025111"] == datetime(2025, 11, 1)

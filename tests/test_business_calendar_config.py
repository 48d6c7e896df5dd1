"""A wrong business calendar (contract section 7) stops the build with one
sentence naming the seed and the row, before any mart is replaced, and
prints no traceback.

The seeds live in the project, so the module works on a copy of it. One
case goes through a whole `dbt build` into a copy of the session's worked
example, with a raw folder that would change the marts: the build stops at
the check and every mart and audit table reads back as before. The other
cases are loaded together as extra seeds of the copy (the seeds' own
column types, so every value goes through the seed loader as in a real
build) and judged in one `dbt run-operation` by the check's own macro, one
sentence per case, instead of one build each.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import (
    PARSE_FILE,
    PROJECT_ROOT,
    WITHOUT_UNIT_TESTS,
    WORKED_EXAMPLE_RAW,
    WORKED_EXAMPLE_VARS,
    Warehouse,
    cached_parse,
    run_dbt,
    writable_copy,
)

from cs_analytics.calendar import holiday_seed

HOURS = "weekday,opens_at,closes_at\n"
DEFAULT_HOURS = (PROJECT_ROOT / "seeds" / "business_hours.csv").read_text(encoding="utf-8")
SLA = "priority,first_response_target_minutes,resolution_target_hours,clock\n"
HOURS_FILE = "seeds/business_hours.csv"

# case -> (the seed it replaces, that seed's text, the sentence expected).
CASES: dict[str, tuple[str, str, str]] = {
    "weekday_outside_1_7": (
        "business_hours", HOURS + "1,08:00,12:00\n8,08:00,12:00\n",
        "The row (weekday '8', opens_at '08:00', closes_at '12:00') of "
        f"{HOURS_FILE} has a weekday that is not 1 (Monday) to 7 (Sunday): correct it "
        "and run dbt build again.",
    ),
    "weekday_zero": (
        "business_hours", HOURS + "0,08:00,12:00\n",
        f"The row (weekday '0', opens_at '08:00', closes_at '12:00') of {HOURS_FILE} "
        "has a weekday that is not 1 (Monday) to 7 (Sunday)",
    ),
    "weekday_not_a_number": (
        "business_hours", HOURS + "Mon,08:00,12:00\n",
        f"The row (weekday 'Mon', opens_at '08:00', closes_at '12:00') of {HOURS_FILE} "
        "has a weekday that is not 1 (Monday) to 7 (Sunday)",
    ),
    "one_digit_hour": (
        "business_hours", HOURS + "1,8:00,12:00\n",
        f"The row (weekday '1', opens_at '8:00', closes_at '12:00') of {HOURS_FILE} "
        "has a time that does not read as HH:MM from 00:00 to 24:00 (two digits each, "
        "e.g. 08:00 or 24:00): correct it and run dbt build again.",
    ),
    "after_24_00": (
        "business_hours", HOURS + "1,20:00,24:30\n",
        f"The row (weekday '1', opens_at '20:00', closes_at '24:30') of {HOURS_FILE} "
        "has a time that does not read as HH:MM",
    ),
    "seconds": (
        "business_hours", HOURS + "1,08:00:00,12:00\n",
        f"The row (weekday '1', opens_at '08:00:00', closes_at '12:00') of {HOURS_FILE} "
        "has a time that does not read as HH:MM",
    ),
    "missing_time": (
        "business_hours", HOURS + "1,08:00,\n",
        f"The row (weekday '1', opens_at '08:00', closes_at empty) of {HOURS_FILE} "
        "has a time that does not read as HH:MM",
    ),
    "opens_at_closing": (
        "business_hours", HOURS + "2,12:00,12:00\n",
        f"The row (weekday '2', opens_at '12:00', closes_at '12:00') of {HOURS_FILE} "
        "does not open before it closes",
    ),
    "overlapping_lunch": (
        "business_hours", HOURS + "3,08:00,12:00\n3,11:30,17:30\n4,08:00,12:00\n",
        f"The row (weekday '3', opens_at '08:00', closes_at '12:00') of {HOURS_FILE} "
        "overlaps the row (weekday '3', opens_at '11:30', closes_at '17:30') of the same "
        "weekday: merge them or move one (08:00-12:00 and 12:00-13:00 touch without "
        "overlapping) and run dbt build again.",
    ),
    "row_listed_twice": (
        "business_hours", HOURS + "5,08:00,12:00\n5,08:00,12:00\n",
        f"The row (weekday '5', opens_at '08:00', closes_at '12:00') of {HOURS_FILE} "
        "overlaps the row (weekday '5', opens_at '08:00', closes_at '12:00')",
    ),
    "unreadable_holiday": (
        "holidays", "holiday_date,name\n2025-04-30,Ngày Chiến thắng\n2025-02-30,Sai ngày\n",
        "The row (holiday_date '2025-02-30', name 'Sai ngày') of seeds/holidays.csv has a "
        "date that does not read as YYYY-MM-DD: correct it (e.g. 2025-04-30) and run dbt "
        "build again.",
    ),
    "day_first_holiday": (
        "holidays", "holiday_date,name\n30/04/2025,Ngày Chiến thắng\n",
        "The row (holiday_date '30/04/2025', name 'Ngày Chiến thắng') of seeds/holidays.csv "
        "has a date that does not read as YYYY-MM-DD",
    ),
    "unknown_clock": (
        "sla_targets", SLA + "urgent,15,4,calendar\nhigh,60,8,office hours\n"
        "normal,240,24,business\nlow,480,72,business\n",
        "The row of priority 'high' of seeds/sla_targets.csv has the clock 'office hours', "
        "which is neither calendar nor business: write one of them and run dbt build again.",
    ),
    "no_clock_column": (
        "sla_targets", "priority,first_response_target_minutes,resolution_target_hours\n"
        "urgent,15,4\nhigh,60,8\nnormal,240,24\nlow,480,72\n",
        "The seed seeds/sla_targets.csv has no clock column: add one with calendar or "
        "business on every row (contract section 7) and run dbt build again.",
    ),
    "business_clock_without_hours": (
        "business_hours", HOURS,
        "The row of priority 'high' of seeds/sla_targets.csv uses the business clock, but "
        f"{HOURS_FILE} has no rows: add your team's hours to it, or set that clock to "
        "calendar, and run dbt build again.",
    ),
}
# Good calendars the check must let through: touching intervals, a 24:00
# close, spaces around a value, a date listed twice, no hours with only
# calendar clocks.
GOOD_CASES: dict[str, tuple[str, str]] = {
    "touching_and_midnight": (
        "business_hours", HOURS + "1,08:00,12:00\n1,12:00,13:00\n5,18:00,24:00\n"
        "6,00:00,02:00\n7, 09:00 ,11:00\n",
    ),
    "holiday_listed_twice": (
        "holidays", "holiday_date,name\n2025-05-01,Lao động\n2025-05-01,Công ty nghỉ\n",
    ),
    "calendar_clocks_without_hours": (
        "sla_targets", SLA + "urgent,15,4,calendar\nhigh,60,8,Calendar\n"
        "normal,240,24,calendar\nlow,480,72,calendar\n",
    ),
}
SEEDS_YAML = yaml.safe_load((PROJECT_ROOT / "seeds" / "_seeds.yml").read_text(encoding="utf-8"))

CHECK_MACRO = """
{% macro judge_calendar_cases(cases) %}
    {%- for name, replaced in cases.items() -%}
        {%- set relations = {} -%}
        {%- for seed in ['business_hours', 'holidays', 'sla_targets'] -%}
            {%- do relations.update({seed: ref(replaced.get(seed, seed))}) -%}
        {%- endfor -%}
        {%- set refusal = cs_analytics.business_calendar_refusal(
            relations.business_hours, relations.holidays, relations.sla_targets) -%}
        {{ print('CASE ' ~ tojson({'case': name, 'refusal': refusal})) }}
    {%- endfor -%}
{% endmacro %}
"""


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("dbt_project.yml", "models", "macros", "seeds", "data-tests"):
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy(source, target / name)
    return target


def start_from_the_session_parse(work: Path) -> None:
    """dbt parses the copy from the session's parse of the project (the
    worked example's vars): only the changed files are parsed again."""
    parse = cached_parse(WORKED_EXAMPLE_VARS)
    if parse is not None and parse.is_file():
        (work / "target").mkdir(parents=True, exist_ok=True)
        shutil.copy(parse, work / "target" / PARSE_FILE)


def seed_config(seed: str) -> dict:
    return next(s for s in SEEDS_YAML["seeds"] if s["name"] == seed)["config"]


def mart_contents(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by all"
        ).fetchall()
        return {
            table: con.execute(f"select * from marts.{table} order by all").fetchall()
            for (table,) in tables
        }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("calendar-project") / "project")


def test_each_wrong_calendar_is_refused_in_one_sentence(
    project: Path, worked_example: Warehouse, tmp_path: Path
) -> None:
    """Every case's seed is loaded as an extra seed of the copy, with the
    column types of the seed it stands for; the check's macro judges each
    case with the project's other seeds, as they stand."""
    cases_dir = project / "seeds" / "calendar_cases"
    cases_dir.mkdir()
    replaced: dict[str, dict[str, str]] = {}
    properties = []
    for case, (seed, text, *_) in {**CASES, **GOOD_CASES}.items():
        name = f"case_{case}"
        (cases_dir / f"{name}.csv").write_text(text, encoding="utf-8")
        properties.append({"name": name, "config": seed_config(seed)})
        replaced[case] = {seed: name}
    (cases_dir / "_calendar_cases.yml").write_text(
        yaml.safe_dump({"version": 2, "seeds": properties}, allow_unicode=True),
        encoding="utf-8",
    )
    (project / "macros" / "judge_calendar_cases.sql").write_text(CHECK_MACRO, encoding="utf-8")
    work = tmp_path / "wh"
    writable_copy(worked_example, work)
    start_from_the_session_parse(work)
    _, seeded = run_dbt(["seed", "--select", "path:seeds/calendar_cases"], work,
                        WORKED_EXAMPLE_RAW, WORKED_EXAMPLE_VARS, project_dir=project)
    assert seeded.returncode == 0, seeded.stdout[-4000:]
    _, judged = run_dbt(
        ["run-operation", "judge_calendar_cases", "--args", json.dumps({"cases": replaced})],
        work, WORKED_EXAMPLE_RAW, WORKED_EXAMPLE_VARS, project_dir=project,
    )
    assert judged.returncode == 0, judged.stdout[-4000:]
    verdicts = {
        verdict["case"]: verdict["refusal"]
        for verdict in (
            json.loads(line[len("CASE "):])
            for line in judged.stdout.splitlines()
            if line.startswith("CASE ")
        )
    }
    assert set(verdicts) == set(CASES) | set(GOOD_CASES)
    for case, (_, _, sentence) in CASES.items():
        assert verdicts[case] is not None and sentence in verdicts[case], (case, verdicts[case])
        # One sentence: it ends the message, and no other sentence follows it.
        assert verdicts[case].endswith("and run dbt build again."), case
        assert verdicts[case].count("run dbt build again") == 1, case
    for case in GOOD_CASES:
        assert verdicts[case] is None, (case, verdicts[case])


def test_a_wrong_row_stops_the_build_and_keeps_the_marts(
    project: Path, worked_example: Warehouse, tmp_path: Path
) -> None:
    """The issue's case: a business_hours row that closes before it opens.
    The raw folder gains an order, so a mart rebuilt would differ."""
    raw = tmp_path / "raw"
    shutil.copytree(WORKED_EXAMPLE_RAW, raw)
    with (raw / "orders.csv").open("a", encoding="utf-8") as handle:
        handle.write("O9,KH1,2025-04-01 09:00:00,completed,55\n")
    work = tmp_path / "wh"
    warehouse = writable_copy(worked_example, work)
    start_from_the_session_parse(work)
    before = mart_contents(warehouse)
    seed = project / "seeds" / "business_hours.csv"
    seed.write_text(DEFAULT_HOURS + "2,17:30,13:30\n", encoding="utf-8")
    try:
        _, result = run_dbt(["build", *WITHOUT_UNIT_TESTS], work, raw, WORKED_EXAMPLE_VARS,
                            project_dir=project)
    finally:
        seed.write_text(DEFAULT_HOURS, encoding="utf-8")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert (
        f"The row (weekday '2', opens_at '17:30', closes_at '13:30') of {HOURS_FILE} does "
        "not open before it closes: make opens_at earlier than closes_at (hours past "
        "midnight are a second row, e.g. 22:00-24:00 and 00:00-06:00 of the next weekday) "
        "and run dbt build again."
    ) in output, output[-3000:]
    assert "Traceback" not in output
    assert "OK created sql table model marts." not in output
    assert mart_contents(warehouse) == before


def test_the_holidays_seed_is_the_package_list(tmp_path: Path) -> None:
    """seeds/holidays.csv is what `make holidays COUNTRY=VN YEARS=2015-2035` writes
    from holidays 0.109: every listed day once, in date order, Vietnamese names (Tết
    2025 from Monday 27 January to Saturday 1 February, 30/4, 1/5 and the 2/5
    substitute day, Vietnam Culture Day from 2026 only)."""
    out = tmp_path / "holidays.csv"
    assert holiday_seed.main(["--country", "VN", "--years", "2015-2035", "--out", str(out)]) == 0
    shipped = PROJECT_ROOT / "seeds" / "holidays.csv"
    assert out.read_bytes() == shipped.read_bytes()
    dates = [line.split(",")[0] for line in shipped.read_text(encoding="utf-8").splitlines()[1:]]
    assert len(dates) == len(set(dates)) == 307 and dates == sorted(dates)
    for day in ("2025-01-27", "2025-02-01", "2025-04-30", "2025-05-01", "2025-05-02",
                "2026-11-24", "2035-09-02"):
        assert day in dates
    assert "2025-11-24" not in dates and "2025-01-26" not in dates
    assert "2025-01-01,Tết Dương lịch" in shipped.read_text(encoding="utf-8")


def test_the_holidays_script_refuses_in_one_sentence(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    out = tmp_path / "holidays.csv"
    assert holiday_seed.main(["--years", "2035-2015", "--out", str(out)]) == 2
    assert holiday_seed.main(["--years", "2015 to 2035", "--out", str(out)]) == 2
    assert holiday_seed.main(["--country", "XX", "--out", str(out)]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "YEARS '2035-2015' ends before it starts: write the earlier year first, e.g. "
        "2015-2035.",
        "YEARS '2015 to 2035' is not a year or a range of years: write e.g. 2015-2035 or 2025.",
        "The holidays package has no country 'XX': use an ISO 3166 code such as VN, TH or SG.",
    ]
    assert not out.exists()

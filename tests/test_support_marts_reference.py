"""Support, NPS, CSAT and agent marts and fct_tickets on random data,
compared cell for cell with a brute-force reading of contract sections
3.2-3.5, 3.9 and 7 written here with plain loops (every ticket tested
against every period, business time walked day by day in
tests/business_calendar.py from the project's seed files).

The tickets are created at any minute of five months that hold New Year
and Tết 2025 (nights, weekends, lunch breaks, holidays), with hand-made
ones on the edges (an opening or closing instant, the lunch break, a
holiday, an offset that moves the local date onto a holiday, fractional
seconds, a ticket open for a year) and faulty rows the warehouse must
quarantine (their reference is the rows it keeps). Orders of every status
give the contact rate its denominator."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from business_calendar import BusinessCalendar
from conftest import Warehouse, build, write_csv
from reference import GRAINS, midnight, periods

AS_OF = datetime(2025, 3, 1)
WAIT_TARGET = 60
CALENDAR = BusinessCalendar.from_seeds()
UTC_OFFSET = timedelta(hours=7)
TICKET_HEADER = ["ticket_id", "agent_id", "priority", "created_at", "first_response_at",
                 "resolved_at", "contact_count", "reopen_count", "wait_seconds"]
ORDER_STATUSES = ["completed", "Completed", "cancelled", "returned", "pending", "shipped"]
# (id, agent, priority, created, first response, resolved): local times.
HAND_TICKETS = [
    # Created at an opening, answered at the lunch break's start, resolved
    # at its end: 4 h of business time either way.
    ("H01", "A1", "high", "2025-02-03 08:00:00", "2025-02-03 12:00:00", "2025-02-03 13:30:00"),
    # Created in the lunch break, answered at 13:30 exactly: 0 min.
    ("H02", "A1", "normal", "2025-02-04 12:45:10.5", "2025-02-04 13:30:00", None),
    # Created at Friday's closing, answered Saturday 08:00:00.000001.
    ("H03", "A2", "low", "2025-02-07 17:30:00", "2025-02-08 08:00:00.000001",
     "2025-02-10 17:29:59.999999"),
    # Created on New Year's Day, resolved on 2 January.
    ("H04", "A2", "normal", "2025-01-01 09:00:00", "2025-01-01 10:00:00",
     "2025-01-02 09:00:00"),
    # Created the Sunday before Tết, answered after it.
    ("H05", None, "high", "2025-01-26 21:00:00", "2025-02-03 08:59:00", "2025-02-04 12:00:00"),
    # Open for a year: created before the random tickets, resolved in February.
    ("H06", "A3", "low", "2024-02-19 10:00:00", "2024-02-19 10:05:00", "2025-02-19 10:00:00"),
    # Urgent on the calendar clock across Tết.
    ("H07", "A1", "urgent", "2025-01-27 10:00:00", "2025-01-27 10:15:00",
     "2025-01-27 14:00:00"),
    # Unanswered since Friday evening: over the normal target in business
    # time at as_of (Saturday 1 March 00:00)? Friday 28/2 17:00-17:30 only.
    ("H08", "A9", "normal", "2025-02-28 17:00:00", None, None),
    # Answered and resolved at as_of: not yet.
    ("H09", "A1", "high", "2025-02-27 09:00:00", "2025-03-01 00:00:00", "2025-03-01 00:00:00"),
]
# Offsets: 2025-01-26T17:30:00Z is 27/1 00:30 local, the first day of Tết.
OFFSET_TICKETS = [
    ("Z01", "A2", "high", "2025-01-26T17:30:00Z", "2025-02-03T01:30:00Z",
     "2025-02-03T06:31:00+00:00"),
    ("Z02", "A3", "normal", "2025-02-14T04:59:00+07:00", "2025-02-14T01:00:00Z", None),
]
# Faulty rows, quarantined: their ids never reach the marts.
FAULTY_TICKETS = [
    ["F01", "A1", "high", "2025-13-01 10:00:00", None, None, 1, 0, None],
    ["F02", "A1", "normal", "2025-02-10 10:00:00", "2025-02-10 09:00:00", None, 1, 0, None],
    ["F03", "A2", "low", "2025-02-10 10:00:00", None, "2025-02-09 10:00:00", 1, 0, None],
    ["F04", "A2", "urgent", "2025-02-10 10:00:00", None, None, "1.5", 0, None],
    ["F05", None, "normal", "yesterday", None, None, None, None, None],
]


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None



def local(text: str) -> datetime:
    """A raw timestamp of this module as the warehouse reads it: local time
    (offsets converted to UTC+7)."""
    if text.endswith("Z") or text[-6] in "+-":
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return (moment + UTC_OFFSET - (moment.utcoffset() or timedelta(0))).replace(tzinfo=None)
    return datetime.fromisoformat(text)


def raw_time(moment: datetime, rng: random.Random) -> str:
    """A local instant written with or without fractional seconds."""
    if rng.random() < 0.2:
        moment += timedelta(microseconds=rng.randrange(0, 1_000_000))
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def make_raw(folder: Path, seed: int) -> dict:
    rng = random.Random(seed)
    start = datetime(2024, 10, 1)
    agents = {"A1": "Đội 1", "A2": "Đội 2", "A3": None}
    write_csv(folder, "agents", ["agent_id", "agent_name", "team"],
              [[a, f"Agent {a}", t] for a, t in agents.items()])
    tickets, rows = [], []
    for number in range(300):
        created = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 170))
        created_text = raw_time(created, rng)
        created = local(created_text)
        response = (created + timedelta(seconds=rng.choice([0, 60, 899, 900, 901, 3600,
                                                           rng.randrange(0, 400000)]))
                    if rng.random() < 0.8 else None)
        resolved = (created + timedelta(seconds=rng.choice([14400, 14401, 86400,
                                                           rng.randrange(0, 900000)]))
                    if rng.random() < 0.7 else None)
        raw_priority = rng.choice(["low", "Normal", "HIGH", "urgent", "", "asap"])
        priority = raw_priority.lower() if raw_priority.lower() in CALENDAR.targets else "normal"
        contacts = rng.choice([None, 1, 1, 2, 3])
        reopens = rng.choice([None, 0, 0, 1])
        wait = rng.choice([None, 0, 30, 60, 61, 300])
        agent = rng.choice(["A1", "A2", "A3", "A9", None])
        ticket = {
            "id": f"T{number:03d}", "agent": agent, "priority": priority,
            "created": created, "response": response, "resolved": resolved,
            "contacts": 1 if contacts is None else contacts,
            "reopens": 0 if reopens is None else reopens, "wait": wait,
        }
        tickets.append(ticket)
        fmt = "%Y-%m-%d %H:%M:%S.%f"
        rows.append([ticket["id"], agent, raw_priority, created_text,
                     response.strftime(fmt) if response else None,
                     resolved.strftime(fmt) if resolved else None, contacts, reopens, wait])
    for ticket_id, agent, priority, *times in HAND_TICKETS + OFFSET_TICKETS:
        created, response, resolved = (local(x) if x else None for x in times)
        tickets.append({"id": ticket_id, "agent": agent, "priority": priority,
                        "created": created, "response": response, "resolved": resolved,
                        "contacts": 1, "reopens": 0, "wait": None})
        rows.append([ticket_id, agent, priority, *times, 1, 0, None])
    # A key listed twice: the row further down the file wins.
    rows.insert(5, [tickets[10]["id"], "A1", "urgent", "2025-01-15 03:00:00", None, None,
                    1, 0, None])
    write_csv(folder, "tickets", TICKET_HEADER, rows + FAULTY_TICKETS)
    surveys, survey_rows = [], []
    for number in range(400):
        kind = rng.choice(["nps", "csat"])
        score = rng.randrange(0, 11) if kind == "nps" else rng.randrange(1, 6)
        submitted = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 175))
        ticket = rng.choice([None, f"T{rng.randrange(0, 320):03d}"])
        surveys.append({"id": f"S{number:03d}", "type": kind, "score": score,
                        "submitted": submitted, "ticket": ticket})
        survey_rows.append([f"S{number:03d}", kind, score, ticket,
                            submitted.strftime("%Y-%m-%d %H:%M:%S")])
    write_csv(folder, "survey_responses",
              ["response_id", "survey_type", "score", "ticket_id", "submitted_at"], survey_rows)
    write_csv(folder, "customers", ["customer_id"], [["KH1"]])
    orders, order_rows = [], []
    for number in range(250):
        ordered = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 160))
        status = "lost" if number % 50 == 7 else rng.choice(ORDER_STATUSES)
        if status != "lost":
            orders.append(ordered)
        order_rows.append([f"O{number:03d}", "KH1", status, "10",
                           ordered.strftime("%Y-%m-%d %H:%M:%S")])
    write_csv(folder, "orders", ["order_id", "customer_id", "status", "amount", "ordered_at"],
              order_rows)
    return {"tickets": tickets, "surveys": surveys, "agents": agents, "orders": orders}


def expected_marts(data: dict) -> dict:
    tickets = []
    for ticket in data["tickets"]:
        if ticket["created"] >= AS_OF:
            continue
        ticket = dict(ticket)
        for key in ("response", "resolved"):
            if ticket[key] is not None and ticket[key] >= AS_OF:
                ticket[key] = None
        created, priority = ticket["created"], ticket["priority"]
        ticket["response_sla"] = CALENDAR.sla(priority, "first_response", created,
                                              ticket["response"], AS_OF)
        ticket["resolution_sla"] = CALENDAR.sla(priority, "resolution", created,
                                                ticket["resolved"], AS_OF)
        ticket["business_minutes"] = (
            CALENDAR.business_time(created, ticket["response"]) / timedelta(minutes=1)
            if ticket["response"] else None)
        ticket["business_hours"] = (
            CALENDAR.business_time(created, ticket["resolved"]) / timedelta(hours=1)
            if ticket["resolved"] else None)
        tickets.append(ticket)
    by_id = {t["id"]: t for t in tickets}
    surveys = [s for s in data["surveys"] if s["submitted"] < AS_OF]
    orders = [o for o in data["orders"] if o < AS_OF]
    first_event = min([t["created"] for t in tickets] + [s["submitted"] for s in surveys]
                      + orders)
    facts = {
        t["id"]: {
            "sla_clock": CALENDAR.targets[t["priority"]][2],
            "first_response_business_minutes": t["business_minutes"],
            "resolution_business_hours": t["business_hours"],
            "first_response_sla_status": t["response_sla"],
            "resolution_sla_status": t["resolution_sla"],
        }
        for t in tickets
    }
    support, nps, csat, agents = {}, {}, {}, {}
    for grain in GRAINS:
        for start, following in periods(grain, first_event, AS_OF):
            s, e = midnight(start), min(midnight(following), AS_OF)
            created = [t for t in tickets if s <= t["created"] < e]
            done = [t for t in created if t["resolved"] is not None]
            responses = [(t["response"] - t["created"]).total_seconds() / 60
                         for t in created if t["response"] is not None]
            hours = [(t["resolved"] - t["created"]).total_seconds() / 3600 for t in done]
            waits = [t["wait"] for t in created if t["wait"] is not None]

            def sla_rate(key: str, group: list[dict]) -> float | None:
                met = sum(t[key] == "met" for t in group)
                return ratio(met, met + sum(t[key] == "breached" for t in group))

            support[(grain, start)] = {
                "tickets_created": len(created),
                "tickets_resolved": sum(t["resolved"] is not None and s <= t["resolved"] < e
                                        for t in tickets),
                "backlog_end": sum(t["created"] < e and (t["resolved"] is None
                                                         or t["resolved"] >= e)
                                   for t in tickets),
                "resolution_rate": ratio(len(done), len(created)),
                "fcr_rate": ratio(sum(t["contacts"] == 1 and t["reopens"] == 0 for t in done),
                                  len(done)),
                "reopen_rate": ratio(sum(t["reopens"] > 0 for t in done), len(done)),
                "avg_first_response_minutes": mean(responses),
                "median_first_response_minutes": percentile(responses, 0.5),
                "p90_first_response_minutes": percentile(responses, 0.9),
                "avg_resolution_hours": mean(hours),
                "median_resolution_hours": percentile(hours, 0.5),
                "p90_resolution_hours": percentile(hours, 0.9),
                "avg_wait_seconds": mean(waits),
                "wait_within_target_rate": ratio(sum(w <= WAIT_TARGET for w in waits),
                                                 len(waits)),
                "first_response_sla_rate": sla_rate("response_sla", created),
                "resolution_sla_rate": sla_rate("resolution_sla", created),
                "avg_first_response_business_minutes": mean(
                    [t["business_minutes"] for t in created if t["response"] is not None]),
                "avg_resolution_business_hours": mean([t["business_hours"] for t in done]),
                "contact_rate_per_100_orders": ratio(
                    100 * len(created), sum(s <= o < e for o in orders)),
            }
            in_period = [x for x in surveys if s <= x["submitted"] < e]
            scores = [x["score"] for x in in_period if x["type"] == "nps"]
            promoters = sum(x >= 9 for x in scores)
            detractors = sum(x <= 6 for x in scores)
            nps[(grain, start)] = {
                "responses": len(scores), "promoters": promoters,
                "passives": len(scores) - promoters - detractors, "detractors": detractors,
                "nps": 100 * (promoters - detractors) / len(scores) if scores else None,
            }
            ratings = [x["score"] for x in in_period if x["type"] == "csat"]
            csat[(grain, start)] = {
                "responses": len(ratings), "satisfied": sum(r >= 4 for r in ratings),
                "neutral": sum(r == 3 for r in ratings),
                "dissatisfied": sum(r <= 2 for r in ratings),
                "csat_rate": ratio(sum(r >= 4 for r in ratings), len(ratings)),
                "avg_rating": mean(ratings),
            }
            for agent in {t["agent"] for t in tickets if t["agent"]}:
                mine = [t for t in tickets if t["agent"] == agent]
                assigned = [t for t in mine if s <= t["created"] < e]
                resolved = [t for t in mine if t["resolved"] and s <= t["resolved"] < e]
                rated = [x for x in in_period if x["type"] == "csat" and x["ticket"]
                         in by_id and by_id[x["ticket"]]["agent"] == agent]
                if not (assigned or resolved or rated):
                    continue
                agents[(grain, start, agent)] = {
                    "agent_name": f"Agent {agent}" if agent in data["agents"] else None,
                    "team": data["agents"].get(agent) or "unassigned",
                    "tickets_assigned": len(assigned),
                    "tickets_resolved": len(resolved),
                    "fcr_rate": ratio(sum(t["contacts"] == 1 and t["reopens"] == 0
                                          for t in resolved), len(resolved)),
                    "avg_resolution_hours": mean([(t["resolved"] - t["created"]).total_seconds()
                                                  / 3600 for t in resolved]),
                    "resolution_sla_rate": sla_rate("resolution_sla", resolved),
                    "csat_responses": len(rated),
                    "csat_rate": ratio(sum(x["score"] >= 4 for x in rated), len(rated)),
                }
    return {"support_kpis": support, "nps": nps, "csat": csat, "agent_scorecard": agents,
            "fct_tickets": facts}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, dict]:
    raw = tmp_path_factory.mktemp("support-raw")
    data = make_raw(raw, seed=3)
    warehouse = build(tmp_path_factory.mktemp("support-wh"), raw,
                      {"as_of_date": AS_OF.date().isoformat()})
    return warehouse, expected_marts(data)


def assert_same(actual: object, expected: object, where: str) -> None:
    if expected is None or actual is None or isinstance(expected, str):
        assert actual == expected, where
    else:
        assert float(actual) == pytest.approx(float(expected), rel=1e-9, abs=1e-9), where


@pytest.mark.parametrize("mart", ["support_kpis", "nps", "csat"])
def test_period_mart_matches_reference(scenario, mart: str) -> None:
    warehouse, expected = scenario
    rows = warehouse.rows(f"select * from marts.{mart}")
    actual = {(r["period_grain"], r["period_start"]): r for r in rows}
    assert set(actual) == set(expected[mart])
    for key, values in expected[mart].items():
        for column, value in values.items():
            assert_same(actual[key][column], value, f"{mart} {key} {column}")


def test_agent_scorecard_matches_reference(scenario) -> None:
    warehouse, expected = scenario
    rows = warehouse.rows("select * from marts.agent_scorecard")
    actual = {(r["period_grain"], r["period_start"], r["agent_id"]): r for r in rows}
    assert set(actual) == set(expected["agent_scorecard"])
    for key, values in expected["agent_scorecard"].items():
        for column, value in values.items():
            assert_same(actual[key][column], value, f"agent_scorecard {key} {column}")


def test_ticket_facts_match_reference(scenario) -> None:
    """Both clocks and the SLA statuses of every ticket kept, and only those
    (the faulty rows are quarantined)."""
    warehouse, expected = scenario
    rows = {r["ticket_id"]: r for r in warehouse.rows("select * from marts.fct_tickets")}
    assert set(rows) == set(expected["fct_tickets"])
    for ticket_id, values in expected["fct_tickets"].items():
        for column, value in values.items():
            assert_same(rows[ticket_id][column], value, f"fct_tickets {ticket_id} {column}")
    rejected = {r["source_key"] for r in warehouse.rows(
        "select source_key from audit.rejected_rows where source_table = 'tickets'")}
    assert {"F01", "F02", "F03", "F04", "F05"} <= rejected


def test_hand_made_edges_by_hand(scenario) -> None:
    """A few of the hand-made tickets, worked out by hand as well."""
    warehouse, _ = scenario
    rows = {r["ticket_id"]: r for r in warehouse.rows("select * from marts.fct_tickets")}
    # 08:00 to 12:00, and to 13:30 across the lunch break: 4 h both.
    assert rows["H01"]["first_response_business_minutes"] == 240.0
    assert rows["H01"]["resolution_business_hours"] == 4.0
    # In the lunch break, answered at 13:30 exactly.
    assert rows["H02"]["first_response_business_minutes"] == 0.0
    # Friday 17:30 to Saturday 08:00:00.000001: one microsecond.
    assert rows["H03"]["first_response_business_minutes"] == pytest.approx(1e-6 / 60)
    # 1 January is a holiday: its 09:00 to 2 January 09:00 is 1 h.
    assert rows["H04"]["first_response_business_minutes"] == 0.0
    assert rows["H04"]["resolution_business_hours"] == 1.0
    # Sunday 26/1 to Monday 3/2 08:59 over Tết: 59 min.
    assert rows["H05"]["first_response_business_minutes"] == 59.0
    # Z01: created 27/1 00:30 local, on Tết; answered 3/2 08:30 local.
    assert rows["Z01"]["first_response_business_minutes"] == 30.0
    # H08: Friday 17:00-17:30 of business time by as_of: pending on normal.
    assert rows["H08"]["first_response_sla_status"] == "pending"
    # H09: its events at as_of have not happened.
    assert rows["H09"]["first_response_business_minutes"] is None

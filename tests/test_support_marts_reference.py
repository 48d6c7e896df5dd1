"""Support, NPS, CSAT and agent marts on random data, compared cell for cell
with a brute-force reading of contract sections 3.2-3.5 written here with
plain loops (every ticket tested against every period)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import Warehouse, build, write_csv
from reference import GRAINS, midnight, periods

AS_OF = datetime(2025, 3, 1)
TARGETS = {"urgent": (15, 4), "high": (60, 8), "normal": (240, 24), "low": (480, 72)}
WAIT_TARGET = 60


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


def sla(elapsed: timedelta | None, open_for: timedelta, target: timedelta) -> str:
    if elapsed is not None:
        return "met" if elapsed <= target else "breached"
    return "breached" if open_for > target else "pending"


def make_raw(folder: Path, seed: int) -> dict:
    rng = random.Random(seed)
    start = datetime(2024, 10, 1)
    agents = {"A1": "Đội 1", "A2": "Đội 2", "A3": None}
    write_csv(folder, "agents", ["agent_id", "agent_name", "team"],
              [[a, f"Agent {a}", t] for a, t in agents.items()])
    tickets, rows = [], []
    for number in range(300):
        created = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 170))
        response = (created + timedelta(seconds=rng.choice([0, 60, 899, 900, 901, 3600,
                                                           rng.randrange(0, 400000)]))
                    if rng.random() < 0.8 else None)
        resolved = (created + timedelta(seconds=rng.choice([14400, 14401, 86400,
                                                           rng.randrange(0, 900000)]))
                    if rng.random() < 0.7 else None)
        raw_priority = rng.choice(["low", "Normal", "HIGH", "urgent", "", "asap"])
        priority = raw_priority.lower() if raw_priority.lower() in TARGETS else "normal"
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
        fmt = "%Y-%m-%d %H:%M:%S"
        rows.append([ticket["id"], agent, raw_priority, created.strftime(fmt),
                     response.strftime(fmt) if response else None,
                     resolved.strftime(fmt) if resolved else None, contacts, reopens, wait])
    write_csv(folder, "tickets", ["ticket_id", "agent_id", "priority", "created_at",
                                  "first_response_at", "resolved_at", "contact_count",
                                  "reopen_count", "wait_seconds"], rows)
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
    write_csv(folder, "orders", ["order_id", "customer_id", "status", "amount", "ordered_at"],
              [["O1", "KH1", "completed", "1", "2024-10-02 10:00:00"]])
    return {"tickets": tickets, "surveys": surveys, "agents": agents}


def expected_marts(data: dict) -> dict:
    tickets = []
    for ticket in data["tickets"]:
        if ticket["created"] >= AS_OF:
            continue
        ticket = dict(ticket)
        for key in ("response", "resolved"):
            if ticket[key] is not None and ticket[key] >= AS_OF:
                ticket[key] = None
        first_target, resolution_target = TARGETS[ticket["priority"]]
        open_for = AS_OF - ticket["created"]
        ticket["response_sla"] = sla(
            ticket["response"] - ticket["created"] if ticket["response"] else None,
            open_for, timedelta(minutes=first_target))
        ticket["resolution_sla"] = sla(
            ticket["resolved"] - ticket["created"] if ticket["resolved"] else None,
            open_for, timedelta(hours=resolution_target))
        tickets.append(ticket)
    by_id = {t["id"]: t for t in tickets}
    surveys = [s for s in data["surveys"] if s["submitted"] < AS_OF]
    first_event = min([t["created"] for t in tickets] + [s["submitted"] for s in surveys]
                      + [datetime(2024, 10, 2, 10)])
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
    return {"support_kpis": support, "nps": nps, "csat": csat, "agent_scorecard": agents}


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

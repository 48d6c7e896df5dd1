"""Support, survey and agent marts end to end (contract 3.2-3.5, 3.9).

Two builds, one per raw folder:
- the contract's worked example: every nps, csat, support_kpis and
  agent_scorecard value of tests/fixtures/worked-example/README.md, typed in
  from the README (business time and the default SLA clocks included);
- a hand-made folder written here, exercising the boundaries (SLA targets
  met exactly on the business clock and on the calendar clock, overdue and
  pending unanswered tickets, a ticket resolved exactly at a period's end
  instant, NPS 6/7/8/9, CSAT 3, agents with only CSAT, unassigned tickets,
  percentiles, empty periods). Its expected values are worked out by hand
  in the comments, never by running SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import Warehouse, build, write_csv

Row = tuple[Any, ...]

NPS_COLUMNS = ["period_start", "responses", "promoters", "passives", "detractors", "nps"]
CSAT_COLUMNS = [
    "period_start", "responses", "satisfied", "neutral", "dissatisfied", "csat_rate",
    "avg_rating",
]
KPI_COUNT_COLUMNS = ["period_start", "tickets_created", "tickets_resolved", "backlog_end"]
KPI_RATE_COLUMNS = [
    "period_start", "resolution_rate", "fcr_rate", "reopen_rate",
    "avg_first_response_minutes", "median_first_response_minutes",
    "p90_first_response_minutes", "avg_resolution_hours", "median_resolution_hours",
    "p90_resolution_hours", "avg_wait_seconds", "wait_within_target_rate",
    "first_response_sla_rate", "resolution_sla_rate",
]
NULL_KPI_RATES = (None,) * (len(KPI_RATE_COLUMNS) - 1)
KPI_BUSINESS_COLUMNS = [
    "period_start", "avg_first_response_business_minutes", "avg_resolution_business_hours",
    "contact_rate_per_100_orders",
]
SCORECARD_COLUMNS = [
    "period_start", "agent_id", "agent_name", "team", "tickets_assigned",
    "tickets_resolved", "fcr_rate", "avg_resolution_hours", "resolution_sla_rate",
    "csat_responses", "csat_rate",
]


def assert_rows(
    warehouse: Warehouse, table: str, grain: str, columns: list[str], expected: list[Row]
) -> None:
    """The mart's rows of one grain, in period (then agent) order, equal
    `expected` on `columns`; floats compare with pytest.approx."""
    order = "period_start, agent_id" if table == "agent_scorecard" else "period_start"
    got = warehouse.rows(
        f"select {', '.join(columns)} from marts.{table} "
        f"where period_grain = '{grain}' order by {order}"
    )
    want = [dict(zip(columns, row, strict=True)) for row in expected]
    assert len(got) == len(want), got
    for got_row, want_row in zip(got, want, strict=True):
        assert got_row == pytest.approx(want_row), (got_row, want_row)


def month(number: int) -> date:
    return date(2025, number, 1)


# --------------------------------------------------------------------------
# (a) The worked example
# --------------------------------------------------------------------------


# `worked_example` is the session's build of it (conftest).


def test_worked_example_nps(worked_example: Warehouse) -> None:
    # January: S1 (10), S2 (6), S5 (9) -> 100 * (2 - 1) / 3.
    assert_rows(worked_example, "nps", "month", NPS_COLUMNS, [
        (month(1), 3, 2, 0, 1, 100 / 3),
        (month(2), 0, 0, 0, 0, None),
        (month(3), 0, 0, 0, 0, None),
        (month(4), 0, 0, 0, 0, None),
    ])


def test_worked_example_csat(worked_example: Warehouse) -> None:
    assert_rows(worked_example, "csat", "month", CSAT_COLUMNS, [
        (month(1), 1, 1, 0, 0, 1.0, 5.0),
        (month(2), 1, 0, 0, 1, 0.0, 2.0),
        (month(3), 0, 0, 0, 0, None, None),
        (month(4), 0, 0, 0, 0, None, None),
    ])


def test_worked_example_support_kpis(worked_example: Warehouse) -> None:
    assert_rows(worked_example, "support_kpis", "month", KPI_COUNT_COLUMNS, [
        (month(1), 2, 1, 1),
        (month(2), 1, 2, 0),
        (month(3), 1, 0, 1),
        (month(4), 0, 0, 1),
    ])
    assert_rows(worked_example, "support_kpis", "month", KPI_RATE_COLUMNS, [
        (month(1), 1.0, 0.5, 0.0, 25, 25, 29, 99, 99, 173.4, 45, 1.0, 0.5, 0.5),
        (month(2), 1.0, 0.0, 1.0, 1, 1, 1, 1, 1, 1, 90, 0.0, 1.0, 1.0),
        # T4 (low, business clock) has 50 business hours to as_of: its
        # 480-minute response target is breached, its 72-hour resolution
        # target still pending, so March's resolution SLA is null.
        (month(3), 0.0, None, None, None, None, None, None, None, None, None, None,
         0.0, None),
        (month(4), *NULL_KPI_RATES),
    ])
    # Business time: January T1 30 min / 4.5 h and T2 20 min / 2 h (Tết);
    # February T3 1 min / 1 h. Contact rate: tickets per 100 orders of any
    # status (2 / 2, 1 / 2 with the cancelled O4, 1 / 1, 0 / 1).
    assert_rows(worked_example, "support_kpis", "month", KPI_BUSINESS_COLUMNS, [
        (month(1), 25.0, 3.25, 100.0),
        (month(2), 1.0, 1.0, 50.0),
        (month(3), None, None, 100.0),
        (month(4), None, None, 0.0),
    ])


def test_worked_example_agent_scorecard(worked_example: Warehouse) -> None:
    # No other month rows: T4 has no agent.
    assert_rows(worked_example, "agent_scorecard", "month", SCORECARD_COLUMNS, [
        (month(1), "A1", "Phạm Thu Hà", "CSKH Hà Nội", 2, 1, 1.0, 6.0, 1.0, 1, 1.0),
        (month(2), "A1", "Phạm Thu Hà", "CSKH Hà Nội", 0, 1, 0.0, 192.0, 0.0, 1, 0.0),
        (month(2), "A2", "Võ Quốc Việt", "unassigned", 1, 1, 0.0, 1.0, 1.0, 0, None),
    ])


def test_worked_example_facts(worked_example: Warehouse) -> None:
    tickets = {
        row["ticket_id"]: row
        for row in worked_example.rows("select * from marts.fct_tickets")
    }
    assert sorted(tickets) == ["T1", "T2", "T3", "T4"]
    # T3's first response 2025-02-12T01:01:00Z is 08:01 local.
    assert tickets["T3"]["first_response_at"] == datetime(2025, 2, 12, 8, 1)
    assert tickets["T3"]["first_response_minutes"] == pytest.approx(1.0)
    assert tickets["T4"]["team"] == "unassigned"
    assert (tickets["T4"]["first_response_sla_status"], tickets["T4"]["resolution_sla_status"]) == (
        "breached", "pending"
    )
    responses = worked_example.rows(
        "select response_id, agent_id, nps_category, csat_band from "
        "marts.fct_survey_responses order by response_id"
    )
    assert responses == [
        {"response_id": "S1", "agent_id": None, "nps_category": "promoter", "csat_band": None},
        {"response_id": "S2", "agent_id": None, "nps_category": "detractor", "csat_band": None},
        {"response_id": "S3", "agent_id": "A1", "nps_category": None, "csat_band": "satisfied"},
        {"response_id": "S4", "agent_id": "A1", "nps_category": None,
         "csat_band": "dissatisfied"},
        {"response_id": "S5", "agent_id": None, "nps_category": "promoter", "csat_band": None},
    ]


# --------------------------------------------------------------------------
# (b) Hand-made boundaries. as_of = 2025-04-01 00:00 (explicit). SLA targets
# (seed defaults): urgent 15 min / 4 h on the calendar clock; high 60 / 8 h,
# normal 240 / 24 h and low 480 / 72 h on the business clock (Mon-Fri
# 08:00-12:00 and 13:30-17:30, Sat 08:00-12:00; no holiday falls in these
# months' tickets); wait target 60 s. Months January to March; February is
# empty. Weeks run from the week of 2025-01-06 (first event: O1, Friday
# 2025-01-10) to the week of 2025-03-31.
# --------------------------------------------------------------------------

TICKET_HEADER = [
    "ticket_id", "customer_id", "agent_id", "channel", "category", "priority",
    "created_at", "first_response_at", "resolved_at", "contact_count", "reopen_count",
    "wait_seconds",
]
TICKETS = [
    # Friday. First response 60 business min: exactly on target -> met;
    # resolution 08:00-12:00 and 13:30-16:00 = 6.5 business h (8 calendar
    # h) -> met. Wait 60 s: exactly on target. First contact resolution.
    ["B1", "KH1", "A1", "phone", "billing", "high", "2025-01-10 08:00:00",
     "2025-01-10 09:00:00", "2025-01-10 16:00:00", 1, 0, 60],
    # First response one second late -> breached; resolution at 18:00 is
    # 10 calendar h but exactly 8 business h (closing at 17:30) -> met.
    ["B2", "KH1", "A1", "chat", "billing", "high", "2025-01-10 08:00:00",
     "2025-01-10 09:00:01", "2025-01-10 18:00:00", 2, 0, 61],
    # Sunday evening, resolved at Monday 00:00, the end instant of the week
    # of 2025-01-06: in that week's backlog, resolved in the next week.
    # 15 min and 4 h: exactly on the urgent targets, on the calendar clock
    # (0 business time: a Sunday). Reopened.
    ["B5", "KH1", "A2", "phone", "delivery", "urgent", "2025-01-12 20:00:00",
     "2025-01-12 20:15:00", "2025-01-13 00:00:00", 1, 1, 20],
    # Unassigned, unknown customer: in support_kpis, not in the scorecard.
    ["B4", None, None, "email", None, "normal", "2025-01-15 10:00:00",
     "2025-01-15 10:30:00", "2025-01-15 12:00:00", None, None, None],
    # 10 min response; resolution Wednesday 09:00-12:00, 13:30-17:30 and
    # Thursday 08:00-09:00 = 8 business h (24 calendar h) -> met.
    ["C3", "KH1", "A1", "web", "billing", "normal", "2025-03-05 09:00:00",
     "2025-03-05 09:10:00", "2025-03-06 09:00:00", 1, 0, 30],
    # Unassigned and never answered, created on a Sunday: open 38 calendar
    # h at as_of but only Monday's 8 business h = 480 min, not over the low
    # target -> first response pending (breached on the calendar clock);
    # resolution pending.
    ["C1", "KH1", None, "zalo", "returns", "low", "2025-03-30 10:00:00", None, None,
     None, None, None],
    # Agent missing from agents.csv; open exactly 15 min at as_of: not over
    # the urgent target -> pending, pending.
    ["C2", None, "A3", "chat", None, "urgent", "2025-03-31 23:45:00", None, None,
     1, 0, None],
    # First response at as_of has not happened: open 2 h at night, 0
    # business time -> pending, pending.
    ["C5", "KH1", "A1", "phone", "billing", "normal", "2025-03-31 22:00:00",
     "2025-04-01 00:00:00", None, 1, 0, None],
    # Created at as_of: out of every mart.
    ["C4", "KH1", "A4", "phone", "billing", "high", "2025-04-01 00:00:00", None, None,
     None, None, None],
]
SURVEY_HEADER = ["response_id", "survey_type", "customer_id", "ticket_id", "score",
                 "submitted_at", "comment"]
SURVEYS = [
    ["N1", "nps", "KH1", None, 6, "2025-01-20 10:00:00", "Chậm"],
    ["N2", "nps", "KH1", None, 7, "2025-01-21 10:00:00", None],
    ["N3", "nps", "KH1", None, 8, "2025-01-22 10:00:00", None],
    ["N4", "nps", "KH1", None, 9, "2025-01-23 10:00:00", None],
    ["N5", "nps", "KH1", None, 10, "2025-01-24 10:00:00", None],
    ["N6", "nps", None, None, 3, "2025-03-15 10:00:00", None],
    # Saturday of the week of 2025-01-06, about B1 (A1): neutral.
    ["Q1", "csat", "KH1", "B1", 3, "2025-01-11 10:00:00", None],
    # About B2 (A1), week of 2025-01-13 where A1 has no ticket activity.
    ["Q2", "csat", "KH1", "B2", 4, "2025-01-16 10:00:00", None],
    # About the unassigned B4: counted in csat, attributed to nobody.
    ["Q3", "csat", None, "B4", 5, "2025-01-17 10:00:00", None],
    ["Q4", "csat", "KH1", None, 1, "2025-01-18 10:00:00", None],
    # About B5 (A2): A2's only activity in March (and in its week).
    ["Q5", "csat", "KH1", "B5", 2, "2025-03-03 10:00:00", None],
    # About an unknown ticket, and about C4 (created at as_of): unattributed.
    ["Q6", "csat", "KH1", "TX", 5, "2025-03-10 10:00:00", None],
    ["Q7", "csat", "KH1", "C4", 4, "2025-03-31 12:00:00", None],
    # Submitted at as_of: out of every mart.
    ["Q8", "csat", "KH1", "C3", 1, "2025-04-01 00:00:00", None],
]


def write_boundary_raw(folder: Path) -> None:
    write_csv(folder, "customers",
              ["customer_id", "full_name", "email", "phone", "city",
               "acquisition_channel", "signed_up_at"],
              [["KH1", "Khách Một", "k1@example.vn", "0900000001", "Hà Nội", "zalo",
                "2025-01-01"]])
    write_csv(folder, "orders",
              ["order_id", "customer_id", "status", "amount", "ordered_at"],
              [["O1", "KH1", "completed", "100", "2025-01-10 07:00:00"]])
    write_csv(folder, "agents", ["agent_id", "agent_name", "team"],
              [["A1", "Nguyễn Văn Một", "Team Bắc"], ["A2", "Trần Thị Hai", "Team Nam"]])
    write_csv(folder, "tickets", TICKET_HEADER, TICKETS)
    write_csv(folder, "survey_responses", SURVEY_HEADER, SURVEYS)


@pytest.fixture(scope="module")
def boundaries(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    raw = tmp_path_factory.mktemp("support_boundaries_raw")
    write_boundary_raw(raw)
    return build(tmp_path_factory.mktemp("support_boundaries"), raw,
                 {"as_of_date": "2025-04-01"})


def test_sla_statuses_at_the_boundaries(boundaries: Warehouse) -> None:
    statuses = {
        row["ticket_id"]: (row["first_response_sla_status"], row["resolution_sla_status"])
        for row in boundaries.rows("select * from marts.fct_tickets")
    }
    assert statuses == {
        "B1": ("met", "met"),
        "B2": ("breached", "met"),
        "B5": ("met", "met"),
        "B4": ("met", "met"),
        "C3": ("met", "met"),
        "C1": ("pending", "pending"),
        "C2": ("pending", "pending"),
        "C5": ("pending", "pending"),
    }


def test_ticket_fact_measures(boundaries: Warehouse) -> None:
    rows = {
        row["ticket_id"]: row
        for row in boundaries.rows("select * from marts.fct_tickets")
    }
    assert rows["B2"]["first_response_minutes"] == pytest.approx(60 + 1 / 60)
    assert rows["B2"]["first_response_business_minutes"] == pytest.approx(60 + 1 / 60)
    assert rows["B1"]["resolution_hours"] == pytest.approx(8.0)
    assert rows["B1"]["resolution_business_hours"] == pytest.approx(6.5)
    assert rows["B2"]["resolution_business_hours"] == pytest.approx(8.0)
    assert (rows["B5"]["first_response_business_minutes"],
            rows["B5"]["resolution_business_hours"]) == (0.0, 0.0)
    assert rows["C3"]["resolution_business_hours"] == pytest.approx(8.0)
    assert rows["C1"]["first_response_business_minutes"] is None
    clocks = {row["ticket_id"]: row["sla_clock"] for row in rows.values()}
    assert clocks == {"B1": "business", "B2": "business", "B5": "calendar", "B4": "business",
                      "C3": "business", "C1": "business", "C2": "calendar",
                      "C5": "business"}
    assert rows["B1"]["is_wait_within_target"] is True
    assert rows["B2"]["is_wait_within_target"] is False
    assert rows["B4"]["is_wait_within_target"] is None
    assert (rows["B4"]["agent_id"], rows["B4"]["team"], rows["B4"]["category"]) == (
        None, "unassigned", "uncategorized"
    )
    assert (rows["C2"]["agent_name"], rows["C2"]["team"]) == (None, "unassigned")
    assert rows["C5"]["first_response_at"] is None
    assert rows["C1"]["city"] == "Hà Nội"
    flags = {
        ticket_id: (row["is_resolved"], row["is_first_contact_resolution"],
                    row["is_reopened"])
        for ticket_id, row in rows.items()
    }
    assert flags["B1"] == (True, True, False)
    assert flags["B2"] == (True, False, False)
    assert flags["B5"] == (True, False, True)
    assert flags["C1"] == (False, False, False)


def test_survey_fact_bands_and_attribution(boundaries: Warehouse) -> None:
    rows = boundaries.rows(
        "select response_id, agent_id, team, nps_category, csat_band, nps_points, "
        "is_satisfied, has_valid_ticket from marts.fct_survey_responses "
        "order by response_id"
    )
    by_id = {row.pop("response_id"): tuple(row.values()) for row in rows}
    assert by_id == {
        "N1": (None, None, "detractor", None, -100, None, False),
        "N2": (None, None, "passive", None, 0, None, False),
        "N3": (None, None, "passive", None, 0, None, False),
        "N4": (None, None, "promoter", None, 100, None, False),
        "N5": (None, None, "promoter", None, 100, None, False),
        "N6": (None, None, "detractor", None, -100, None, False),
        "Q1": ("A1", "Team Bắc", None, "neutral", None, False, True),
        "Q2": ("A1", "Team Bắc", None, "satisfied", None, True, True),
        "Q3": (None, "unassigned", None, "satisfied", None, True, True),
        "Q4": (None, None, None, "dissatisfied", None, False, False),
        "Q5": ("A2", "Team Nam", None, "dissatisfied", None, False, True),
        "Q6": (None, None, None, "satisfied", None, True, False),
        "Q7": (None, None, None, "satisfied", None, True, False),
    }


def test_nps_bands_and_empty_month(boundaries: Warehouse) -> None:
    # January: 6 detractor, 7 and 8 passives, 9 and 10 promoters ->
    # 100 * (2 - 1) / 5 = 20. March: a lone 3 -> -100.
    assert_rows(boundaries, "nps", "month", NPS_COLUMNS, [
        (month(1), 5, 2, 2, 1, 20.0),
        (month(2), 0, 0, 0, 0, None),
        (month(3), 1, 0, 0, 1, -100.0),
    ])


def test_csat_neutral_and_empty_month(boundaries: Warehouse) -> None:
    # January: 3, 4, 5, 1 -> 2 satisfied of 4 (the neutral 3 only in the
    # denominator), mean 13 / 4. March: 2, 5, 4 (Q8 at as_of is out).
    assert_rows(boundaries, "csat", "month", CSAT_COLUMNS, [
        (month(1), 4, 2, 1, 1, 0.5, 3.25),
        (month(2), 0, 0, 0, 0, None, None),
        (month(3), 3, 2, 0, 1, 2 / 3, 11 / 3),
    ])


def test_support_kpis_months(boundaries: Warehouse) -> None:
    # January: created and resolved B1, B2, B4, B5; backlog 0.
    # March: created C1, C2, C3, C5 (C4 is at as_of); resolved C3; backlog 3.
    assert_rows(boundaries, "support_kpis", "month", KPI_COUNT_COLUMNS, [
        (month(1), 4, 4, 0),
        (month(2), 0, 0, 0),
        (month(3), 4, 1, 3),
    ])
    # January, over B1, B2, B4, B5:
    #   fcr B1, B4 -> 2 / 4; reopened B5 -> 1 / 4.
    #   first response minutes 15, 30, 60, 60 + 1/60: mean (165 + 1/60) / 4,
    #   median (30 + 60) / 2, p90 at rank 0.9 * 3 = 2.7: 60 + 0.7 * (1/60).
    #   resolution hours 2, 4, 8, 10: mean 6, median 6, p90 8 + 0.7 * 2.
    #   waits 60 (on target), 61, 20: mean 47, within 2 / 3.
    #   SLA: first response B2 breached, the others met -> 3 / 4;
    #   resolution all met -> 1.
    # March: only C3 answered and resolved (C5's response at as_of does not
    #   count); first response SLA met C3, pending C1, C2 and C5 -> 1;
    #   resolution SLA met C3, the rest pending -> 1.
    assert_rows(boundaries, "support_kpis", "month", KPI_RATE_COLUMNS, [
        (month(1), 1.0, 0.5, 0.25, (165 + 1 / 60) / 4, 45.0, 60 + 0.7 / 60,
         6.0, 6.0, 9.4, 47.0, 2 / 3, 0.75, 1.0),
        (month(2), *NULL_KPI_RATES),
        (month(3), 0.25, 1.0, 0.0, 10.0, 10.0, 10.0, 24.0, 24.0, 24.0, 30.0, 1.0,
         1.0, 1.0),
    ])
    # Business time over the same tickets. January: first responses 60, 60
    # + 1/60, 0 (B5, a Sunday) and 30 min; resolutions 6.5, 8, 0 and 2 h.
    # March: C3, 10 min and 8 h. Contact rate: January 4 tickets for the one
    # order O1; February and March have no order -> null.
    assert_rows(boundaries, "support_kpis", "month", KPI_BUSINESS_COLUMNS, [
        (month(1), (150 + 1 / 60) / 4, 16.5 / 4, 400.0),
        (month(2), None, None, None),
        (month(3), 10.0, 8.0, None),
    ])


def test_support_kpis_weeks_backlog_at_end_instant(boundaries: Warehouse) -> None:
    rows = {
        row["period_start"]: (row["tickets_created"], row["tickets_resolved"],
                              row["backlog_end"], row["is_complete"])
        for row in boundaries.rows(
            "select * from marts.support_kpis where period_grain = 'week'"
        )
    }
    assert len(rows) == 13
    # B5, resolved exactly at the week's end instant, is in its backlog...
    assert rows[date(2025, 1, 6)] == (3, 2, 1, True)
    # ...and resolved in the next week, out of that week's backlog.
    assert rows[date(2025, 1, 13)] == (1, 2, 0, True)
    assert rows[date(2025, 2, 10)] == (0, 0, 0, True)
    assert rows[date(2025, 3, 3)] == (1, 1, 0, True)
    assert rows[date(2025, 3, 24)] == (1, 0, 1, True)
    assert rows[date(2025, 3, 31)] == (2, 0, 3, False)
    empty_week = boundaries.rows(
        "select * from marts.support_kpis "
        "where period_grain = 'week' and period_start = date '2025-02-10'"
    )[0]
    assert all(empty_week[column] is None for column in KPI_RATE_COLUMNS[1:])


def test_support_kpis_quarter(boundaries: Warehouse) -> None:
    assert_rows(boundaries, "support_kpis", "quarter", KPI_COUNT_COLUMNS, [
        (month(1), 8, 5, 3),
    ])


def test_agent_scorecard_months(boundaries: Warehouse) -> None:
    # Unassigned B4 and C1 are left out; A4's ticket is at as_of; February
    # has no activity, so no row.
    a1, a2 = ("A1", "Nguyễn Văn Một", "Team Bắc"), ("A2", "Trần Thị Hai", "Team Nam")
    assert_rows(boundaries, "agent_scorecard", "month", SCORECARD_COLUMNS, [
        # B1 (first contact, 8 h, met) and B2 (10 h on the calendar, 8
        # business h: met); Q1 neutral, Q2 satisfied.
        (month(1), *a1, 2, 2, 0.5, 9.0, 1.0, 2, 0.5),
        # B5: reopened, 4 h, met.
        (month(1), *a2, 1, 1, 0.0, 4.0, 1.0, 0, None),
        # C3 and C5 assigned, C3 resolved.
        (month(3), *a1, 2, 1, 1.0, 24.0, 1.0, 0, None),
        # Only Q5 (about January's B5).
        (month(3), *a2, 0, 0, None, None, None, 1, 0.0),
        # Missing from agents.csv.
        (month(3), "A3", None, "unassigned", 1, 0, None, None, None, 0, None),
    ])


def test_agent_scorecard_weeks(boundaries: Warehouse) -> None:
    a1, a2 = ("A1", "Nguyễn Văn Một", "Team Bắc"), ("A2", "Trần Thị Hai", "Team Nam")
    assert_rows(boundaries, "agent_scorecard", "week", SCORECARD_COLUMNS, [
        (date(2025, 1, 6), *a1, 2, 2, 0.5, 9.0, 1.0, 1, 0.0),
        (date(2025, 1, 6), *a2, 1, 0, None, None, None, 0, None),
        # A1 only has Q2 this week.
        (date(2025, 1, 13), *a1, 0, 0, None, None, None, 1, 1.0),
        (date(2025, 1, 13), *a2, 0, 1, 0.0, 4.0, 1.0, 0, None),
        (date(2025, 3, 3), *a1, 1, 1, 1.0, 24.0, 1.0, 0, None),
        (date(2025, 3, 3), *a2, 0, 0, None, None, None, 1, 0.0),
        (date(2025, 3, 31), *a1, 1, 0, None, None, None, 0, None),
        (date(2025, 3, 31), "A3", None, "unassigned", 1, 0, None, None, None, 0, None),
    ])

"""The page's own words in English: its text, the names of periods and dates, and
for every KPI its name and its one-line definition from the contract
(docs/contract.md, section 3). The sections with a module of their own keep their
words beside it."""

from __future__ import annotations

from typing import Any

EN: dict[str, Any] = {
    "title": "Customer care report",
    "subtitle": "Customer, voice-of-the-customer and support KPIs, refreshed every night.",
    "grain_switch": "Show by",
    "grains": {"week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"},
    "period_short": {
        "week": "W{week:02d} {iso_year}",
        "month": "{month_name} {year}",
        "quarter": "Q{quarter} {year}",
        "year": "{year}",
    },
    "period_long": {
        "week": "Week {week} {iso_year} ({start} – {end})",
        "month": "{month_name} {year}",
        "quarter": "Q{quarter} {year}",
        "year": "{year}",
    },
    "date": "{day} {month_name} {year}",
    "month_names": [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    ],
    "points": "pp",
    "incomplete_mark": "*",
    "incomplete_note": "* Period still in progress: its numbers will change.",
    "source_published": "Source: the published snapshot {path}, published {time}.",
    "source_work": "Source: the work warehouse {path} (nothing is published yet).",
    "generated_at": "Report built {time}.",
    "last_failure": (
        "The last nightly run failed at {time} ({step}): the numbers below are from the "
        "previous snapshot."
    ),
    "latest_period": "Latest complete period: {period}",
    "no_complete_period": "No complete period at this grain yet.",
    "previous": "vs previous period: {change}",
    "previous_missing": "no previous period to compare with",
    "no_data": "No data",
    "no_data_detail": "The warehouse has no numbers for this chart yet.",
    "missing_value": "–",
    "definitions": "Definitions",
    "sections": {
        "headline": "Overview",
        "customers": "Customers",
        "voice": "Voice of the customer",
        "support": "Support operations",
        "agents": "Agents and teams",
        "quality": "Data quality",
    },
    "textbook_note": (
        "The textbook CRR/CCR use only the start, end and new-customer counts, so they assume "
        "every new customer is still active at the end and nobody comes back; retention and "
        "churn count each customer, so the two differ whenever customers return or new "
        "customers lapse within the period."
    ),
    "cohort_note": "By month of first purchase; the period switch does not apply.",
    "dim_note": "As of the data's cut-off; the period switch does not apply.",
    "agents_period": "Period: {period}",
    "agents_sort_hint": "Click a column heading to sort.",
    "teams_table": "By team",
    "agents_table": "By agent",
    "team": "Team",
    "agent": "Agent",
    "agent_id": "ID",
    "reconciliation_table": "Source row reconciliation",
    "rejected_table": "Rejected rows by table and reason",
    "rejected_none": "No row was rejected.",
    "rejected_unavailable": (
        "The published snapshot holds the reconciliation counts only; the reasons are in the "
        "work warehouse, which cannot be read now."
    ),
    "gates_table": "Quality gates of the last nightly run",
    "gates_run": "Run {run_id}, {time}: {passed} of {total} checks passed.",
    "gates_none": (
        "No nightly run has recorded its quality gates yet (run `make nightly`, or let "
        "Dagster's schedule run)."
    ),
    "gates_dbt": "dbt tests: {passed} of {total} passed",
    "gate_status": {"passed": "Passed", "warning": "Warning", "failed": "Failed"},
    "columns": {
        "source_table": "Source table",
        "raw_rows": "Raw rows",
        "valid_rows": "Valid",
        "duplicate_rows": "Duplicates",
        "rejected_rows": "Rejected",
        "rejected_share": "Rejected share",
        "reason": "Reason",
        "rows": "Rows",
        "check": "Check",
        "asset": "Asset",
        "status": "Result",
        "description": "Description",
        "stage": "Stage",
        "tier": "Tier",
        "customers": "Customers",
        "period": "Period",
        "series": "Measure",
        "value": "Value",
        "cohort": "Cohort (first purchase)",
        "month_offset": "Month",
        "share": "Share",
    },
    "lifecycle_stages": {
        "prospect": "Prospect",
        "new": "New",
        "active": "Active",
        "at_risk": "At risk",
        "churned": "Churned",
    },
    "loyalty_tiers": {
        "none": "No purchase",
        "one_time": "One-time",
        "repeat": "Repeat (2–4)",
        "loyal": "Loyal (5+)",
    },
    "charts": {
        "active_customers": "Active customers and their flows",
        "retention_churn": "Retention and churn rate",
        "revenue": "Revenue from new and returning customers",
        "cohorts": "Cohort retention",
        "lifecycle": "Customer lifecycle stages",
        "loyalty": "Loyalty tiers",
        "nps": "Net Promoter Score",
        "csat": "Customer satisfaction (CSAT)",
        "tickets": "Tickets and backlog",
        "fcr": "First contact resolution and reopens",
        "first_response": "First response time",
        "resolution": "Resolution time",
        "wait": "Wait within target",
        "sla": "SLA attainment",
        "team_csat": "CSAT by team",
        "rejected": "Rejected rows by reason",
    },
    "kpis": {
        "customers_end": (
            "Active customers",
            "Customers with a completed order in the W days before the period's end (90 days).",
        ),
        "retained_customers": ("Retained", "Active at the start and still active at the end."),
        "churned_customers": ("Churned", "Active at the start, not active at the end."),
        "reactivated_customers": (
            "Reactivated",
            "Not active at the start, active at the end, first purchase before the period.",
        ),
        "new_customers": (
            "New customers", "Customers whose first completed order is in the period."
        ),
        "new_customers_active_at_end": (
            "New, still active", "New customers of the period still active at its end."
        ),
        "retention_rate": ("Retention rate", "Retained customers / customers active at the start."),
        "churn_rate": ("Churn rate", "Churned customers / customers active at the start."),
        "retention_rate_textbook": (
            "Textbook CRR", "(Customers at end − new customers) / customers at start, unclipped."
        ),
        "churn_rate_textbook": (
            "Textbook CCR",
            "(Customers at start − customers at end) / customers at start, unclipped.",
        ),
        "revenue": ("Revenue", "Sum of the amounts of completed orders placed in the period."),
        "revenue_new_customers": (
            "Revenue, new customers",
            "Revenue of customers whose first purchase is in the same period.",
        ),
        "revenue_returning_customers": (
            "Revenue, returning customers", "Revenue of the other customers (bought before)."
        ),
        "returning_revenue_share": (
            "Returning revenue share", "Revenue from returning customers / revenue."
        ),
        "cohort_retention": (
            "Cohort retention",
            "Members of the cohort (month of first purchase) who bought that month / cohort size.",
        ),
        "lifecycle_stage": (
            "Lifecycle stage",
            "Prospect: no purchase; churned: none in W days; new: first purchase in 30 days; "
            "at risk: last purchase over 60 days ago; otherwise active.",
        ),
        "loyalty_tier": ("Loyalty tier", "By number of purchases: 0, 1, 2–4, 5 or more."),
        "nps": ("NPS", "100 × (promoters − detractors) / NPS responses, from −100 to 100."),
        "promoters": ("Promoters", "NPS score 9–10."),
        "passives": ("Passives", "NPS score 7–8."),
        "detractors": ("Detractors", "NPS score 0–6."),
        "csat_rate": (
            "CSAT rate", "Ratings of 4–5 / CSAT responses (a neutral 3 is not satisfied)."
        ),
        "avg_rating": ("Average rating", "Mean CSAT score, on a 1–5 scale."),
        "tickets_created": ("Tickets created", "Tickets created in the period."),
        "tickets_resolved": (
            "Tickets resolved", "Tickets resolved in the period, whenever they were created."
        ),
        "backlog_end": (
            "Backlog at end", "Tickets created before the period's end and unresolved at it."
        ),
        "fcr_rate": (
            "First contact resolution (FCR)",
            "Of the period's resolved tickets: share with one contact and no reopen.",
        ),
        "reopen_rate": (
            "Reopen rate", "Of the period's resolved tickets: share reopened at least once."
        ),
        "median_first_response_minutes": (
            "First response, median (min)",
            "Median minutes from creation to the first agent reply.",
        ),
        "p90_first_response_minutes": (
            "First response, p90 (min)", "90% of tickets got a first reply within this time."
        ),
        "median_resolution_hours": (
            "Resolution time, median (h)", "Median hours from creation to resolution."
        ),
        "p90_resolution_hours": (
            "Resolution time, p90 (h)", "90% of resolved tickets were resolved within this time."
        ),
        "wait_within_target_rate": (
            "Wait within target",
            "Of tickets with a queue time: share that waited no longer than the target (60 s).",
        ),
        "first_response_sla_rate": (
            "First-response SLA",
            "Met / (met + breached) against each priority's minutes target, on that priority's "
            "clock (calendar or business hours); pending not counted.",
        ),
        "resolution_sla_rate": (
            "Resolution SLA",
            "Met / (met + breached) against each priority's hours target, on that priority's "
            "clock (calendar or business hours); pending not counted.",
        ),
        "tickets_assigned": ("Assigned", "Tickets created in the period with this agent."),
        "agent_tickets_resolved": ("Resolved", "Tickets this agent resolved in the period."),
        "agent_fcr_rate": ("FCR", "Of the tickets the agent resolved: first contact resolution."),
        "avg_resolution_hours": (
            "Avg resolution (h)", "Average resolution time of those tickets."
        ),
        "agent_resolution_sla_rate": (
            "Resolution SLA", "Share of those tickets that met the resolution SLA."
        ),
        "csat_responses": (
            "CSAT responses", "CSAT responses in the period about this agent's tickets."
        ),
        "agent_csat_rate": ("CSAT", "Ratings of 4–5 / CSAT responses about the agent."),
        "source_reconciliation": (
            "Source reconciliation",
            "Per source table: raw rows = valid + duplicate + rejected (reasons below).",
        ),
    },
}

{#- agent_scorecard against the facts: for every grain, period and agent,
    tickets_assigned (fct_tickets of the agent created in the period),
    tickets_resolved (resolved in it) and csat_responses (CSAT responses of
    fct_survey_responses attributed to the agent, submitted in it), the
    resolution SLA rate from the statuses of the tickets resolved in it
    (each on its priority's clock); and a row exactly for the agents with
    any of the three (contract 3.5). The
    facts are counted per agent and day first, and the days are placed in
    periods before the agents meet them. -#}
with periods as (
    {{ periods_with_end_date(ref('int_periods')) }}
),

activity_by_day as (
    select
        agent_id,
        cast(created_at as date) as activity_date,
        count(*) as assigned,
        0 as resolved,
        0 as resolutions_met,
        0 as resolutions_breached,
        0 as rated
    from {{ ref('fct_tickets') }}
    where agent_id is not null
    group by agent_id, cast(created_at as date)
    union all
    select
        agent_id,
        cast(resolved_at as date) as activity_date,
        0 as assigned,
        count(*) as resolved,
        count(case when resolution_sla_status = 'met' then 1 end)
            as resolutions_met,
        count(case when resolution_sla_status = 'breached' then 1 end)
            as resolutions_breached,
        0 as rated
    from {{ ref('fct_tickets') }}
    where agent_id is not null and resolved_at is not null
    group by agent_id, cast(resolved_at as date)
    union all
    select
        agent_id,
        cast(submitted_at as date) as activity_date,
        0 as assigned,
        0 as resolved,
        0 as resolutions_met,
        0 as resolutions_breached,
        count(*) as rated
    from {{ ref('fct_survey_responses') }}
    where agent_id is not null and survey_type = 'csat'
    group by agent_id, cast(submitted_at as date)
),

activity_days as (
    select distinct activity_date from activity_by_day
),

days_in_periods as (
    {#- Days first, then agents: the range join stays small. -#}
    select
        periods.period_grain,
        periods.period_start,
        active_days.activity_date
    from periods
    inner join activity_days as active_days
        on {{ in_period('active_days.activity_date') }}
),

expected as (
    select
        active_days.period_grain,
        active_days.period_start,
        activity_by_day.agent_id,
        sum(activity_by_day.assigned) as tickets_assigned,
        sum(activity_by_day.resolved) as tickets_resolved,
        cast(sum(activity_by_day.resolutions_met) as double)
        / nullif(
            sum(
                activity_by_day.resolutions_met
                + activity_by_day.resolutions_breached
            ),
            0
        ) as resolution_sla_rate,
        sum(activity_by_day.rated) as csat_responses
    from days_in_periods as active_days
    inner join activity_by_day
        on active_days.activity_date = activity_by_day.activity_date
    group by
        active_days.period_grain,
        active_days.period_start,
        activity_by_day.agent_id
)

select
    coalesce(mart.period_grain, expected.period_grain) as period_grain,
    coalesce(mart.period_start, expected.period_start) as period_start,
    coalesce(mart.agent_id, expected.agent_id) as agent_id,
    mart.tickets_assigned,
    expected.tickets_assigned as expected_tickets_assigned,
    mart.tickets_resolved,
    expected.tickets_resolved as expected_tickets_resolved,
    mart.csat_responses,
    expected.csat_responses as expected_csat_responses,
    mart.resolution_sla_rate,
    expected.resolution_sla_rate as expected_resolution_sla_rate
from {{ ref('agent_scorecard') }} as mart
full outer join expected
    on mart.period_grain = expected.period_grain
    and mart.period_start = expected.period_start
    and mart.agent_id = expected.agent_id
where mart.agent_id is null
    or expected.agent_id is null
    or mart.tickets_assigned <> expected.tickets_assigned
    or mart.tickets_resolved <> expected.tickets_resolved
    or mart.csat_responses <> expected.csat_responses
    or {{ values_differ(
        'mart.resolution_sla_rate', 'expected.resolution_sla_rate'
    ) }}

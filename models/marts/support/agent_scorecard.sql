{#- Agent performance per period (contract 3.5): one row per grain, period
    and agent with any activity in it. An agent is active in a period when a
    ticket of theirs is created in it (assigned), resolved in it, or a CSAT
    response about one of their tickets is submitted in it. Tickets without
    an agent, and CSAT responses without a valid ticket or about an
    unassigned one, are left out (they count in support_kpis and csat).
    fcr_rate, avg_resolution_hours and resolution_sla_rate are over the
    tickets resolved in the period. The three kinds of activity are stacked
    as events and aggregated once per grain and agent (grouping sets) before
    they meet the spine: no fan-out, no tickets x periods join. -#}
with periods as (select * from {{ ref('int_periods') }}),

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
    where agent_id is not null
),

survey_responses as (
    select * from {{ ref('int_survey_responses_enriched') }}
    where survey_type = 'csat'
        and agent_id is not null
),

agent_events as (
    {#- The first branch fixes the column types; later bare nulls take
        them. -#}
    select
        agent_id,
        agent_name,
        team,
        'assigned' as event_type,
        created_at as event_at,
        is_first_contact_resolution,
        resolution_hours,
        resolution_sla_status,
        cast(null as {{ dbt.type_boolean() }}) as is_satisfied
    from tickets
    union all
    select
        agent_id,
        agent_name,
        team,
        'resolved' as event_type,
        resolved_at as event_at,
        is_first_contact_resolution,
        resolution_hours,
        resolution_sla_status,
        null as is_satisfied
    from tickets
    where resolved_at is not null
    union all
    select
        agent_id,
        agent_name,
        team,
        'csat_response' as event_type,
        submitted_at as event_at,
        null as is_first_contact_resolution,
        null as resolution_hours,
        null as resolution_sla_status,
        is_satisfied
    from survey_responses
),

events_with_periods as (
    select
        agent_events.*,
        {{ period_start_columns('agent_events.event_at') }}
    from agent_events
),

activity_by_period as (
    select
        {{ grouped_period_keys() }},
        agent_id,
        {#- Every event of an agent carries the same name and team. -#}
        max(agent_name) as agent_name,
        max(team) as team,
        count(case when event_type = 'assigned' then 1 end)
            as tickets_assigned,
        count(case when event_type = 'resolved' then 1 end)
            as tickets_resolved,
        count(case
            when event_type = 'resolved' and is_first_contact_resolution
                then 1
        end) as first_contact_resolutions,
        avg(case when event_type = 'resolved' then resolution_hours end)
            as avg_resolution_hours,
        count(case
            when event_type = 'resolved' and resolution_sla_status = 'met'
                then 1
        end) as resolutions_met,
        count(case
            when event_type = 'resolved'
                and resolution_sla_status = 'breached'
                then 1
        end) as resolutions_breached,
        count(case when event_type = 'csat_response' then 1 end)
            as csat_responses,
        count(case
            when event_type = 'csat_response' and is_satisfied then 1
        end) as satisfied_responses
    from events_with_periods
    group by {{ period_grouping_sets(['agent_id']) }}  -- noqa: PRS
),

final as (
    select
        {{ period_columns('periods') }},
        activity.agent_id,
        activity.agent_name,
        activity.team,
        activity.tickets_assigned,
        activity.tickets_resolved,
        {{ safe_divide(
            'activity.first_contact_resolutions',
            'activity.tickets_resolved',
        ) }} as fcr_rate,
        activity.avg_resolution_hours,
        {{ safe_divide(
            'activity.resolutions_met',
            'activity.resolutions_met + activity.resolutions_breached',
        ) }} as resolution_sla_rate,
        activity.csat_responses,
        {{ safe_divide(
            'activity.satisfied_responses',
            'activity.csat_responses',
        ) }} as csat_rate
    from activity_by_period as activity
    inner join periods
        on activity.period_grain = periods.period_grain
        and activity.period_start = periods.period_start
)

select * from final

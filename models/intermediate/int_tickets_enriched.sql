{#- Valid, de-duplicated tickets created before as_of, with their agent and
    team, durations and SLA statuses as of as_of. A first response or a
    resolution at or after as_of has not happened yet. -#}
with tickets as (select * from {{ ref('stg_helpdesk__tickets') }}),

agents as (select * from {{ ref('stg_helpdesk__agents') }}),

sla_targets as (select * from {{ ref('sla_targets') }}),

scoped as (
    select
        tickets.ticket_id,
        tickets.customer_id,
        tickets.agent_id,
        tickets.channel,
        tickets.category,
        tickets.priority,
        tickets.contact_count,
        tickets.reopen_count,
        tickets.wait_seconds,
        tickets.created_at,
        case
            when tickets.first_response_at < {{ as_of_at() }}
                then tickets.first_response_at
        end as first_response_at,
        case
            when tickets.resolved_at < {{ as_of_at() }}
                then tickets.resolved_at
        end as resolved_at,
        {{ as_of_at() }} as as_of_at
    from tickets
    where tickets.created_at < {{ as_of_at() }}
),

joined as (
    select
        scoped.*,
        agents.agent_name,
        case
            when scoped.agent_id is null then 'unassigned'
            else coalesce(agents.team, 'unassigned')
        end as team,
        sla_targets.first_response_target_minutes,
        sla_targets.resolution_target_hours,
        {{ microseconds_between(
            'scoped.created_at', 'scoped.first_response_at'
        ) }}
            as first_response_microseconds,
        {{ microseconds_between('scoped.created_at', 'scoped.resolved_at') }}
            as resolution_microseconds,
        {{ microseconds_between('scoped.created_at', 'scoped.as_of_at') }}
            as open_microseconds
    from scoped
    left join agents
        on scoped.agent_id = agents.agent_id
    left join sla_targets
        on scoped.priority = sla_targets.priority
),

final as (
    select
        ticket_id,
        customer_id,
        agent_id,
        agent_name,
        team,
        channel,
        category,
        priority,
        contact_count,
        reopen_count,
        wait_seconds,
        {{ duration_in('first_response_microseconds', 'minute') }}
            as first_response_minutes,
        {{ duration_in('resolution_microseconds', 'hour') }}
            as resolution_hours,
        first_response_target_minutes,
        resolution_target_hours,
        {{ sla_status(
            'first_response_microseconds',
            'cast(first_response_target_minutes as ' ~ dbt.type_bigint() ~ ') * '
            ~ microseconds_in('minute'),
        ) }} as first_response_sla_status,
        {{ sla_status(
            'resolution_microseconds',
            'cast(resolution_target_hours as ' ~ dbt.type_bigint() ~ ') * '
            ~ microseconds_in('hour'),
        ) }} as resolution_sla_status,
        wait_seconds
        <= {{ var('wait_target_seconds') }} as is_wait_within_target,
        resolved_at is not null as is_resolved,
        resolved_at is not null
        and contact_count = 1
        and reopen_count = 0 as is_first_contact_resolution,
        reopen_count > 0 as is_reopened,
        created_at,
        first_response_at,
        resolved_at
    from joined
)

select * from final

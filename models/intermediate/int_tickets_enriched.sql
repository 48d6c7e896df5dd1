{#- Valid, de-duplicated tickets created before as_of, with their agent and
    team, durations on both clocks and SLA statuses as of as_of. A first
    response or a resolution at or after as_of has not happened yet.

    Business durations (contract section 7) are differences of the
    business clock's readings (macros/time/business_time.sql): each
    instant is looked up in the day spine and the minute profile, built
    here from int_business_hours and the holidays seed. The SLA of a
    ticket runs on the clock of its priority (sla_targets.clock). The
    clock's readings at the three instants, the targets and the clock stay
    in this model, so that an SLA status can be taken at another instant
    than as_of: sla_status with that instant's elapsed times (sla_elapsed),
    the reading at a midnight coming from int_business_days. -#}
with tickets as (select * from {{ ref('stg_helpdesk__tickets') }}),

agents as (select * from {{ ref('stg_helpdesk__agents') }}),

sla_targets as (select * from {{ ref('sla_targets') }}),

{{ business_calendar_ctes() }},

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

as_of_clock as (
    select
        {{ business_clock_at('reporting_window.as_of_at', 'as_of') }}
            as business_clock_at_as_of
    from (select {{ as_of_at() }} as as_of_at) as reporting_window
    {{ business_clock_joins('reporting_window.as_of_at', 'as_of') }}
),

clocked as (
    select
        scoped.*,
        {{ business_clock_at('scoped.created_at', 'created') }}
            as business_clock_at_creation,
        {{ business_clock_at('scoped.first_response_at', 'first_response') }}
            as business_clock_at_first_response,
        {{ business_clock_at('scoped.resolved_at', 'resolved') }}
            as business_clock_at_resolution
    from scoped
    {{ business_clock_joins('scoped.created_at', 'created') }}
    {{ business_clock_joins('scoped.first_response_at', 'first_response') }}
    {{ business_clock_joins('scoped.resolved_at', 'resolved') }}
),

joined as (
    select
        clocked.*,
        agents.agent_name,
        case
            when clocked.agent_id is null then 'unassigned'
            else coalesce(agents.team, 'unassigned')
        end as team,
        sla_targets.first_response_target_minutes,
        sla_targets.resolution_target_hours,
        lower({{ clean_text('sla_targets.clock') }}) as sla_clock,
        {{ microseconds_between(
            'clocked.created_at', 'clocked.first_response_at'
        ) }}
            as first_response_microseconds,
        {{ microseconds_between('clocked.created_at', 'clocked.resolved_at') }}
            as resolution_microseconds,
        {{ microseconds_between('clocked.created_at', 'clocked.as_of_at') }}
            as open_microseconds,
        clocked.business_clock_at_first_response
        - clocked.business_clock_at_creation
            as first_response_business_microseconds,
        clocked.business_clock_at_resolution
        - clocked.business_clock_at_creation
            as resolution_business_microseconds,
        as_of_clock.business_clock_at_as_of
        - clocked.business_clock_at_creation
            as open_business_microseconds
    from clocked
    cross join as_of_clock
    left join agents
        on clocked.agent_id = agents.agent_id
    left join sla_targets
        on clocked.priority = sla_targets.priority
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
        {{ duration_in('first_response_business_microseconds', 'minute') }}
            as first_response_business_minutes,
        {{ duration_in('resolution_business_microseconds', 'hour') }}
            as resolution_business_hours,
        sla_clock,
        first_response_target_minutes,
        resolution_target_hours,
        {{ sla_status(
            sla_elapsed(
                'sla_clock',
                'first_response_microseconds',
                'first_response_business_microseconds',
            ),
            sla_elapsed(
                'sla_clock', 'open_microseconds', 'open_business_microseconds'
            ),
            sla_target_microseconds('first_response_target_minutes', 'minute'),
        ) }} as first_response_sla_status,
        {{ sla_status(
            sla_elapsed(
                'sla_clock',
                'resolution_microseconds',
                'resolution_business_microseconds',
            ),
            sla_elapsed(
                'sla_clock', 'open_microseconds', 'open_business_microseconds'
            ),
            sla_target_microseconds('resolution_target_hours', 'hour'),
        ) }} as resolution_sla_status,
        wait_seconds
        <= {{ var('wait_target_seconds') }} as is_wait_within_target,
        resolved_at is not null as is_resolved,
        resolved_at is not null
        and contact_count = 1
        and reopen_count = 0 as is_first_contact_resolution,
        reopen_count > 0 as is_reopened,
        business_clock_at_creation,
        business_clock_at_first_response,
        business_clock_at_resolution,
        created_at,
        first_response_at,
        resolved_at
    from joined
)

select * from final

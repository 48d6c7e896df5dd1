{#- The service band (contract 3.10) of a customer at a boundary instant S:
    every period start of the spine, and as_of (dim_customers' band). One
    row per customer and boundary whose band is not no_ticket, that is with
    a ticket created in [S - W, S) or a bad survey score submitted in it,
    among the customer's own rows (a row without customer_id belongs to
    nobody). Every other customer is no_ticket at every boundary.

    One pass over the events: an event at t lies in the window of the
    boundaries S in (t, t + W] only, a bounded number per event whatever
    the length of the history, so events are joined to the boundaries of
    their own day and the next W days (an equality join on the event's day
    with a small table of boundary days), never customers x periods. -#}
{%- set window_days = var('churn_window_days') %}
with periods as (select * from {{ ref('int_periods') }}),

tickets as (select * from {{ ref('int_tickets_enriched') }}),

survey_responses as (select * from {{ ref('int_survey_responses_enriched') }}),

boundaries as (
    select period_start_at as boundary_at from periods
    union
    select {{ as_of_at() }} as boundary_at
),

day_offsets as (
    {#- 0 .. W: the days before a boundary on which an event in its window
        can fall. -#}
    select cast(generated_number - 1 as {{ dbt.type_int() }}) as day_offset
    from ({{ dbt.generate_series(window_days + 1) }}) as series
),

boundary_days as (
    select
        boundaries.boundary_at,
        cast(
            {{ timestamp_add(
                'day', '-day_offsets.day_offset', 'boundaries.boundary_at'
            ) }} as date
        ) as event_day
    from boundaries
    cross join day_offsets
    where boundaries.boundary_at is not null
),

tickets_in_windows as (
    {#- Each ticket of a customer at each boundary S whose window holds
        its creation. An SLA event (first response, resolution) at or after
        S has not happened at S; one that happened keeps its status of
        int_tickets_enriched, on the ticket's own clock. A target not yet
        met is breached at S when the ticket's elapsed time from created_at
        to S exceeds it (3.4 with as_of replaced by S). -#}
    {#- The ticket's elapsed time from created_at to S, in microseconds on
        its own clock: calendar microseconds today. The one expression to
        change when targets run on a business clock (contract section 7). -#}
    {%- set elapsed_to_boundary = microseconds_between(
        'tickets.created_at', 'boundary_days.boundary_at'
    ) %}
    {%- set bigint = dbt.type_bigint() %}
    select
        tickets.customer_id,
        boundary_days.boundary_at,
        tickets.resolved_at is null
        or tickets.resolved_at >= boundary_days.boundary_at as is_unresolved,
        case
            when tickets.first_response_at < boundary_days.boundary_at
                then tickets.first_response_sla_status = 'breached'
            else {{ elapsed_to_boundary }}
                > cast(tickets.first_response_target_minutes as {{ bigint }})
                * {{ microseconds_in('minute') }}
        end
        or case
            when tickets.resolved_at < boundary_days.boundary_at
                then tickets.resolution_sla_status = 'breached'
            else {{ elapsed_to_boundary }}
                > cast(tickets.resolution_target_hours as {{ bigint }})
                * {{ microseconds_in('hour') }}
        end as is_sla_breached
    from tickets
    inner join boundary_days
        on cast(tickets.created_at as date) = boundary_days.event_day
    where tickets.customer_id is not null
        and tickets.created_at
        >= {{ timestamp_add('day', -window_days, 'boundary_days.boundary_at') }}
        and tickets.created_at < boundary_days.boundary_at
),

responses_in_windows as (
    {#- Bad scores only: a CSAT rating of 1-2 or an NPS score of 0-6,
        as int_survey_responses_enriched bands them. -#}
    select
        survey_responses.customer_id,
        boundary_days.boundary_at
    from survey_responses
    inner join boundary_days
        on cast(survey_responses.submitted_at as date) = boundary_days.event_day
    where survey_responses.customer_id is not null
        and (
            survey_responses.csat_band = 'dissatisfied'
            or survey_responses.nps_category = 'detractor'
        )
        and survey_responses.submitted_at
        >= {{ timestamp_add('day', -window_days, 'boundary_days.boundary_at') }}
        and survey_responses.submitted_at < boundary_days.boundary_at
),

events_in_windows as (
    select
        customer_id,
        boundary_at,
        {{ service_band_rank(
            'is_unresolved', 'false', 'is_sla_breached', 'true'
        ) }} as service_band_rank
    from tickets_in_windows
    union all
    select
        customer_id,
        boundary_at,
        {{ service_band_rank('false', 'true', 'false', 'false') }}
            as service_band_rank
    from responses_in_windows
),

final as (
    select
        customer_id,
        {{ service_band_of('min(service_band_rank)') }} as service_band,
        boundary_at
    from events_in_windows
    group by customer_id, boundary_at
)

select * from final

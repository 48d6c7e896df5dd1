{#- The service band (contract 3.10) of each customer over time: one row
    per customer and segment (band_from_at, band_to_at] in which the band
    is the same and is not no_ticket; the band at an instant S is the one
    of the segment holding S, no_ticket when none does. The band at S looks
    at the customer's own tickets and survey responses (a row without
    customer_id belongs to nobody) in the window [S - W, S), so an event at
    t counts for S in (t, t + W]:
      a ticket created at c, resolved at r (null: not yet): in the window
        for S in (c, c + W], unresolved for S in (c, r] (resolved_at null
        or >= S);
      its SLA, once resolved: an SLA event that happened before S keeps
        its status of int_tickets_enriched (the priority's clock), so a
        ticket answered by r is breached for every S in (r, c + W] or for
        none; a ticket resolved without a first response before r is
        judged at each boundary S in (r, c + W] (a period start or as_of)
        with the rule of 3.4, as_of replaced by S;
      a CSAT rating of 1-2 or an NPS score of 0-6 submitted at t:
        dissatisfied for S in (t, t + W].
    Each event becomes a few change points (+1 / -1 to the number of open
    windows of each kind), and one ordered pass per customer over them
    gives the segments: a cost in events, never customers x periods and
    never one pass per band. -#}
{%- set window_days = var('churn_window_days') %}
{%- set packed_count_unit = 4294967296 %}
with periods as (select * from {{ ref('int_periods') }}),

tickets as (select * from {{ ref('int_tickets_enriched') }}),

survey_responses as (select * from {{ ref('int_survey_responses_enriched') }}),

business_days as (select * from {{ ref('int_business_days') }}),

ticket_windows as (
    select
        customer_id,
        created_at,
        {{ timestamp_add('day', window_days, 'created_at') }} as window_end_at,
        resolved_at,
        first_response_at,
        first_response_sla_status,
        resolution_sla_status,
        first_response_target_minutes,
        resolution_target_hours,
        sla_clock,
        business_clock_at_creation,
        resolved_at is not null
        and resolved_at
        < {{ timestamp_add('day', window_days, 'created_at') }}
            as is_resolved_in_window,
        first_response_at is not null
        and first_response_at <= resolved_at as is_answered_when_resolved
    from tickets
    where customer_id is not null
),

change_kinds as (
    select cast(generated_number as {{ dbt.type_int() }}) as change_kind
    from ({{ dbt.generate_series(3) }}) as series
),

ticket_changes as (
    {#- Kind 1, at creation: the window and the unresolved time open.
        Kind 2, at a resolution in the window: unresolved ends, and a
        breach opens for a ticket answered by then whose response or
        resolution SLA is breached. Kind 3, at the window's end: the
        window ends, with the unresolved time of a ticket not resolved in
        it and with the breach. -#}
    {%- set is_breached_when_resolved = "ticket_windows.is_resolved_in_window
            and ticket_windows.is_answered_when_resolved
            and (ticket_windows.first_response_sla_status = 'breached'
                or ticket_windows.resolution_sla_status = 'breached')" %}
    select
        ticket_windows.customer_id,
        case
            when change_kinds.change_kind = 1 then ticket_windows.created_at
            when change_kinds.change_kind = 3 then ticket_windows.window_end_at
            when ticket_windows.is_resolved_in_window
                then ticket_windows.resolved_at
        end as changed_at,
        case
            when change_kinds.change_kind = 1 then 1
            when change_kinds.change_kind = 2 then -1
            when ticket_windows.is_resolved_in_window then 0
            else -1
        end as unresolved_change,
        0 as dissatisfied_change,
        case
            when not ({{ is_breached_when_resolved }}) then 0
            when change_kinds.change_kind = 2 then 1
            when change_kinds.change_kind = 3 then -1
            else 0
        end as sla_breached_change,
        case change_kinds.change_kind
            when 1 then 1 when 3 then -1 else 0
        end as ticket_change
    from ticket_windows
    cross join change_kinds
),

boundary_instants as (
    select period_start_at as boundary_at from periods
    union
    select {{ as_of_at() }} as boundary_at
),

boundaries as (
    {#- Every boundary is a local midnight (a period start, or as_of), so
        the business clock's reading there is its date's on the day
        spine, the spine int_tickets_enriched reads its instants on. -#}
    select
        boundary_instants.boundary_at,
        business_days.business_microseconds_before as business_clock_at_boundary
    from boundary_instants
    left join business_days
        on
        cast(boundary_instants.boundary_at as date)
        = business_days.business_date
),

day_offsets as (
    {#- 0 .. W: a boundary lies at most W days after a resolution in the
        window. -#}
    select cast(generated_number - 1 as {{ dbt.type_int() }}) as day_offset
    from ({{ dbt.generate_series(window_days + 1) }}) as series
),

boundary_days as (
    select
        boundaries.boundary_at,
        boundaries.business_clock_at_boundary,
        cast(
            {{ timestamp_add(
                'day', '-day_offsets.day_offset', 'boundaries.boundary_at'
            ) }} as date
        ) as resolved_day
    from boundaries
    cross join day_offsets
    where boundaries.boundary_at is not null
),

unanswered_breaches as (
    {#- A ticket resolved in its window without a first response before
        its resolution: at each boundary S after the resolution, the
        response target is breached when the response has not happened by
        S and the ticket's elapsed time from created_at to S exceeds the
        target, or when it happened late; the resolution's status is
        settled. Each breached boundary is a segment (S - 1 microsecond,
        S] holding only S. -#}
    {#- The ticket's elapsed time from created_at to S, in microseconds on
        its priority's clock (contract sections 3.4 and 7). -#}
    {%- set elapsed_to_boundary -%}
        case ticket_windows.sla_clock
            when 'business' then boundary_days.business_clock_at_boundary
                - ticket_windows.business_clock_at_creation
            else {{ microseconds_between(
                'ticket_windows.created_at', 'boundary_days.boundary_at'
            ) }}
        end
    {%- endset %}
    select
        ticket_windows.customer_id,
        boundary_days.boundary_at
    from ticket_windows
    inner join boundary_days
        on cast(ticket_windows.resolved_at as date) = boundary_days.resolved_day
    where ticket_windows.is_resolved_in_window
        and not ticket_windows.is_answered_when_resolved
        and boundary_days.boundary_at > ticket_windows.resolved_at
        and boundary_days.boundary_at <= ticket_windows.window_end_at
        and (
            ticket_windows.resolution_sla_status = 'breached'
            or case
                when
                    ticket_windows.first_response_at
                    < boundary_days.boundary_at
                    then ticket_windows.first_response_sla_status = 'breached'
                else {{ elapsed_to_boundary }}
                    > cast(
                        ticket_windows.first_response_target_minutes
                        as {{ dbt.type_bigint() }}
                    ) * {{ microseconds_in('minute') }}
            end
        )
),

unanswered_breach_changes as (
    select
        unanswered_breaches.customer_id,
        case change_kinds.change_kind
            when 1 then {{ timestamp_add(
                'microsecond', -1, 'unanswered_breaches.boundary_at'
            ) }}
            else unanswered_breaches.boundary_at
        end as changed_at,
        0 as unresolved_change,
        0 as dissatisfied_change,
        case change_kinds.change_kind when 1 then 1 else -1 end
            as sla_breached_change,
        0 as ticket_change
    from unanswered_breaches
    cross join change_kinds
    where change_kinds.change_kind <= 2
),

response_changes as (
    {#- Bad scores, as int_survey_responses_enriched bands them. -#}
    select
        survey_responses.customer_id,
        case change_kinds.change_kind
            when 1 then survey_responses.submitted_at
            else {{ timestamp_add(
                'day', window_days, 'survey_responses.submitted_at'
            ) }}
        end as changed_at,
        0 as unresolved_change,
        case change_kinds.change_kind when 1 then 1 else -1 end
            as dissatisfied_change,
        0 as sla_breached_change,
        0 as ticket_change
    from survey_responses
    cross join change_kinds
    where survey_responses.customer_id is not null
        and (
            survey_responses.csat_band = 'dissatisfied'
            or survey_responses.nps_category = 'detractor'
        )
        and change_kinds.change_kind <= 2
),

changes as (
    select * from ticket_changes
    where changed_at is not null
    union all
    select * from unanswered_breach_changes
    union all
    select * from response_changes
),

open_windows as (
    {#- After each change point, the windows of each kind still open: they
        hold until the customer's next change point. Points at the same
        instant give segments of length zero, dropped below, so the order
        among them does not matter. Two running sums instead of four (each
        windowed sum is one more pass): a sum packs two counts, the first
        times 2^32 and the second below it. At a point that starts a
        segment of non-zero length both counts are exact and never
        negative (fewer than 2^31 events per customer), so the first
        count is positive when the sum reaches 2^32, the second when the
        sum modulo 2^32 is. -#}
    select
        customer_id,
        changed_at as band_from_at,
        lead(changed_at) over (
            partition by customer_id order by changed_at
        ) as band_to_at,
        sum(
            unresolved_change * {{ packed_count_unit }}
            + dissatisfied_change
        ) over (
            partition by customer_id
            order by changed_at
            rows between unbounded preceding and current row
        ) as open_unresolved_and_dissatisfied,
        sum(
            sla_breached_change * {{ packed_count_unit }}
            + ticket_change
        ) over (
            partition by customer_id
            order by changed_at
            rows between unbounded preceding and current row
        ) as open_sla_breached_and_tickets
    from changes
),

ranked as (
    select
        customer_id,
        {{ service_band_rank(
            'open_unresolved_and_dissatisfied >= ' ~ packed_count_unit,
            'open_unresolved_and_dissatisfied % ' ~ packed_count_unit ~ ' > 0',
            'open_sla_breached_and_tickets >= ' ~ packed_count_unit,
            'open_sla_breached_and_tickets % ' ~ packed_count_unit ~ ' > 0',
        ) }} as service_band_rank,
        band_from_at,
        band_to_at
    from open_windows
    where band_from_at < band_to_at
),

final as (
    select
        customer_id,
        {{ service_band_of('service_band_rank') }} as service_band,
        service_band_rank,
        band_from_at,
        band_to_at
    from ranked
    where service_band_rank < {{ service_bands() | length }}
)

select * from final

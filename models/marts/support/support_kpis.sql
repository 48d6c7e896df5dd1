{#- Support operations per period (contract 3.4). Each ticket is
    aggregated once per grain (grouping sets) in the period holding its
    creation and, when resolved, in the period holding its resolution; both
    are aggregated before they meet the spine, so every period has a row.
    The percentiles rank each period's durations (a sort, which spills to
    disk) instead of a percentile aggregate, which holds every duration of
    every period in memory at once and ran out of memory at XL.

    backlog_end counts tickets with created_at < E and (resolved_at null or
    resolved_at >= E). A resolution never precedes its creation, so that is
    (tickets created before E) - (tickets resolved before E): two running
    totals over the spine, never a join of tickets x periods. A ticket
    resolved exactly at E is still in that period's backlog and counts as
    resolved in the next period.

    The business averages are over the same tickets as the calendar ones
    (a first response, a resolution); contact_rate_per_100_orders divides
    the tickets created by revenue's orders of the period (any status),
    null when there are none. -#}
with periods as (select * from {{ ref('int_periods') }}),

tickets as (select * from {{ ref('int_tickets_enriched') }}),

revenue as (select * from {{ ref('revenue') }}),

created_with_periods as (
    select
        tickets.*,
        {{ period_start_columns('tickets.created_at') }}
    from tickets
),

created_by_period as (
    select
        {{ grouped_period_keys() }},
        count(*) as tickets_created,
        count(case when is_resolved then 1 end) as created_and_resolved,
        count(case when is_resolved and is_first_contact_resolution then 1 end)
            as first_contact_resolutions,
        count(case when is_resolved and is_reopened then 1 end)
            as reopened_resolutions,
        avg(first_response_minutes) as avg_first_response_minutes,
        avg(resolution_hours) as avg_resolution_hours,
        avg(first_response_business_minutes)
            as avg_first_response_business_minutes,
        avg(resolution_business_hours) as avg_resolution_business_hours,
        avg(wait_seconds) as avg_wait_seconds,
        count(wait_seconds) as tickets_with_wait,
        count(case when is_wait_within_target then 1 end)
            as waits_within_target,
        count(case when first_response_sla_status = 'met' then 1 end)
            as first_responses_met,
        count(case when first_response_sla_status = 'breached' then 1 end)
            as first_responses_breached,
        count(case when resolution_sla_status = 'met' then 1 end)
            as resolutions_met,
        count(case when resolution_sla_status = 'breached' then 1 end)
            as resolutions_breached
    from created_with_periods
    group by {{ period_grouping_sets() }}  -- noqa: PRS
),

durations_by_period as (
    {%- for grain in cs_analytics.period_grains() %}
        select
            '{{ grain }}' as period_grain,
            {{ grain }}_start as period_start,
            first_response_minutes,
            resolution_hours
        from created_with_periods
        where
            first_response_minutes is not null or resolution_hours is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

ranked_durations as (
    select
        period_grain,
        period_start,
        first_response_minutes,
        resolution_hours,
        row_number() over (
            partition by period_grain, period_start
            order by first_response_minutes asc nulls last
        ) - 1 as first_response_index,
        count(first_response_minutes) over (
            partition by period_grain, period_start
        ) as first_response_count,
        row_number() over (
            partition by period_grain, period_start
            order by resolution_hours asc nulls last
        ) - 1 as resolution_index,
        count(resolution_hours) over (
            partition by period_grain, period_start
        ) as resolution_count
    from durations_by_period
),

percentiles_by_period as (
    select
        period_grain,
        period_start,
        {{ percentile_of_ranked(
            'first_response_minutes', 'first_response_index',
            'first_response_count', 0.5,
        ) }} as median_first_response_minutes,
        {{ percentile_of_ranked(
            'first_response_minutes', 'first_response_index',
            'first_response_count', 0.9,
        ) }} as p90_first_response_minutes,
        {{ percentile_of_ranked(
            'resolution_hours', 'resolution_index', 'resolution_count', 0.5,
        ) }} as median_resolution_hours,
        {{ percentile_of_ranked(
            'resolution_hours', 'resolution_index', 'resolution_count', 0.9,
        ) }} as p90_resolution_hours
    from ranked_durations
    group by period_grain, period_start
),

resolved_with_periods as (
    select
        {{ period_start_columns('tickets.resolved_at') }}
    from tickets
    where tickets.resolved_at is not null
),

resolved_by_period as (
    select
        {{ grouped_period_keys() }},
        count(*) as tickets_resolved
    from resolved_with_periods
    group by {{ period_grouping_sets() }}  -- noqa: PRS
),

counted as (
    {{ join_to_periods(
        [
            'created_by_period', 'percentiles_by_period', 'resolved_by_period',
        ],
        counts=[
            'tickets_created', 'tickets_resolved', 'created_and_resolved',
            'first_contact_resolutions', 'reopened_resolutions',
            'tickets_with_wait', 'waits_within_target', 'first_responses_met',
            'first_responses_breached', 'resolutions_met', 'resolutions_breached',
        ],
        values=[
            'avg_first_response_minutes', 'median_first_response_minutes',
            'p90_first_response_minutes', 'avg_resolution_hours',
            'median_resolution_hours', 'p90_resolution_hours',
            'avg_wait_seconds', 'avg_first_response_business_minutes',
            'avg_resolution_business_hours',
        ],
    ) }}
),

with_backlog as (
    select
        *,
        sum(tickets_created - tickets_resolved) over (
            partition by period_grain
            order by period_index
            rows between unbounded preceding and current row
        ) as backlog_end
    from counted
),

with_orders as (
    {#- Orders of any status placed in the period: revenue's own count, a
        small mart on the same spine, instead of another pass over the
        orders. -#}
    select
        with_backlog.*,
        revenue.orders
    from with_backlog
    left join revenue
        on with_backlog.period_grain = revenue.period_grain
        and with_backlog.period_start = revenue.period_start
),

final as (
    select
        {{ period_columns() }},
        tickets_created,
        tickets_resolved,
        cast(backlog_end as {{ dbt.type_bigint() }}) as backlog_end,
        {{ safe_divide('created_and_resolved', 'tickets_created') }}
            as resolution_rate,
        {{ safe_divide('first_contact_resolutions', 'created_and_resolved') }}
            as fcr_rate,
        {{ safe_divide('reopened_resolutions', 'created_and_resolved') }}
            as reopen_rate,
        avg_first_response_minutes,
        median_first_response_minutes,
        p90_first_response_minutes,
        avg_resolution_hours,
        median_resolution_hours,
        p90_resolution_hours,
        avg_wait_seconds,
        {{ safe_divide('waits_within_target', 'tickets_with_wait') }}
            as wait_within_target_rate,
        {{ safe_divide(
            'first_responses_met',
            'first_responses_met + first_responses_breached',
        ) }} as first_response_sla_rate,
        {{ safe_divide(
            'resolutions_met',
            'resolutions_met + resolutions_breached',
        ) }} as resolution_sla_rate,
        avg_first_response_business_minutes,
        avg_resolution_business_hours,
        {{ safe_divide('100 * tickets_created', 'orders') }}
            as contact_rate_per_100_orders
    from with_orders
)

select * from final

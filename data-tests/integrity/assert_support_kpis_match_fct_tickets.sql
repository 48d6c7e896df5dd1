{#- support_kpis, per grain and period, against fct_tickets and fct_orders
    with the contract's own formulas (3.4): tickets created in [S, E),
    tickets resolved in [S, E), the backlog at E (created before E and not
    resolved before E), the share of the period's tickets resolved before
    as_of, the SLA rates from the tickets' own statuses (met / (met +
    breached), whatever clock each ran on), the business-time averages
    over the tickets answered or resolved, and the contact rate (tickets
    created per 100 orders of any status placed in the period). The
    tickets are counted and summed per (creation day, resolution day) and
    the orders per day first, so the test stays cheap at scale. -#}
with periods as (
    {{ periods_with_end_date(ref('support_kpis')) }}
),

tickets_by_day as (
    {#- Per creation day, resolution day and pair of SLA statuses. -#}
    select
        cast(created_at as date) as created_date,
        cast(resolved_at as date) as resolved_date,
        first_response_sla_status,
        resolution_sla_status,
        count(*) as tickets,
        sum(first_response_business_minutes)
            as first_response_business_minutes,
        count(first_response_business_minutes) as first_responses,
        sum(resolution_business_hours) as resolution_business_hours,
        count(resolution_business_hours) as resolutions
    from {{ ref('fct_tickets') }}
    group by
        cast(created_at as date),
        cast(resolved_at as date),
        first_response_sla_status,
        resolution_sla_status
),

orders_by_day as (
    select
        cast(ordered_at as date) as ordered_date,
        count(*) as orders
    from {{ ref('fct_orders') }}
    group by cast(ordered_at as date)
),

orders_by_period as (
    select
        periods.period_grain,
        periods.period_start,
        sum(orders_by_day.orders) as orders
    from periods
    inner join orders_by_day
        on {{ in_period('orders_by_day.ordered_date') }}
    group by periods.period_grain, periods.period_start
),

expected as (
    select
        periods.period_grain,
        periods.period_start,
        sum(case
            when {{ in_period('tickets_by_day.created_date') }}
                then tickets_by_day.tickets
            else 0
        end) as tickets_created,
        sum(case
            when {{ in_period('tickets_by_day.created_date') }}
                and tickets_by_day.resolved_date is not null
                then tickets_by_day.tickets
            else 0
        end) as created_and_resolved,
        sum(case
            when {{ in_period('tickets_by_day.resolved_date') }}
                then tickets_by_day.tickets
            else 0
        end) as tickets_resolved,
        sum(case
            when tickets_by_day.created_date < periods.end_date
                and (
                    tickets_by_day.resolved_date is null
                    or tickets_by_day.resolved_date >= periods.end_date
                )
                then tickets_by_day.tickets
            else 0
        end) as backlog_end
    from periods
    cross join tickets_by_day
    group by periods.period_grain, periods.period_start
),

created_measures as (
    {#- Over the tickets created in the period: the SLA statuses counted,
        the business durations summed and counted. -#}
    select
        periods.period_grain,
        periods.period_start,
        {%- for status_column, status, name in [
            ('first_response_sla_status', 'met', 'first_responses_met'),
            ('first_response_sla_status', 'breached', 'first_responses_breached'),
            ('resolution_sla_status', 'met', 'resolutions_met'),
            ('resolution_sla_status', 'breached', 'resolutions_breached'),
        ] %}
            sum(case
                when tickets_by_day.{{ status_column }} = '{{ status }}'
                    then tickets_by_day.tickets
                else 0
            end) as {{ name }},
        {%- endfor %}
        sum(tickets_by_day.first_response_business_minutes)
            as first_response_business_minutes,
        sum(tickets_by_day.first_responses) as first_responses,
        sum(tickets_by_day.resolution_business_hours)
            as resolution_business_hours,
        sum(tickets_by_day.resolutions) as resolutions
    from periods
    inner join tickets_by_day
        on {{ in_period('tickets_by_day.created_date') }}
    group by periods.period_grain, periods.period_start
),

periods_with_expectations as (
    {#- An empty fct_tickets leaves expected empty: every count is 0. -#}
    select
        periods.period_grain,
        periods.period_start,
        coalesce(expected.tickets_created, 0) as tickets_created,
        coalesce(expected.created_and_resolved, 0) as created_and_resolved,
        coalesce(expected.tickets_resolved, 0) as tickets_resolved,
        coalesce(expected.backlog_end, 0) as backlog_end,
        cast(created_measures.first_responses_met as double)
        / nullif(
            created_measures.first_responses_met
            + created_measures.first_responses_breached,
            0
        ) as first_response_sla_rate,
        cast(created_measures.resolutions_met as double)
        / nullif(
            created_measures.resolutions_met
            + created_measures.resolutions_breached,
            0
        ) as resolution_sla_rate,
        created_measures.first_response_business_minutes
        / nullif(created_measures.first_responses, 0)
            as avg_first_response_business_minutes,
        created_measures.resolution_business_hours
        / nullif(created_measures.resolutions, 0)
            as avg_resolution_business_hours,
        cast(100 * coalesce(expected.tickets_created, 0) as double)
        / nullif(orders_by_period.orders, 0) as contact_rate_per_100_orders
    from periods
    left join expected
        on periods.period_grain = expected.period_grain
        and periods.period_start = expected.period_start
    left join created_measures
        on periods.period_grain = created_measures.period_grain
        and periods.period_start = created_measures.period_start
    left join orders_by_period
        on periods.period_grain = orders_by_period.period_grain
        and periods.period_start = orders_by_period.period_start
)

select
    mart.period_grain,
    mart.period_start,
    mart.tickets_created,
    expected.tickets_created as expected_tickets_created,
    mart.tickets_resolved,
    expected.tickets_resolved as expected_tickets_resolved,
    mart.backlog_end,
    expected.backlog_end as expected_backlog_end,
    mart.first_response_sla_rate,
    expected.first_response_sla_rate as expected_first_response_sla_rate,
    mart.avg_first_response_business_minutes,
    expected.avg_first_response_business_minutes
        as expected_avg_first_response_business_minutes,
    mart.contact_rate_per_100_orders,
    expected.contact_rate_per_100_orders
        as expected_contact_rate_per_100_orders
from {{ ref('support_kpis') }} as mart
inner join periods_with_expectations as expected
    on mart.period_grain = expected.period_grain
    and mart.period_start = expected.period_start
where mart.tickets_created <> expected.tickets_created
    or mart.tickets_resolved <> expected.tickets_resolved
    or mart.backlog_end <> expected.backlog_end
    or coalesce(
        abs(
            mart.resolution_rate
            - expected.created_and_resolved
            / nullif(expected.tickets_created, 0)
        ),
        0
    ) > 1e-9
    or (mart.resolution_rate is null) <> (expected.tickets_created = 0)
    {%- for column in [
        'first_response_sla_rate', 'resolution_sla_rate',
        'avg_first_response_business_minutes', 'avg_resolution_business_hours',
        'contact_rate_per_100_orders',
    ] %}
        or {{ values_differ('mart.' ~ column, 'expected.' ~ column) }}
    {%- endfor %}

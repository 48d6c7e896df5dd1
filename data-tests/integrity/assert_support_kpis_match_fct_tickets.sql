{#- support_kpis, per grain and period, against fct_tickets with the
    contract's own formulas (3.4): tickets created in [S, E), tickets
    resolved in [S, E), the backlog at E (created before E and not
    resolved before E), and the share of the period's tickets resolved
    before as_of. The tickets are counted per (creation day, resolution
    day) first, so the test stays cheap at scale. -#}
with periods as (
    {{ periods_with_end_date(ref('support_kpis')) }}
),

tickets_by_day as (
    select
        cast(created_at as date) as created_date,
        cast(resolved_at as date) as resolved_date,
        count(*) as tickets
    from {{ ref('fct_tickets') }}
    group by cast(created_at as date), cast(resolved_at as date)
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

periods_with_expectations as (
    {#- An empty fct_tickets leaves expected empty: every count is 0. -#}
    select
        periods.period_grain,
        periods.period_start,
        coalesce(expected.tickets_created, 0) as tickets_created,
        coalesce(expected.created_and_resolved, 0) as created_and_resolved,
        coalesce(expected.tickets_resolved, 0) as tickets_resolved,
        coalesce(expected.backlog_end, 0) as backlog_end
    from periods
    left join expected
        on periods.period_grain = expected.period_grain
        and periods.period_start = expected.period_start
)

select
    mart.period_grain,
    mart.period_start,
    mart.tickets_created,
    expected.tickets_created as expected_tickets_created,
    mart.tickets_resolved,
    expected.tickets_resolved as expected_tickets_resolved,
    mart.backlog_end,
    expected.backlog_end as expected_backlog_end
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

{#- MetricFlow's time spine (the semantic layer, models/marts/*/
    _*__semantic_models.yml): one row per day of the period marts' coverage,
    read from int_periods so that the two never disagree. It starts at the
    later of the first covered week's and the first covered month's first
    day (neither is after the earliest event's day) and ends on the last day
    before as_of, so metric_time at every grain has exactly the periods the
    period marts have. MetricFlow runs on DuckDB only (it has no dbt-spark
    client): on Spark the spine is a view, which costs the build one
    statement and gives dbt the relation its semantic models require. -#}
{{ config(materialized='table' if target.type == 'duckdb' else 'view') }}
with periods as (
    select * from {{ ref('int_periods') }}
),

weeks as (
    select
        period_start,
        period_end_at
    from periods
    where period_grain = 'week'
),

first_days as (
    select max(first_period_start) as first_day
    from (
        select min(period_start) as first_period_start
        from periods
        where period_grain in ('week', 'month')
        group by period_grain
    ) as first_periods
),

day_offsets as (
    select generated_number - 1 as day_offset
    from ({{ dbt.generate_series(7) }}) as series
),

days as (
    select
        cast(
            {{ timestamp_add(
                'day', 'day_offsets.day_offset', 'weeks.period_start'
            ) }} as date
        ) as date_day,
        weeks.period_end_at
    from weeks
    cross join day_offsets
),

final as (
    select days.date_day
    from days
    cross join first_days
    where
        days.date_day >= first_days.first_day
        and cast(days.date_day as {{ dbt.type_timestamp() }})
        < days.period_end_at
)

select * from final

{#- The period spine: one row per grain (week, month, quarter, year) and
    period, from the period holding the earliest remaining event (order,
    ticket creation, survey submission) through the period holding the last
    day before as_of, with no gaps. period_end_at is the period's end
    instant: the midnight after period_end, or as_of when that is earlier.
    period_index numbers the periods of a grain from 0. -#}
{#- 16 384 periods per grain: more than 300 years of weeks. -#}
{%- set max_periods = 16384 %}
with first_events as (
    select min(ordered_at) as event_at from {{ ref('int_orders_filtered') }}
    union all
    select min(created_at) from {{ ref('int_tickets_enriched') }}
    union all
    select min(submitted_at) from {{ ref('int_survey_responses_enriched') }}
),

bounds as (
    select
        cast(min(event_at) as date) as first_day,
        cast({{ timestamp_add('day', -1, as_of_at()) }} as date) as last_day,
        {{ as_of_at() }} as as_of_at
    from first_events
),

grains as (
    {{ grains_relation() }}
),

grain_bounds as (
    select
        grains.period_grain,
        {{ period_start_of('grains.period_grain', 'bounds.first_day') }}
            as first_period_start,
        {{ period_start_of('grains.period_grain', 'bounds.last_day') }}
            as last_period_start,
        bounds.as_of_at
    from bounds
    cross join grains
    where bounds.first_day is not null
        and bounds.first_day <= bounds.last_day
),

numbers as (
    {#- dbt's series multiplies by power(), a double on Spark. -#}
    select cast(generated_number as {{ dbt.type_bigint() }}) as generated_number
    from ({{ dbt.generate_series(max_periods) }}) as series
),

candidate_periods as (
    select
        grain_bounds.period_grain,
        grain_bounds.last_period_start,
        grain_bounds.as_of_at,
        numbers.generated_number - 1 as period_index,
        {{ period_step_start(
            'grain_bounds.period_grain',
            'grain_bounds.first_period_start',
            'numbers.generated_number - 1',
        ) }} as period_start,
        {{ period_step_start(
            'grain_bounds.period_grain',
            'grain_bounds.first_period_start',
            'numbers.generated_number',
        ) }} as next_period_start
    from grain_bounds
    cross join numbers
),

final as (
    select
        period_grain,
        period_index,
        period_start,
        cast({{ timestamp_add('day', -1, 'next_period_start') }} as date)
            as period_end,
        next_period_start <= cast(as_of_at as date) as is_complete,
        cast(period_start as {{ dbt.type_timestamp() }}) as period_start_at,
        case
            when cast(next_period_start as {{ dbt.type_timestamp() }})
                < as_of_at
                then cast(next_period_start as {{ dbt.type_timestamp() }})
            else as_of_at
        end as period_end_at
    from candidate_periods
    where period_start <= last_period_start
)

select * from final

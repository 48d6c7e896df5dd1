{#- Retention and churn per period (contract 3.1), computed by counting
    activity spells at period boundaries: O(spells x grains), never
    customers x periods. Boundary k of a grain is the start instant of
    period k; boundary n (n = number of periods) is the end instant of the
    last period. A spell (start, end] covers boundaries first_boundary ..
    last_boundary. For period k (boundaries k and k + 1):
      customers_start = spells covering k,   customers_end = covering k + 1,
      retained = spells covering k and k + 1, plus customers whose spell
                 covering k + 1 begins in the period right after the spell
                 that covered k ended (a gap inside the period),
      churned  = spells covering k, ending before k + 1, with no such
                 follow-up spell,
      reactivated = spells whose first covered boundary is k + 1, with no
                 spell covering k, of customers who bought before the period.
    See DECISIONLOG.md for the proof sketch. -#}
with periods as (select * from {{ ref('int_periods') }}),

spells as (select * from {{ ref('int_purchases_grouped_into_spells') }}),

customers as (select * from {{ ref('int_purchases_aggregated_to_customers') }}),

grain_bounds as (
    select
        period_grain,
        count(*) as period_count,
        max(period_end_at) as last_boundary_at
    from periods
    group by period_grain
),

spell_boundaries as (
    select
        spells.customer_id,
        spells.spell_number,
        grain_bounds.period_grain,
        start_period.period_index + 1 as first_boundary,
        case
            when spells.spell_end_at >= grain_bounds.last_boundary_at
                then grain_bounds.period_count
            else end_period.period_index
        end as last_boundary,
        first_purchase_period.period_index as first_purchase_period_index
    from spells
    cross join grain_bounds
    inner join customers
        on spells.customer_id = customers.customer_id
    inner join periods as start_period
        on grain_bounds.period_grain = start_period.period_grain
        and start_period.period_start
        = {{ period_start_of(
            'grain_bounds.period_grain', 'spells.spell_start_at'
        ) }}
    inner join periods as first_purchase_period
        on grain_bounds.period_grain = first_purchase_period.period_grain
        and first_purchase_period.period_start
        = {{ period_start_of(
            'grain_bounds.period_grain', 'customers.first_purchase_at'
        ) }}
    left join periods as end_period
        on grain_bounds.period_grain = end_period.period_grain
        and end_period.period_start
        = {{ period_start_of(
            'grain_bounds.period_grain', 'spells.spell_end_at'
        ) }}
),

covering_spells as (
    {#- Spells that cover at least one boundary, with their neighbours
        among such spells of the same customer. -#}
    select
        *,
        lag(last_boundary) over (
            partition by period_grain, customer_id order by spell_number
        ) as previous_last_boundary,
        lead(first_boundary) over (
            partition by period_grain, customer_id order by spell_number
        ) as next_first_boundary
    from spell_boundaries
    where first_boundary <= last_boundary
),

boundary_deltas as (
    {#- Changes at boundaries. Covering: +1 where a spell starts covering
        boundaries, -1 after it stops. Spanning: spells covering boundaries
        k and k + 1 are counted for every k in [first_boundary,
        last_boundary - 1]. -#}
    select
        period_grain,
        first_boundary as boundary,
        count(*) as covering_delta,
        count(case when first_boundary < last_boundary then 1 end)
            as spanning_delta
    from covering_spells
    group by period_grain, first_boundary
    union all
    select
        period_grain,
        last_boundary + 1 as boundary,
        -count(*) as covering_delta,
        0 as spanning_delta
    from covering_spells
    group by period_grain, last_boundary + 1
    union all
    select
        period_grain,
        last_boundary as boundary,
        0 as covering_delta,
        -count(*) as spanning_delta
    from covering_spells
    where first_boundary < last_boundary
    group by period_grain, last_boundary
),

boundary_points as (
    select
        period_grain,
        period_index as boundary
    from periods
    union all
    select
        period_grain,
        period_count as boundary
    from grain_bounds
),

delta_totals as (
    select
        period_grain,
        boundary,
        sum(covering_delta) as covering_delta,
        sum(spanning_delta) as spanning_delta
    from boundary_deltas
    group by period_grain, boundary
),

coverage as (
    {#- At boundary k: the spells covering it and (below period_count) the
        spells covering k and k + 1. -#}
    select
        boundary_points.period_grain,
        boundary_points.boundary,
        sum(coalesce(deltas.covering_delta, 0)) over (
            partition by boundary_points.period_grain
            order by boundary_points.boundary
            rows between unbounded preceding and current row
        ) as active_customers,
        sum(coalesce(deltas.spanning_delta, 0)) over (
            partition by boundary_points.period_grain
            order by boundary_points.boundary
            rows between unbounded preceding and current row
        ) as spanning_spells
    from boundary_points
    left join delta_totals as deltas
        on boundary_points.period_grain = deltas.period_grain
        and boundary_points.boundary = deltas.boundary
),

coverage_at_ends as (
    {#- At boundary k, the start of period k: beside the spells covering
        it, those covering k + 1, the period's end (null after the last
        boundary). One read of coverage: a CTE read twice is computed
        twice on Spark. -#}
    select
        period_grain,
        boundary as period_index,
        active_customers,
        spanning_spells,
        lead(active_customers) over (
            partition by period_grain order by boundary
        ) as active_customers_at_end
    from coverage
),

arrivals as (
    {#- Spells whose first covered boundary is the end of period k. -#}
    select
        period_grain,
        first_boundary - 1 as period_index,
        sum(
            case
                when previous_last_boundary = first_boundary - 1 then 1 else 0
            end
        )
            as retained_across_gap,
        sum(case
            when coalesce(previous_last_boundary, -1) <> first_boundary - 1
                and first_purchase_period_index < first_boundary - 1
                then 1
            else 0
        end) as reactivated_customers,
        sum(
            case
                when
                    first_purchase_period_index = first_boundary - 1
                    then 1
                else 0
            end
        )
            as new_customers_active_at_end
    from covering_spells
    group by period_grain, first_boundary - 1
),

departures as (
    {#- Spells that cover boundary k and end before k + 1. -#}
    select
        period_grain,
        last_boundary as period_index,
        sum(
            case
                when
                    coalesce(next_first_boundary, -1) <> last_boundary + 1
                    then 1
                else 0
            end
        )
            as churned_customers
    from covering_spells
    group by period_grain, last_boundary
),

first_purchases as (
    select
        periods.period_grain,
        periods.period_index,
        count(*) as new_customers
    from customers
    cross join grain_bounds
    inner join periods
        on grain_bounds.period_grain = periods.period_grain
        and periods.period_start
        = {{ period_start_of(
            'grain_bounds.period_grain', 'customers.first_purchase_at'
        ) }}
    group by periods.period_grain, periods.period_index
),

flows as (
    {#- Every period with the spells covering its start and its end, the
        spells arriving and departing at its end and its first purchases:
        0 when there are none. -#}
    {{ join_to_periods(
        ['coverage_at_ends', 'arrivals', 'departures', 'first_purchases'],
        counts=[
            'active_customers', 'active_customers_at_end', 'spanning_spells',
            'retained_across_gap', 'reactivated_customers',
            'new_customers_active_at_end', 'churned_customers',
            'new_customers',
        ],
        key='period_index',
    ) }}
),

counted as (
    select
        flows.period_grain,
        flows.period_start,
        flows.period_end,
        flows.is_complete,
        {%- set bigint = dbt.type_bigint() %}
        cast(flows.active_customers as {{ bigint }}) as customers_start,
        cast(flows.active_customers_at_end as {{ bigint }}) as customers_end,
        cast(flows.new_customers as {{ bigint }}) as new_customers,
        cast(
            flows.spanning_spells + flows.retained_across_gap as {{ bigint }}
        ) as retained_customers,
        cast(flows.churned_customers as {{ bigint }}) as churned_customers,
        cast(flows.reactivated_customers as {{ bigint }})
            as reactivated_customers,
        cast(flows.new_customers_active_at_end as {{ bigint }})
            as new_customers_active_at_end
    from flows
),

final as (
    select
        {{ period_columns() }},
        customers_start,
        customers_end,
        new_customers,
        retained_customers,
        churned_customers,
        reactivated_customers,
        new_customers_active_at_end,
        {{ safe_divide('retained_customers', 'customers_start') }}
            as retention_rate,
        {{ safe_divide('churned_customers', 'customers_start') }} as churn_rate,
        {{ safe_divide('customers_end - new_customers', 'customers_start') }}
            as retention_rate_textbook,
        {{ safe_divide('customers_start - customers_end', 'customers_start') }}
            as churn_rate_textbook
    from counted
)

select * from final

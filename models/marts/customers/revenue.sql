{#- Orders and revenue per period (contract 3.6). A completed order is "new
    customer" revenue when the customer's first purchase falls in the same
    period, "returning" otherwise. The orders are added up once per day
    (and day of the customer's first purchase), and the days rolled up to
    the four grains; buyers, distinct per period, cannot be added up across
    days and are counted from the purchases, one pass for the four grains
    (grouping sets). Nothing copies the orders once per grain. -#}
{%- set bigint = dbt.type_bigint() %}
with periods as (select * from {{ ref('int_periods') }}),

orders as (select * from {{ ref('int_orders_filtered') }}),

customers as (select * from {{ ref('int_purchases_aggregated_to_customers') }}),

orders_by_day as (
    select
        cast(orders.ordered_at as date) as ordered_date,
        cast(customers.first_purchase_at as date) as first_purchase_date,
        count(*) as orders,
        count(case when orders.status = 'completed' then 1 end)
            as completed_orders,
        count(case when orders.status = 'cancelled' then 1 end)
            as cancelled_orders,
        count(case when orders.status = 'returned' then 1 end)
            as returned_orders,
        sum(case when orders.is_purchase then orders.amount end) as revenue
    from orders
    left join customers
        on orders.customer_id = customers.customer_id
    group by
        cast(orders.ordered_at as date),
        cast(customers.first_purchase_at as date)
),

days_with_periods as (
    select
        orders_by_day.*,
        {{ period_start_columns('orders_by_day.ordered_date') }},
        {{ period_start_columns(
            'orders_by_day.first_purchase_date', 'first_purchase_'
        ) }}
    from orders_by_day
),

aggregated as (
    select
        {{ grouped_period_keys() }},
        cast(sum(orders) as {{ bigint }}) as orders,
        cast(sum(completed_orders) as {{ bigint }}) as completed_orders,
        cast(sum(cancelled_orders) as {{ bigint }}) as cancelled_orders,
        cast(sum(returned_orders) as {{ bigint }}) as returned_orders,
        sum(revenue) as revenue,
        {{ per_grain(
            'sum(case when first_purchase_{grain}_start = {grain}_start'
            ~ ' then revenue end)'
        ) }} as revenue_new_customers
    from days_with_periods
    group by {{ period_grouping_sets() }}  -- noqa: PRS
),

purchases_with_periods as (
    select
        customer_id,
        {{ period_start_columns('ordered_at') }}
    from orders
    where is_purchase
),

buyers as (
    select
        {{ grouped_period_keys() }},
        count(distinct customer_id) as buyers
    from purchases_with_periods
    group by {{ period_grouping_sets() }}  -- noqa: PRS
),

joined as (
    {{ join_to_periods(
        ['aggregated', 'buyers'],
        counts=[
            'orders', 'completed_orders', 'cancelled_orders',
            'returned_orders', 'revenue', 'revenue_new_customers', 'buyers',
        ],
    ) }}
),

final as (
    select
        {{ period_columns() }},
        orders,
        completed_orders,
        cancelled_orders,
        returned_orders,
        {{ safe_divide('cancelled_orders', 'orders') }} as cancellation_rate,
        {{ safe_divide('returned_orders', 'orders') }} as return_rate,
        cast(revenue as {{ revenue_type() }}) as revenue,
        cast(revenue_new_customers as {{ revenue_type() }})
            as revenue_new_customers,
        cast(revenue - revenue_new_customers as {{ revenue_type() }})
            as revenue_returning_customers,
        {{ safe_divide('revenue - revenue_new_customers', 'revenue') }}
            as returning_revenue_share,
        {{ safe_divide('revenue', 'completed_orders') }} as avg_order_value,
        buyers
    from joined
)

select * from final

{#- Orders and revenue per period (contract 3.6). A completed order is "new
    customer" revenue when the customer's first purchase falls in the same
    period, "returning" otherwise. -#}
with periods as (
    select * from {{ ref('int_periods') }}
),

orders as (
    select * from {{ ref('int_orders_filtered') }}
),

customers as (
    select * from {{ ref('int_purchases_aggregated_to_customers') }}
),

orders_with_first_purchase as (
    select
        orders.customer_id,
        orders.status,
        orders.amount,
        orders.is_purchase,
        orders.ordered_at,
        customers.first_purchase_at
    from orders
    left join customers
        on orders.customer_id = customers.customer_id
),

orders_in_periods as (
    {{ assign_to_periods('orders_with_first_purchase', 'ordered_at') }}
),

orders_by_period as (
    select
        *,
        {{ period_start_of('period_grain', 'first_purchase_at') }}
            as first_purchase_period_start
    from orders_in_periods
),

aggregated as (
    select
        period_grain,
        period_start,
        count(*) as orders,
        count(case when status = 'completed' then 1 end) as completed_orders,
        count(case when status = 'cancelled' then 1 end) as cancelled_orders,
        count(case when status = 'returned' then 1 end) as returned_orders,
        sum(case when is_purchase then amount end) as revenue,
        sum(case
            when is_purchase and first_purchase_period_start = period_start
                then amount
        end) as revenue_new_customers,
        count(distinct case when is_purchase then customer_id end) as buyers
    from orders_by_period
    group by period_grain, period_start
),

joined as (
    {{ join_to_periods(
        'aggregated',
        counts=[
            'orders', 'completed_orders', 'cancelled_orders',
            'returned_orders', 'revenue', 'revenue_new_customers', 'buyers',
        ],
    ) }}
),

final as (
    select
        period_grain,
        period_start,
        period_end,
        is_complete,
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

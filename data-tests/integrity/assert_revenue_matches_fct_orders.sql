{#- revenue, per grain and period, against fct_orders placed in it: order
    counts by status, revenue, and the revenue of customers whose first
    purchase (dim_customers.first_purchase_at) is in the same period. The
    facts are summed per day first, so the test stays cheap at scale. -#}
with periods as (
    {{ periods_with_end_date(ref('revenue')) }}
),

orders_by_day as (
    select
        ordered_date,
        count(*) as orders,
        count(case when status = 'completed' then 1 end) as completed_orders,
        count(case when status = 'cancelled' then 1 end) as cancelled_orders,
        count(case when status = 'returned' then 1 end) as returned_orders,
        sum(revenue) as revenue
    from {{ ref('fct_orders') }}
    group by ordered_date
),

purchases_by_day as (
    select
        orders.ordered_date,
        cast(customers.first_purchase_at as date) as first_purchase_date,
        sum(orders.revenue) as revenue
    from {{ ref('fct_orders') }} as orders
    inner join {{ ref('dim_customers') }} as customers
        on orders.customer_id = customers.customer_id
    where orders.status = 'completed'
    group by orders.ordered_date, cast(customers.first_purchase_at as date)
),

expected as (
    select
        periods.period_grain,
        periods.period_start,
        coalesce(sum(orders_by_day.orders), 0) as orders,
        coalesce(sum(orders_by_day.completed_orders), 0) as completed_orders,
        coalesce(sum(orders_by_day.cancelled_orders), 0) as cancelled_orders,
        coalesce(sum(orders_by_day.returned_orders), 0) as returned_orders,
        coalesce(sum(orders_by_day.revenue), 0) as revenue
    from periods
    left join orders_by_day
        on orders_by_day.ordered_date >= periods.period_start
        and orders_by_day.ordered_date < periods.end_date
    group by periods.period_grain, periods.period_start
),

expected_new as (
    select
        periods.period_grain,
        periods.period_start,
        coalesce(sum(purchases_by_day.revenue), 0) as revenue_new_customers
    from periods
    left join purchases_by_day
        on purchases_by_day.ordered_date >= periods.period_start
        and purchases_by_day.ordered_date < periods.end_date
        and purchases_by_day.first_purchase_date >= periods.period_start
        and purchases_by_day.first_purchase_date < periods.end_date
    group by periods.period_grain, periods.period_start
)

select
    mart.period_grain,
    mart.period_start,
    mart.orders,
    expected.orders as expected_orders,
    mart.revenue,
    expected.revenue as expected_revenue,
    mart.revenue_new_customers,
    expected_new.revenue_new_customers as expected_revenue_new_customers
from {{ ref('revenue') }} as mart
inner join expected
    on mart.period_grain = expected.period_grain
    and mart.period_start = expected.period_start
inner join expected_new
    on mart.period_grain = expected_new.period_grain
    and mart.period_start = expected_new.period_start
where mart.orders <> expected.orders
    or mart.completed_orders <> expected.completed_orders
    or mart.cancelled_orders <> expected.cancelled_orders
    or mart.returned_orders <> expected.returned_orders
    or mart.revenue <> expected.revenue
    or mart.revenue_new_customers <> expected_new.revenue_new_customers
    or mart.revenue_returning_customers
        <> expected.revenue - expected_new.revenue_new_customers

{#- revenue, per grain and period, against fct_orders placed in it: the
    orders of each status and the revenue (contract 3.6). The orders are
    summed per day first, so the test stays cheap at scale. New-customer
    revenue is checked at month grain against the cohorts
    (assert_cohorts_add_up_to_monthly_revenue): per period here it would
    cost a join of every order with its customer. -#}
with orders_by_day as (
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

expected as (
    select
        periods.period_grain,
        periods.period_start,
        coalesce(sum(orders_by_day.orders), 0) as orders,
        coalesce(sum(orders_by_day.completed_orders), 0) as completed_orders,
        coalesce(sum(orders_by_day.cancelled_orders), 0) as cancelled_orders,
        coalesce(sum(orders_by_day.returned_orders), 0) as returned_orders,
        coalesce(sum(orders_by_day.revenue), 0) as revenue
    from ({{ periods_with_end_date(ref('revenue')) }}) as periods
    left join orders_by_day
        on {{ in_period('orders_by_day.ordered_date') }}
    group by periods.period_grain, periods.period_start
)

select
    mart.period_grain,
    mart.period_start,
    mart.orders,
    expected.orders as expected_orders,
    mart.revenue,
    expected.revenue as expected_revenue
from {{ ref('revenue') }} as mart
inner join expected
    on mart.period_grain = expected.period_grain
    and mart.period_start = expected.period_start
where mart.orders <> expected.orders
    or mart.completed_orders <> expected.completed_orders
    or mart.cancelled_orders <> expected.cancelled_orders
    or mart.returned_orders <> expected.returned_orders
    or mart.revenue <> expected.revenue

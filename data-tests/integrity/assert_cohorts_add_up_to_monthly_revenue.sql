{#- Two marts built on different paths describe the same months: summed
    over cohorts, cohort_retention's revenue of an activity month is
    revenue's revenue of that month (every purchase belongs to its
    customer's cohort); the revenue of a cohort in its own month (offset 0)
    is that month's revenue_new_customers; and the cohort's size is that
    month's new_customers in customer_retention. -#}
with months as (
    select
        revenue.period_start as month_start,
        revenue.revenue,
        revenue.revenue_new_customers,
        retention.new_customers
    from {{ ref('revenue') }} as revenue
    inner join {{ ref('customer_retention') }} as retention
        on revenue.period_grain = retention.period_grain
        and revenue.period_start = retention.period_start
    where revenue.period_grain = 'month'
),

cohorts_by_month as (
    select
        activity_month,
        sum(revenue) as revenue,
        sum(case when month_offset = 0 then revenue else 0 end)
            as revenue_new_customers,
        sum(case when month_offset = 0 then cohort_size else 0 end)
            as new_customers
    from {{ ref('cohort_retention') }}
    group by activity_month
)

select
    months.month_start,
    months.revenue,
    cohorts_by_month.revenue as cohort_revenue,
    months.revenue_new_customers,
    cohorts_by_month.revenue_new_customers as cohort_revenue_new_customers,
    months.new_customers,
    cohorts_by_month.new_customers as cohort_new_customers
from months
left join cohorts_by_month
    on months.month_start = cohorts_by_month.activity_month
where months.revenue <> coalesce(cohorts_by_month.revenue, 0)
    or months.revenue_new_customers
    <> coalesce(cohorts_by_month.revenue_new_customers, 0)
    or months.new_customers <> coalesce(cohorts_by_month.new_customers, 0)

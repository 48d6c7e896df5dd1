{#- Monthly acquisition cohorts (contract 3.7): customers by the month of
    their first purchase, followed through every month up to the one holding
    the last day before as_of, months without activity included. -#}
with months as (
    select * from {{ ref('int_periods') }}
    where period_grain = 'month'
),

purchases as (
    select * from {{ ref('int_orders_filtered') }}
    where is_purchase
),

customers as (select * from {{ ref('int_purchases_aggregated_to_customers') }}),

customer_cohorts as (
    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'first_purchase_at') }} as date)
            as cohort_month
    from customers
),

cohorts as (
    select
        cohort_month,
        count(*) as cohort_size
    from customer_cohorts
    group by cohort_month
),

activity as (
    select
        customer_cohorts.cohort_month,
        cast({{ dbt.date_trunc('month', 'purchases.ordered_at') }} as date)
            as activity_month,
        count(distinct purchases.customer_id) as active_customers,
        sum(purchases.amount) as revenue
    from purchases
    inner join customer_cohorts
        on purchases.customer_id = customer_cohorts.customer_id
    group by customer_cohorts.cohort_month, activity_month
),

cohort_months as (
    select
        cohorts.cohort_month,
        cohorts.cohort_size,
        months.period_start as activity_month,
        months.period_index - cohort_start.period_index as month_offset
    from cohorts
    inner join months as cohort_start
        on cohorts.cohort_month = cohort_start.period_start
    inner join months
        on cohorts.cohort_month <= months.period_start
),

final as (
    select
        cohort_months.cohort_month,
        cohort_months.month_offset,
        cohort_months.activity_month,
        cohort_months.cohort_size,
        coalesce(activity.active_customers, 0) as active_customers,
        {{ safe_divide(
            'coalesce(activity.active_customers, 0)',
            'cohort_months.cohort_size',
        ) }}
            as retention_rate,
        cast(coalesce(activity.revenue, 0) as {{ revenue_type() }}) as revenue
    from cohort_months
    left join activity
        on cohort_months.cohort_month = activity.cohort_month
        and cohort_months.activity_month = activity.activity_month
)

select * from final

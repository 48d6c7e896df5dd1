{#- The customer marts against dim_customers.first_purchase_at:
    customer_retention.new_customers is the number of customers whose
    first purchase is in [S, E) (contract 3.1), and cohort_retention has a
    cohort for each month holding first purchases, of that many customers
    (3.7). -#}
with first_purchases_by_day as (
    select
        cast(first_purchase_at as date) as first_purchase_date,
        count(*) as customers
    from {{ ref('dim_customers') }}
    where first_purchase_at is not null
    group by cast(first_purchase_at as date)
),

new_customers_expected as (
    select
        periods.period_grain,
        periods.period_start,
        coalesce(sum(first_purchases_by_day.customers), 0) as new_customers
    from ({{ periods_with_end_date(ref('customer_retention')) }}) as periods
    left join first_purchases_by_day
        on {{ in_period('first_purchases_by_day.first_purchase_date') }}
    group by periods.period_grain, periods.period_start
),

cohort_sizes_expected as (
    select
        cast({{ dbt.date_trunc('month', 'first_purchase_date') }} as date)
            as cohort_month,
        sum(customers) as cohort_size
    from first_purchases_by_day
    group by cast({{ dbt.date_trunc('month', 'first_purchase_date') }} as date)
),

cohort_sizes as (
    {#- One size per cohort: every row of a cohort repeats it. -#}
    select
        cohort_month,
        min(cohort_size) as cohort_size,
        max(cohort_size) as same_size
    from {{ ref('cohort_retention') }}
    group by cohort_month
),

mismatches as (
    select
        retention.period_grain,
        retention.period_start,
        'new_customers' as problem
    from {{ ref('customer_retention') }} as retention
    inner join new_customers_expected as expected
        on retention.period_grain = expected.period_grain
        and retention.period_start = expected.period_start
    where retention.new_customers <> expected.new_customers
    union all
    select
        'month' as period_grain,
        coalesce(cohorts.cohort_month, expected.cohort_month) as period_start,
        'cohort_size' as problem
    from cohort_sizes as cohorts
    full outer join cohort_sizes_expected as expected
        on cohorts.cohort_month = expected.cohort_month
    where cohorts.cohort_month is null
        or expected.cohort_month is null
        or cohorts.cohort_size <> expected.cohort_size
        or cohorts.same_size <> expected.cohort_size
)

select * from mismatches

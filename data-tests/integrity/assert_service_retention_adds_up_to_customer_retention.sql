{#- The service bands of every grain and period add up to customer_retention
    (contract 3.10): their customers_start, retained_customers and
    churned_customers sum to that period's, and every period of
    customer_retention has the five bands, no other period any. The two
    marts count active customers in two ways (customer_retention from spell
    coverage with its neighbours, service_retention from spell and band
    pieces at period indexes), so this fails when either miscounts. -#}
with band_sums as (
    select
        period_grain,
        period_start,
        count(*) as bands,
        sum(customers_start) as customers_start,
        sum(retained_customers) as retained_customers,
        sum(churned_customers) as churned_customers
    from {{ ref('service_retention') }}
    group by period_grain, period_start
),

mismatches as (
    select
        coalesce(retention.period_grain, band_sums.period_grain)
            as period_grain,
        coalesce(retention.period_start, band_sums.period_start)
            as period_start,
        band_sums.bands,
        retention.customers_start,
        band_sums.customers_start as band_customers_start,
        retention.retained_customers,
        band_sums.retained_customers as band_retained_customers,
        retention.churned_customers,
        band_sums.churned_customers as band_churned_customers
    from {{ ref('customer_retention') }} as retention
    full outer join band_sums
        on retention.period_grain = band_sums.period_grain
        and retention.period_start = band_sums.period_start
    where retention.period_grain is null
        or band_sums.period_grain is null
        or band_sums.bands <> {{ service_bands() | length }}
        or retention.customers_start <> band_sums.customers_start
        or retention.retained_customers <> band_sums.retained_customers
        or retention.churned_customers <> band_sums.churned_customers
)

select * from mismatches

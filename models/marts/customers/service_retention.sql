{#- Retention by service band (contract 3.10): per grain and period, the
    customers active at S split by their band at S, and of those the ones
    still active at E. Bands other than no_ticket are counted from the
    banded customers (int_customers_banded_at_boundaries) active at S,
    with the activity spells answering "active at S" and "active at E";
    no_ticket is the rest of customer_retention's customers_start,
    retained and churned, so no table of customers x periods is needed. -#}
with periods as (select * from {{ ref('int_periods') }}),

banded as (select * from {{ ref('int_customers_banded_at_boundaries') }}),

spells as (select * from {{ ref('int_purchases_grouped_into_spells') }}),

customer_retention as (select * from {{ ref('customer_retention') }}),

bands as (
    {{ service_bands_relation() }}
),

banded_at_start as (
    {#- Banded customers active at S: the spell that covers S. A boundary
        instant is the start of a period of one to four grains. -#}
    select
        banded.customer_id,
        banded.service_band,
        periods.period_grain,
        periods.period_start,
        periods.period_end_at
    from banded
    inner join spells
        on banded.customer_id = spells.customer_id
        and banded.boundary_at > spells.spell_start_at
        and banded.boundary_at <= spells.spell_end_at
    inner join periods
        on banded.boundary_at = periods.period_start_at
),

banded_with_end as (
    {#- Spells do not overlap: at most one covers E. -#}
    select
        banded_at_start.period_grain,
        banded_at_start.period_start,
        banded_at_start.service_band,
        case
            when spells.customer_id is null then 0 else 1
        end as is_active_at_end
    from banded_at_start
    left join spells
        on banded_at_start.customer_id = spells.customer_id
        and banded_at_start.period_end_at > spells.spell_start_at
        and banded_at_start.period_end_at <= spells.spell_end_at
),

banded_counts as (
    select
        period_grain,
        period_start,
        service_band,
        count(*) as customers_start,
        sum(is_active_at_end) as retained_customers
    from banded_with_end
    group by period_grain, period_start, service_band
),

band_totals as (
    select
        period_grain,
        period_start,
        sum(customers_start) as customers_start,
        sum(retained_customers) as retained_customers
    from banded_counts
    group by period_grain, period_start
),

counted as (
    {%- set bigint = dbt.type_bigint() %}
    {%- set no_ticket = service_bands() | last %}
    select
        {{ period_columns('customer_retention') }},
        bands.service_band,
        bands.service_band_rank,
        case
            when bands.service_band = '{{ no_ticket }}'
                then
                    customer_retention.customers_start
                    - coalesce(band_totals.customers_start, 0)
            else coalesce(banded_counts.customers_start, 0)
        end as customers_start,
        case
            when bands.service_band = '{{ no_ticket }}'
                then
                    customer_retention.retained_customers
                    - coalesce(band_totals.retained_customers, 0)
            else coalesce(banded_counts.retained_customers, 0)
        end as retained_customers
    from customer_retention
    cross join bands
    left join banded_counts
        on customer_retention.period_grain = banded_counts.period_grain
        and customer_retention.period_start = banded_counts.period_start
        and bands.service_band = banded_counts.service_band
    left join band_totals
        on customer_retention.period_grain = band_totals.period_grain
        and customer_retention.period_start = band_totals.period_start
),

rated as (
    select
        {{ period_columns() }},
        service_band,
        service_band_rank,
        cast(customers_start as {{ bigint }}) as customers_start,
        cast(retained_customers as {{ bigint }}) as retained_customers,
        cast(
            customers_start - retained_customers as {{ bigint }}
        ) as churned_customers,
        {{ safe_divide('retained_customers', 'customers_start') }}
            as retention_rate,
        {{ wilson_bound('retained_customers', 'customers_start', '-') }}
            as retention_rate_ci_low,
        {{ wilson_bound('retained_customers', 'customers_start', '+') }}
            as retention_rate_ci_high
    from counted
),

final as (
    select
        {{ period_columns('rated') }},
        rated.service_band,
        rated.customers_start,
        rated.retained_customers,
        rated.churned_customers,
        rated.retention_rate,
        rated.retention_rate_ci_low,
        rated.retention_rate_ci_high,
        rated.retention_rate
        - no_ticket.retention_rate as retention_rate_vs_no_ticket
    from rated
    inner join rated as no_ticket
        on rated.period_grain = no_ticket.period_grain
        and rated.period_start = no_ticket.period_start
        and no_ticket.service_band = '{{ no_ticket }}'
)

select * from final

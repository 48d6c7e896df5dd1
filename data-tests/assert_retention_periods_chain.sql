{#- The customers active at the end of a period are the customers active at
    the start of the next one (E of one period is S of the next). -#}
with retention as (
    select * from {{ ref('customer_retention') }}
)

select
    this_period.period_grain,
    this_period.period_start,
    this_period.customers_end,
    next_period.customers_start
from retention as this_period
inner join retention as next_period
    on this_period.period_grain = next_period.period_grain
    and next_period.period_start
    = cast({{ timestamp_add('day', 1, 'this_period.period_end') }} as date)
where this_period.customers_end <> next_period.customers_start

{#- Valid, de-duplicated orders placed before as_of. -#}
with orders as (
    select * from {{ ref('stg_shop__orders') }}
    where rejection_reason is null
),

reporting_window as (
    select * from {{ ref('int_reporting_window') }}
),

final as (
    select
        orders.order_id,
        orders.customer_id,
        orders.status,
        orders.raw_status,
        orders.cancel_reason,
        orders.amount,
        orders.status = 'completed' as is_purchase,
        orders.ordered_at
    from orders
    inner join reporting_window
        on orders.ordered_at < reporting_window.as_of_at
)

select * from final

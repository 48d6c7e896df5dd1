{#- Valid, de-duplicated orders placed before as_of. A view: a second
    10-million-row copy only to apply a filter costs more than filtering in
    each consumer, which reads only the columns it needs. -#}
{{ config(materialized='view') }}
with orders as (select * from {{ ref('stg_shop__orders') }}),

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
    where orders.ordered_at < {{ as_of_at() }}
)

select * from final

{#- One row per customer id with at least one purchase (a completed order
    before as_of), inferred customers included. -#}
with purchases as (
    select * from {{ ref('int_orders_filtered') }}
    where is_purchase
),

final as (
    select
        customer_id,
        count(*) as purchases,
        sum(amount) as lifetime_revenue,
        min(ordered_at) as first_purchase_at,
        max(ordered_at) as last_purchase_at
    from purchases
    group by customer_id
)

select * from final

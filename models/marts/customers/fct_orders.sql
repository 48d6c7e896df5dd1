{#- One row per valid, de-duplicated order placed before as_of, for slicing
    in BI (contract 3.9). -#}
with orders as (select * from {{ ref('int_orders_filtered') }}),

customers as (select * from {{ ref('int_customers_unioned') }}),

first_purchases as (
    select * from {{ ref('int_purchases_aggregated_to_customers') }}
),

final as (
    select
        orders.order_id,
        orders.customer_id,
        orders.status,
        orders.raw_status,
        orders.cancel_reason,
        customers.city,
        customers.acquisition_channel,
        orders.amount,
        case when orders.is_purchase then orders.amount else 0 end as revenue,
        orders.is_purchase,
        orders.is_purchase
        and orders.ordered_at = first_purchases.first_purchase_at
            as is_first_purchase,
        customers.is_inferred as is_inferred_customer,
        cast(orders.ordered_at as date) as ordered_date,
        orders.ordered_at
    from orders
    left join customers
        on orders.customer_id = customers.customer_id
    left join first_purchases
        on orders.customer_id = first_purchases.customer_id
)

select * from final

{#- One row per customer id seen anywhere (contract 3.8): the valid
    customer rows, and the ids of the orders (any status), tickets and
    survey responses before as_of. An id missing from the customers file
    is inferred, not dropped: null signed_up_at and city, acquisition
    channel unknown. What the marts read of a customer's attributes. -#}
with customers as (select * from {{ ref('stg_crm__customers') }}),

orders as (select * from {{ ref('int_orders_filtered') }}),

tickets as (select * from {{ ref('int_tickets_enriched') }}),

survey_responses as (select * from {{ ref('int_survey_responses_enriched') }}),

customer_ids as (
    select customer_id from customers
    union
    select customer_id from orders
    union
    select customer_id from tickets
    where customer_id is not null
    union
    select customer_id from survey_responses
    where customer_id is not null
),

final as (
    select
        customer_ids.customer_id,
        customers.city,
        coalesce(customers.acquisition_channel, 'unknown')
            as acquisition_channel,
        customers.customer_id is null as is_inferred,
        customers.signed_up_at
    from customer_ids
    left join customers
        on customer_ids.customer_id = customers.customer_id
)

select * from final

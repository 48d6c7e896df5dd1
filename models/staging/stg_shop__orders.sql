{#- Valid, de-duplicated orders (any placement in time): what the rest of
    the warehouse reads. Built only after the audit has passed its
    rejected-share gate. -#}
-- depends_on: {{ ref('source_reconciliation') }}
{{ config(materialized='view') }}
with order_rows as (
    select * from {{ ref('stg_shop__order_rows') }}
),

final as (
    select
        order_id,
        customer_id,
        status,
        raw_status,
        cancel_reason,
        amount,
        ordered_at,
        updated_at
    from order_rows
    where rejection_reason is null
)

select * from final

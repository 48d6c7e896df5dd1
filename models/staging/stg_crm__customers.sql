{#- Valid, de-duplicated customers, without personal data: what the rest of
    the warehouse reads. Names, emails and phones stay in
    stg_crm__customer_rows. Built only after the audit has passed its
    rejected-share gate, so a broken export never reaches the marts. -#}
-- depends_on: {{ ref('source_reconciliation') }}
{{ config(materialized='view') }}
with customer_rows as (
    select * from {{ ref('stg_crm__customer_rows') }}
),

final as (
    select
        customer_id,
        city,
        acquisition_channel,
        signed_up_at,
        updated_at
    from customer_rows
    where rejection_reason is null
)

select * from final

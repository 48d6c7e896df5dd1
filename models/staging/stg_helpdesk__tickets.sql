{#- Valid, de-duplicated tickets: what the rest of the warehouse reads.
    Built only after the audit has passed its rejected-share gate. -#}
-- depends_on: {{ ref('source_reconciliation') }}
{{ config(materialized='view') }}
with ticket_rows as (
    select * from {{ ref('stg_helpdesk__ticket_rows') }}
),

final as (
    select
        ticket_id,
        customer_id,
        agent_id,
        channel,
        category,
        priority,
        raw_priority,
        contact_count,
        reopen_count,
        wait_seconds,
        created_at,
        first_response_at,
        resolved_at,
        updated_at
    from ticket_rows
    where rejection_reason is null
)

select * from final

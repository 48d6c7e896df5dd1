{#- Valid, de-duplicated agents (empty when the file is absent): what the
    rest of the warehouse reads. Built only after the audit has passed its
    rejected-share gate. -#}
-- depends_on: {{ ref('source_reconciliation') }}
{{ config(materialized='view') }}
with agent_rows as (
    select * from {{ ref('stg_helpdesk__agent_rows') }}
),

final as (
    select
        agent_id,
        agent_name,
        team,
        updated_at
    from agent_rows
    where rejection_reason is null
)

select * from final

{#- Valid, de-duplicated survey responses: what the rest of the warehouse
    reads. Built only after the audit has passed its rejected-share
    gate. -#}
-- depends_on: {{ ref('source_reconciliation') }}
{{ config(materialized='view') }}
with survey_response_rows as (
    select * from {{ ref('stg_survey__survey_response_rows') }}
),

final as (
    select
        response_id,
        survey_type,
        customer_id,
        ticket_id,
        score,
        comment,
        submitted_at,
        updated_at
    from survey_response_rows
    where rejection_reason is null
)

select * from final

{#- Valid, de-duplicated customers, without personal data: what the rest of
    the warehouse reads. Names, emails and phones stay in
    stg_crm__customer_rows. Built only after the audit has passed its
    rejected-share gate, so a broken export never reaches the marts. -#}
-- depends_on: {{ ref('source_reconciliation') }}
{{ config(materialized='view') }}
{{ kept_rows('stg_crm__customer_rows', 'customers') }}

{#- Valid, de-duplicated agents (empty when the file is absent): what the
    rest of the warehouse reads. Built only after the audit has passed its
    rejected-share gate. -#}
-- depends_on: {{ ref('source_reconciliation') }}
{{ config(materialized='view') }}
{{ kept_rows('stg_helpdesk__agent_rows', 'agents') }}

{#- Valid, de-duplicated survey responses: what the rest of the warehouse
    reads. Built only after the audit has passed its rejected-share
    gate. -#}
-- depends_on: {{ ref('source_reconciliation') }}
{{ config(materialized='view') }}
{{ kept_rows('stg_survey__survey_response_rows', 'survey_responses') }}

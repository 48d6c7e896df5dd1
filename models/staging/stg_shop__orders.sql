{#- Valid, de-duplicated orders (any placement in time): what the rest of
    the warehouse reads. Built only after the audit has passed its
    rejected-share gate. -#}
-- depends_on: {{ ref('source_reconciliation') }}
{{ config(materialized='view') }}
{{ kept_rows('stg_shop__order_rows', 'orders') }}

{#- The gate between the audit and everything after it: more than var
    max_rejected_share of a table's raw rows rejected means the export is
    broken, not merely dirty. The kept-rows staging models depend on
    source_reconciliation, so when this test fails dbt skips them and every
    model after them: the previous marts stay as they were. The error names
    each table, its share, its top reasons with an example row, and the two
    ways out. -#}
{{ config(severity='error') }}
{%- do rejected_share_gate() %}
select
    source_table,
    raw_rows,
    rejected_rows,
    rejected_share
from {{ ref('source_reconciliation') }}
where rejected_share > {{ var('max_rejected_share') }}

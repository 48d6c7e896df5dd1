{{ config(severity='warn') }}
{#- Reports, as a warning, every source table with rejected rows: the build
    goes on, the rows are in audit.rejected_rows. -#}
select
    source_table,
    rejected_rows,
    duplicate_rows
from {{ ref('source_reconciliation') }}
where rejected_rows > 0

{#- An error when more than var max_rejected_share of a table's raw rows are
    rejected: the export is probably broken, not merely dirty. -#}
select source_table, raw_rows, rejected_rows, rejected_share
from {{ ref('source_reconciliation') }}
where rejected_share > {{ var('max_rejected_share') }}

{#- The raw agents file as text, one column per contract column (null when
    the file lacks it), its position in the file and the row as JSON. -#}
select *
from {{ read_raw('agents', ['agent_id', 'agent_name', 'team', 'updated_at']) }}

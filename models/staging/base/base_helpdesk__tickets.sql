{#- The raw tickets file as text, one column per contract column (null when
    the file lacks it), its position in the file and the row as JSON. -#}
select *
from {{ read_raw('tickets', [
    'ticket_id', 'customer_id', 'agent_id', 'channel', 'category',
    'priority', 'created_at', 'first_response_at', 'resolved_at',
    'contact_count', 'reopen_count', 'wait_seconds', 'updated_at',
]) }}

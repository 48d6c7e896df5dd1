{#- The raw survey_responses file as text, one column per contract column (null when
    the file lacks it), its position in the file and the row as JSON. -#}
select *
from {{ read_raw('survey_responses', [
    'response_id', 'survey_type', 'customer_id', 'ticket_id', 'score',
    'submitted_at', 'comment', 'updated_at',
]) }}

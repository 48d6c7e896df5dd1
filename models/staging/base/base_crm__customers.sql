{#- The raw customers file as text, one column per contract column (null when
    the file lacks it), its position in the file and the row as JSON. -#}
select *
from {{ read_raw('customers', [
    'customer_id', 'signed_up_at', 'full_name', 'email', 'phone',
    'city', 'acquisition_channel', 'updated_at',
]) }}

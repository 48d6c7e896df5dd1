{#- The raw orders file as text, one column per contract column (null when
    the file lacks it), its position in the file and the row as JSON. -#}
select *
from {{ read_raw('orders', [
    'order_id', 'customer_id', 'ordered_at', 'status', 'amount',
    'cancel_reason', 'updated_at',
]) }}

{#- The raw orders file as text: one column per contract column (null when
    the file lacks it), the row's position in the file and the original row
    as JSON. -#}
select * from {{ read_raw('orders') }}

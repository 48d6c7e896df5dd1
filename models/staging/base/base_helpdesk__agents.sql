{#- The raw agents file as text (empty when the file is absent): one column
    per contract column (null when the file lacks it), the row's position in
    the file and the original row as JSON. -#}
select * from {{ read_raw('agents') }}

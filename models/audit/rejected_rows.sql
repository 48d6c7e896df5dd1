{#- Quarantine (contract section 4): every raw row that did not flow into the
    warehouse, rejected rows and dropped duplicates alike, with the reason
    and the original row as JSON text. Nothing is lost silently. -#}
{%- set staged = staged_tables() %}
with
{%- for table in staged %}
{{ table.source_table }} as (
    select
        '{{ table.source_table }}' as source_table,
        {{ table.key }} as source_key,
        rejection_reason as reason,
        source_row_number,
        raw_record
    from {{ ref(table.model) }}
    where rejection_reason is not null
),
{% endfor %}
final as (
    {%- for table in staged %}
    select * from {{ table.source_table }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final

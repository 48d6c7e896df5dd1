{#- One row per source table: raw_rows = valid_rows + duplicate_rows +
    rejected_rows (tested). valid_rows counts the rows kept after
    de-duplication, before any as_of filtering. A table whose file is absent
    (agents) has a row of zeros. Built after rejected_rows, so that the
    rejected-share gate on this model can quote examples from it. -#}
-- depends_on: {{ ref('rejected_rows') }}
{%- set staged = staged_tables() %}
with
{%- for table in staged %}
    {{ table.source_table }} as (
        select
            '{{ table.source_table }}' as source_table,
            count(*) as raw_rows,
            count(case when rejection_reason is null then 1 end) as valid_rows,
            count(case when rejection_reason = 'duplicate_key' then 1 end)
                as duplicate_rows,
            count(case
                when rejection_reason is not null
                    and rejection_reason <> 'duplicate_key' then 1
            end) as rejected_rows
        from {{ ref(table.model) }}
    ),
{% endfor %}
unioned as (
    {{ union_of_staged_tables() }}
),

final as (
    select
        source_table,
        raw_rows,
        coalesce(valid_rows, 0) as valid_rows,
        coalesce(duplicate_rows, 0) as duplicate_rows,
        coalesce(rejected_rows, 0) as rejected_rows,
        {{ safe_divide('coalesce(rejected_rows, 0)', 'raw_rows') }}
            as rejected_share
    from unioned
)

select * from final

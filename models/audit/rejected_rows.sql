{#- Quarantine (contract section 4): every raw row that did not flow into the
    warehouse, rejected rows and dropped duplicates alike, with the reason
    and the original row as JSON text. Nothing is lost silently. Staging
    keeps no copy of the raw rows: the few quarantined ones are read back
    from the raw file by their position, and only their JSON is built.

    DuckDB cannot estimate the rows of a CSV read with a fixed schema (it
    guesses a few dozen), so it would build the hash table of the semi join
    on the whole raw file instead of the rejected positions: 10 million CSV
    orders ran out of memory at 3.5GB. The hooks keep the build side where
    the join is written (the rejected positions) for this model only. -#}
{{ config(
    pre_hook=(
        ["set disabled_optimizers = 'build_side_probe_side'"]
        if target.type == 'duckdb' else []
    ),
    post_hook=(
        ["reset disabled_optimizers"] if target.type == 'duckdb' else []
    ),
) }}
{%- set staged = staged_tables() %}
{%- set tables = raw_tables() if execute else {} %}
with
{%- for table in staged %}
    {{ table.source_table }} as (
        select
            '{{ table.source_table }}' as source_table,
            {%- set key = tables[table.source_table].key
                if execute else 'source_row_number' %}
            staged.{{ key }}
                as source_key,
            staged.rejection_reason as reason,
            staged.source_row_number,
            raw_file.raw_record
        from {{ ref(table.model) }} as staged
        inner join {{ raw_records(
        table.source_table,
        table.base,
        '(select source_row_number from ' ~ ref(table.model)
        ~ ' where rejection_reason is not null)',
    ) }} as raw_file
            on staged.source_row_number = raw_file.source_row_number
        where staged.rejection_reason is not null
    ),
{% endfor %}
final as (
    {{ union_of_staged_tables() }}
)

select * from final

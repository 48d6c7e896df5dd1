{#- source_reconciliation against the models it summarises: valid_rows is
    the number of rows of the table's kept staging model (what the rest of
    the warehouse reads), and raw_rows is those plus the table's rows in
    audit.rejected_rows (assert_rejected_rows_reconcile checks the split
    of the latter into duplicates and rejections). Nothing is lost and
    nothing is counted twice; every table has its row. -#}
{%- set kept_models = {
    'customers': 'stg_crm__customers',
    'orders': 'stg_shop__orders',
    'tickets': 'stg_helpdesk__tickets',
    'survey_responses': 'stg_survey__survey_responses',
    'agents': 'stg_helpdesk__agents',
} %}
with kept as (
    {%- for source_table, model in kept_models.items() %}
        select
            '{{ source_table }}' as source_table,
            count(*) as kept_rows
        from {{ ref(model) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

quarantined as (
    select
        source_table,
        count(*) as quarantined_rows
    from {{ ref('rejected_rows') }}
    group by source_table
)

select
    coalesce(reconciliation.source_table, kept.source_table) as source_table,
    reconciliation.raw_rows,
    reconciliation.valid_rows,
    kept.kept_rows,
    coalesce(quarantined.quarantined_rows, 0) as quarantined_rows
from {{ ref('source_reconciliation') }} as reconciliation
full outer join kept
    on reconciliation.source_table = kept.source_table
left join quarantined
    on kept.source_table = quarantined.source_table
where reconciliation.source_table is null
    or kept.source_table is null
    or reconciliation.valid_rows <> kept.kept_rows
    or reconciliation.raw_rows
    <> kept.kept_rows + coalesce(quarantined.quarantined_rows, 0)

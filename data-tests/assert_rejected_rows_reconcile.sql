{#- Nothing is lost: each table's duplicate and rejected counts in
    source_reconciliation are exactly the rows quarantined in rejected_rows,
    and every quarantined row carries a reason of the contract. -#}
with reconciliation as (
    select * from {{ ref('source_reconciliation') }}
),

quarantined as (
    select
        source_table,
        count(case when reason = 'duplicate_key' then 1 end) as duplicate_rows,
        count(case when reason <> 'duplicate_key' then 1 end) as rejected_rows
    from {{ ref('rejected_rows') }}
    group by source_table
),

mismatches as (
    select
        reconciliation.source_table,
        'count mismatch' as problem
    from reconciliation
    left join quarantined
        on reconciliation.source_table = quarantined.source_table
    where reconciliation.duplicate_rows
        <> coalesce(quarantined.duplicate_rows, 0)
        or reconciliation.rejected_rows
        <> coalesce(quarantined.rejected_rows, 0)
),

unknown_reasons as (
    select
        source_table,
        'unknown reason ' || reason as problem
    from {{ ref('rejected_rows') }}
    where reason not in (
            'missing_key', 'missing_customer', 'invalid_timestamp',
            'invalid_status', 'invalid_amount', 'invalid_count',
            'response_before_creation', 'resolved_before_creation',
            'invalid_survey_type', 'invalid_score', 'duplicate_key'
        )
)

select * from mismatches
union all
select * from unknown_reasons

{#- Every raw agent row with its quarantine reason (null when the row is
    valid and kept). The file may be absent: then this model is empty. -#}
with source as (select * from {{ ref('base_helpdesk__agents') }}),

cleaned as (
    select
        source_row_number,
        {{ clean_text('agent_id') }} as agent_id,
        {{ clean_text('agent_name') }} as agent_name,
        coalesce({{ clean_text('team') }}, 'unassigned') as team,
        {{ clean_text('updated_at') }} as updated_at_text
    from source
),

parsed as (
    select
        *,
        {{ parse_timestamp('updated_at_text') }} as updated_at
    from cleaned
),

validated as (
    select
        *,
        case
            when agent_id is null then 'missing_key'
            when {{ invalid_timestamp_condition(optional=['updated_at']) }}
                then 'invalid_timestamp'
        end as invalid_reason
    from parsed
),

final as (
    select
        agent_id,
        agent_name,
        team,
        updated_at,
        {{ rejection_reason_with_duplicates('agent_id') }} as rejection_reason,
        source_row_number
    from validated
)

select * from final

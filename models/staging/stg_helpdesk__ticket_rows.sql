{#- Every raw ticket row, typed and normalised, with its quarantine reason
    (null when the row is valid and kept). The priority lookup decides no
    validity but normalises like the status lookup of orders: a raw
    priority the seed ticket_priority_map does not map is normal. -#}
with source as (select * from {{ ref('base_helpdesk__tickets') }}),

ticket_priority_map as (select * from {{ ref('ticket_priority_map') }}),

cleaned as (
    select
        source_row_number,
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ clean_text('agent_id') }} as agent_id,
        coalesce(lower({{ clean_text('channel') }}), 'unknown') as channel,
        coalesce(
            lower({{ clean_text('category') }}), 'uncategorized'
        ) as category,
        lower({{ clean_text('priority') }}) as raw_priority,
        {{ clean_text('contact_count') }} as contact_count_text,
        {{ clean_text('reopen_count') }} as reopen_count_text,
        {{ clean_text('wait_seconds') }} as wait_seconds_text,
        {{ clean_text('created_at') }} as created_at_text,
        {{ clean_text('first_response_at') }} as first_response_at_text,
        {{ clean_text('resolved_at') }} as resolved_at_text,
        {{ clean_text('updated_at') }} as updated_at_text
    from source
),

parsed as (
    select
        cleaned.*,
        coalesce(ticket_priority_map.priority, 'normal') as priority,
        {{ parse_integer('cleaned.contact_count_text') }}
            as contact_count_value,
        {{ parse_integer('cleaned.reopen_count_text') }} as reopen_count_value,
        {{ parse_integer('cleaned.wait_seconds_text') }} as wait_seconds,
        {{ parse_timestamp('cleaned.created_at_text') }} as created_at,
        {{ parse_timestamp('cleaned.first_response_at_text') }}
            as first_response_at,
        {{ parse_timestamp('cleaned.resolved_at_text') }} as resolved_at,
        {{ parse_timestamp('cleaned.updated_at_text') }} as updated_at
    from cleaned
    left join ticket_priority_map
        on cleaned.raw_priority = ticket_priority_map.raw_priority
),

validated as (
    select
        *,
        case
            when ticket_id is null then 'missing_key'
            when {{ invalid_timestamp_condition(
                required=['created_at'],
                optional=['first_response_at', 'resolved_at', 'updated_at'],
            ) }}
                then 'invalid_timestamp'
            when (
                contact_count_text is not null and contact_count_value is null
            )
            or (
                reopen_count_text is not null and reopen_count_value is null
            )
            or (wait_seconds_text is not null and wait_seconds is null)
            {#- The defaults (contact_count 1, reopen_count 0) apply before
                the range checks (section 5); a defaulted null never fails
                them, so the parsed values are checked directly. -#}
            or contact_count_value < 1
            or reopen_count_value < 0
            or wait_seconds < 0
                then 'invalid_count'
            when first_response_at < created_at
                then 'response_before_creation'
            when resolved_at < created_at
                then 'resolved_before_creation'
        end as invalid_reason
    from parsed
),

final as (
    select
        ticket_id,
        customer_id,
        agent_id,
        channel,
        category,
        priority,
        raw_priority,
        coalesce(contact_count_value, 1) as contact_count,
        coalesce(reopen_count_value, 0) as reopen_count,
        wait_seconds,
        created_at,
        first_response_at,
        resolved_at,
        updated_at,
        {{ rejection_reason_with_duplicates('ticket_id') }} as rejection_reason,
        source_row_number
    from validated
)

select * from final

{#- Every raw customer row, typed, with its quarantine reason (null when the
    row is valid and kept). -#}
with source as (select * from {{ ref('base_crm__customers') }}),

cleaned as (
    select
        source_row_number,
        {{ clean_text('customer_id') }} as customer_id,
        {{ clean_text('full_name') }} as full_name,
        {{ clean_text('email') }} as email,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('city') }} as city,
        coalesce(
            lower({{ clean_text('acquisition_channel') }}), 'unknown'
        ) as acquisition_channel,
        {{ clean_text('signed_up_at') }} as signed_up_at_text,
        {{ clean_text('updated_at') }} as updated_at_text
    from source
),

parsed as (
    select
        *,
        {{ parse_timestamp('signed_up_at_text') }} as signed_up_at,
        {{ parse_timestamp('updated_at_text') }} as updated_at
    from cleaned
),

validated as (
    select
        *,
        case
            when customer_id is null then 'missing_key'
            when {{ invalid_timestamp_condition(
                optional=['signed_up_at', 'updated_at']) }}
                then 'invalid_timestamp'
        end as invalid_reason
    from parsed
),

final as (
    select
        customer_id,
        full_name,
        email,
        phone,
        city,
        acquisition_channel,
        signed_up_at,
        updated_at,
        {{ rejection_reason_with_duplicates('customer_id') }}
            as rejection_reason,
        source_row_number
    from validated
)

select * from final

{#- Every raw order row, typed, with its quarantine reason (null when the row
    is valid and kept). The status lookup is the one join staging makes: it
    decides validity (`invalid_status`), so it cannot wait for a later
    layer. -#}
with source as (select * from {{ ref('base_shop__orders') }}),

order_status_map as (select * from {{ ref('order_status_map') }}),

cleaned as (
    select
        source_row_number,
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('customer_id') }} as customer_id,
        lower({{ clean_text('status') }}) as raw_status,
        {{ clean_text('amount') }} as amount_text,
        {{ clean_text('cancel_reason') }} as cancel_reason,
        {{ clean_text('ordered_at') }} as ordered_at_text,
        {{ clean_text('updated_at') }} as updated_at_text
    from source
),

parsed as (
    select
        cleaned.*,
        order_status_map.status,
        {{ parse_amount('cleaned.amount_text') }} as amount,
        {{ parse_timestamp('cleaned.ordered_at_text') }} as ordered_at,
        {{ parse_timestamp('cleaned.updated_at_text') }} as updated_at
    from cleaned
    left join order_status_map
        on cleaned.raw_status = order_status_map.raw_status
),

validated as (
    select
        *,
        case
            when order_id is null then 'missing_key'
            when customer_id is null then 'missing_customer'
            when {{ invalid_timestamp_condition(
                required=['ordered_at'], optional=['updated_at']) }}
                then 'invalid_timestamp'
            when status is null then 'invalid_status'
            when amount is null or amount < 0 then 'invalid_amount'
        end as invalid_reason
    from parsed
),

final as (
    select
        order_id,
        customer_id,
        status,
        raw_status,
        cancel_reason,
        amount,
        ordered_at,
        updated_at,
        {{ rejection_reason_with_duplicates('order_id') }} as rejection_reason,
        source_row_number
    from validated
)

select * from final

{#- Every raw survey answer, typed, with its quarantine reason (null when the
    row is valid and kept). -#}
with source as (select * from {{ ref('base_survey__survey_responses') }}),

cleaned as (
    select
        source_row_number,
        {{ clean_text('response_id') }} as response_id,
        lower({{ clean_text('survey_type') }}) as survey_type,
        {{ clean_text('customer_id') }} as customer_id,
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ clean_text('score') }} as score_text,
        {#- `comment` is a keyword, and the contract's name for the column. -#}
        {{ clean_text('comment') }} as comment,  -- noqa: RF04
        {{ clean_text('submitted_at') }} as submitted_at_text,
        {{ clean_text('updated_at') }} as updated_at_text
    from source
),

parsed as (
    select
        *,
        {{ parse_integer('score_text') }} as score,
        {{ parse_timestamp('submitted_at_text') }} as submitted_at,
        {{ parse_timestamp('updated_at_text') }} as updated_at
    from cleaned
),

validated as (
    select
        *,
        case
            when response_id is null then 'missing_key'
            when {{ invalid_timestamp_condition(
                required=['submitted_at'], optional=['updated_at']) }}
                then 'invalid_timestamp'
            when survey_type is null or survey_type not in ('nps', 'csat')
                then 'invalid_survey_type'
            when score is null
                or (survey_type = 'nps' and (score < 0 or score > 10))
                or (survey_type = 'csat' and (score < 1 or score > 5))
                then 'invalid_score'
        end as invalid_reason
    from parsed
),

final as (
    select
        response_id,
        survey_type,
        customer_id,
        ticket_id,
        score,
        comment,
        submitted_at,
        updated_at,
        {{ rejection_reason_with_duplicates('response_id') }}
            as rejection_reason,
        source_row_number
    from validated
)

select * from final

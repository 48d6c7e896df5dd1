{#- One row: as_of, the instant up to which data is considered. The var
    as_of_date when given, else the local midnight after the day of the
    latest event of the valid, de-duplicated rows (orders of any status,
    ticket creation / first response / resolution, survey submission).
    Every model that uses as_of runs after it, and it runs after the
    business calendar's check (int_business_hours): a wrong business_hours,
    holidays or sla_targets row stops the build before any mart. -#}
-- depends_on: {{ ref('int_business_hours') }}
with orders as (
    select ordered_at from {{ ref('stg_shop__orders') }}
),

tickets as (
    select
        created_at,
        first_response_at,
        resolved_at
    from {{ ref('stg_helpdesk__tickets') }}
),

survey_responses as (
    select submitted_at from {{ ref('stg_survey__survey_responses') }}
),

event_times as (
    select max(ordered_at) as event_at from orders
    union all
    select max(created_at) from tickets
    union all
    select max(first_response_at) from tickets
    union all
    select max(resolved_at) from tickets
    union all
    select max(submitted_at) from survey_responses
),

final as (
    {%- set explicit_as_of = as_of_date_literal() %}
    {%- if explicit_as_of is not none %}
    select {{ explicit_as_of }} as as_of_at
    {%- else %}
        select
            cast(
                {{ timestamp_add(
                    'day', 1, dbt.date_trunc('day', 'max(event_at)')
                ) }}
                as {{ dbt.type_timestamp() }}
            ) as as_of_at
        from event_times
    {%- endif %}
)

select * from final

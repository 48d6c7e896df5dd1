{#- The team's business hours (contract section 7), checked and typed: one
    row per interval [opening_minute, closing_minute) of a weekday, in
    minutes from local midnight (1440 for a 24:00 close). Before anything
    is read, check_business_calendar stops the build with one sentence
    naming the row when business_hours, holidays or the clocks of
    sla_targets are wrong; int_reporting_window depends on this model, so
    every mart does, and no mart is replaced from a wrong calendar. -#}
-- depends_on: {{ ref('holidays') }}
-- depends_on: {{ ref('sla_targets') }}
{%- do check_business_calendar() %}
with business_hours as (select * from {{ ref('business_hours') }}),

final as (
    select
        {{ parse_weekday(clean_text('weekday')) }} as weekday,  -- noqa: RF04
        {{ parse_clock_time(clean_text('opens_at')) }} as opening_minute,
        {{ parse_clock_time(clean_text('closes_at')) }} as closing_minute
    from business_hours
)

select * from final

{#- The business calendar's day spine (contract section 7): one row per
    local date from the day of the first valid ticket created before
    as_of to the day of as_of, with its ISO weekday, whether it is a
    holiday, its business time and business_microseconds_before, the
    business clock's reading at its midnight (the running sum of the days
    before it). Business time from a ticket's creation to a midnight M is
    the reading of M's date minus the ticket's business_clock_at_creation
    (int_tickets_enriched), which is read on this same spine. -#}
with {{ business_calendar_ctes() }},

final as (
    select
        business_date,
        weekday,
        is_holiday,
        business_microseconds,
        business_microseconds_before
    from business_days
)

select * from final

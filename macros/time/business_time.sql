{#- Business time (contract section 7): the length of the part of [a, b)
    that falls in the intervals of seeds/business_hours on days that are
    not in seeds/holidays, on local wall-clock time.

    It is read off a business clock: B(t), the business microseconds from
    the first midnight of a day spine to the instant t, and business time
    from a to b is B(b) - B(a). B(t) is two look-ups, never a walk over
    the days between a and b:
    - the day spine (business_calendar_ctes: business_days), one row per
      local date from the first ticket's day to as_of's, gives the
      reading at the date's midnight (a running sum of each day's
      business time: its weekday's intervals, or none on a holiday);
    - the minute profile (business_minutes), one row per weekday and
      minute of the day, gives the business time from midnight to the
      start of that minute and whether the minute is a business minute.
      The seed's times are whole minutes, so inside one minute the clock
      either runs or stands still, and the rest is exact microsecond
      arithmetic.
    A ticket open for a year costs what a ticket open for an hour costs.
    Everything is whole microseconds (bigint): exact, like the calendar
    durations. -#}

{% macro clock_time_pattern() -%}
    {#- HH:MM with two digits each, 00:00 to 23:59, and 24:00. -#}
    ([01][0-9]|2[0-3]):[0-5][0-9]|24:00
{%- endmacro %}

{% macro parse_clock_time(column) -%}
    {#- Minutes from midnight (0 to 1440) of a local time written HH:MM,
        or null when it does not read (contract section 7). try_cast:
        DuckDB may compute the cast for values the guard refuses. -#}
    case
        when {{ cs_analytics.regex_full_match(column, cs_analytics.clock_time_pattern() | trim) }}
            then {{ cs_analytics.try_cast('substr(' ~ column ~ ', 1, 2)', dbt.type_int()) }} * 60
            + {{ cs_analytics.try_cast('substr(' ~ column ~ ', 4, 2)', dbt.type_int()) }}
    end
{%- endmacro %}

{% macro parse_weekday(column) -%}
    {#- 1 (Monday) to 7 (Sunday), a plain integer (section 5's grammar),
        or null. -#}
    case
        when {{ cs_analytics.parse_integer(column) }} between 1 and 7
            then cast({{ cs_analytics.parse_integer(column) }} as {{ dbt.type_int() }})
    end
{%- endmacro %}

{% macro parse_iso_date(column) -%}
    {#- A real date written YYYY-MM-DD, or null. -#}
    case
        when {{ cs_analytics.regex_full_match(column, '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
            then {{ cs_analytics.try_cast(column, 'date') }}
    end
{%- endmacro %}

{% macro iso_weekday(date_expression) -%}
    {#- 1 = Monday ... 7 = Sunday. -#}
    {{- adapter.dispatch('iso_weekday', 'cs_analytics')(date_expression) -}}
{%- endmacro %}

{% macro default__iso_weekday(date_expression) -%}
    cast(extract(isodow from {{ date_expression }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro spark__iso_weekday(date_expression) -%}
    cast(extract(dayofweek_iso from {{ date_expression }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro each_date(first_date, last_date) -%}
    {#- In a select list, alone: one row per date from first_date to
        last_date, both included (a timestamp on some engines: cast it to
        date in the next select). The caller keeps first_date <= last_date
        (Spark refuses a descending sequence). -#}
    {{- adapter.dispatch('each_date', 'cs_analytics')(first_date, last_date) -}}
{%- endmacro %}

{% macro default__each_date(first_date, last_date) -%}
    {#- A set-returning function in the select list (PostgreSQL). -#}
    generate_series({{ first_date }}, {{ last_date }}, interval '1 day')
{%- endmacro %}

{% macro duckdb__each_date(first_date, last_date) -%}
    {#- DuckDB's scalar generate_series returns a list. -#}
    unnest(generate_series({{ first_date }}, {{ last_date }}, interval 1 day))
{%- endmacro %}

{% macro spark__each_date(first_date, last_date) -%}
    explode(sequence({{ first_date }}, {{ last_date }}, interval 1 day))
{%- endmacro %}

{% macro minute_of_day(timestamp_expression) -%}
    {#- 0 to 1439: the local minute of the day the instant falls in. -#}
    (cast(extract(hour from {{ timestamp_expression }}) as {{ dbt.type_int() }}) * 60
        + cast(extract(minute from {{ timestamp_expression }}) as {{ dbt.type_int() }}))
{%- endmacro %}

{% macro business_calendar_ctes() -%}
    {#- CTEs of a WITH list (the caller writes the comma before and after):
        business_days, the day spine, and business_minutes, the minute
        profile (see the top of this file). int_business_days publishes
        the same spine; int_tickets_enriched builds it inline, so that its
        unit tests give hours, holidays and tickets and check business
        durations computed by hand. The spine runs from the day of the
        first valid ticket created before as_of to the day of as_of, the
        only instants whose readings are taken; both callers get the same
        first day, so their readings agree. -#}
business_calendar_bounds as (
    select
        cast(min(created_at) as date) as first_date,
        cast({{ cs_analytics.as_of_at() }} as date) as last_date
    from {{ ref('stg_helpdesk__tickets') }}
    where created_at < {{ cs_analytics.as_of_at() }}
),

business_calendar_series as (
    {#- The generator alone in its select list: Spark refuses one nested in
        an expression (a cast). -#}
    select {{ cs_analytics.each_date('first_date', 'last_date') }} as series_date
    from business_calendar_bounds
    where first_date <= last_date
),

business_calendar_dates as (
    select cast(series_date as date) as business_date
    from business_calendar_series
),

business_holiday_dates as (
    {#- A date listed twice is one holiday. int_business_hours has refused
        a date that does not read. -#}
    select distinct
        {{ cs_analytics.parse_iso_date(cs_analytics.clean_text('holiday_date')) }}
            as holiday_date
    from {{ ref('holidays') }}
),

business_weekday_lengths as (
    select
        weekday,
        sum(closing_minute - opening_minute) as business_minutes
    from {{ ref('int_business_hours') }}
    group by weekday
),

business_dated as (
    select
        dates.business_date,
        {{ cs_analytics.iso_weekday('dates.business_date') }} as weekday,
        holidays.holiday_date is not null as is_holiday
    from business_calendar_dates as dates
    left join business_holiday_dates as holidays
        on dates.business_date = holidays.holiday_date
),

business_day_lengths as (
    select
        dated.business_date,
        dated.weekday,
        dated.is_holiday,
        case
            when dated.is_holiday then cast(0 as {{ dbt.type_bigint() }})
            else cast(coalesce(lengths.business_minutes, 0) as {{ dbt.type_bigint() }})
                * {{ cs_analytics.microseconds_in('minute') }}
        end as business_microseconds
    from business_dated as dated
    left join business_weekday_lengths as lengths
        on dated.weekday = lengths.weekday
),

business_days as (
    select
        business_date,
        weekday,
        is_holiday,
        business_microseconds,
        coalesce(sum(business_microseconds) over (
            order by business_date
            rows between unbounded preceding and 1 preceding
        ), 0) as business_microseconds_before
    from business_day_lengths
),

business_minute_numbers as (
    {#- dbt's series multiplies by power(), a double on Spark. -#}
    select
        cast(generated_number - 1 as {{ dbt.type_int() }}) as minute_of_day
    from ({{ dbt.generate_series(1440) }}) as series
),

business_minutes as (
    {#- Weekdays without intervals have no rows: their clock stands
        still all day, as on a holiday. -#}
    select
        hours.weekday,
        minutes.minute_of_day,
        cast(sum(case
            when minutes.minute_of_day <= hours.opening_minute then 0
            when minutes.minute_of_day >= hours.closing_minute
                then hours.closing_minute - hours.opening_minute
            else minutes.minute_of_day - hours.opening_minute
        end) as {{ dbt.type_bigint() }})
        * {{ cs_analytics.microseconds_in('minute') }}
            as business_microseconds_before,
        max(case
            when hours.opening_minute <= minutes.minute_of_day
                and minutes.minute_of_day < hours.closing_minute
                then 1
            else 0
        end) = 1 as is_business_minute
    from {{ ref('int_business_hours') }} as hours
    cross join business_minute_numbers as minutes
    group by hours.weekday, minutes.minute_of_day
)
{%- endmacro %}

{% macro business_clock_joins(timestamp_expression, alias) -%}
    {#- The two look-ups of an instant: its date in business_days (as
        `<alias>_day`) and its weekday's minute in business_minutes (as
        `<alias>_minute`, none on a holiday or a day without hours). A
        null instant finds nothing. -#}
    left join business_days as {{ alias }}_day
        on cast({{ timestamp_expression }} as date) = {{ alias }}_day.business_date
    left join business_minutes as {{ alias }}_minute
        on {{ alias }}_day.weekday = {{ alias }}_minute.weekday
        and not {{ alias }}_day.is_holiday
        and {{ cs_analytics.minute_of_day(timestamp_expression) }}
        = {{ alias }}_minute.minute_of_day
{%- endmacro %}

{% macro business_clock_at(timestamp_expression, alias) -%}
    {#- B(t), the business clock's reading at the instant (business
        microseconds from the spine's first midnight), from the look-ups
        of business_clock_joins; null for a null instant. -#}
    ({{ alias }}_day.business_microseconds_before
        + coalesce({{ alias }}_minute.business_microseconds_before, 0)
        + case
            when {{ alias }}_minute.is_business_minute
                then {{ cs_analytics.microseconds_between(
                    dbt.date_trunc('minute', timestamp_expression), timestamp_expression
                ) }}
            else 0
        end)
{%- endmacro %}

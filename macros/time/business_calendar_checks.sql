{#- The configuration of business time (contract section 7), checked
    before anything is computed from it: the seeds business_hours and
    holidays are loaded as text, so a bad value reaches these checks
    instead of failing the seed loader, and sla_targets.clock must name a
    clock that can run. int_business_hours calls check_business_calendar
    at execution; every mart depends on that model (through
    int_reporting_window), so a bad row stops the build before any mart is
    replaced, with one sentence naming the seed and the row. -#}

{% macro check_business_calendar() -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{- return(none) -}}
    {%- endif -%}
    {#- Seeds not loaded (dbt compile, the SQL linter): nothing to check
        yet; a build loads them before this model. -#}
    {%- set seeds = [ref('business_hours'), ref('holidays'), ref('sla_targets')] -%}
    {%- for seed in seeds -%}
        {%- if load_relation(seed) is none -%}
            {{- return(none) -}}
        {%- endif -%}
    {%- endfor -%}
    {%- set refusal = cs_analytics.business_calendar_refusal(*seeds) -%}
    {%- if refusal is not none -%}
        {{ exceptions.raise_compiler_error(refusal) }}
    {%- endif -%}
{%- endmacro %}

{% macro business_calendar_refusal(business_hours, holidays, sla_targets) -%}
    {#- The sentence that refuses the calendar held by these three
        relations (the seeds, or a test's copies of them), or none. -#}
    {%- set sla_columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(sla_targets) -%}
        {%- do sla_columns.append(column.name | lower) -%}
    {%- endfor -%}
    {%- if 'clock' not in sla_columns -%}
        {{- return(
            'The seed ' ~ cs_analytics.seed_file('sla_targets')
            ~ ' has no clock column: add one with calendar or business on every row '
            ~ '(contract section 7) and run dbt build again.'
        ) -}}
    {%- endif -%}
    {%- set problems = run_query(cs_analytics.business_calendar_problems(
        business_hours, holidays, sla_targets
    )) -%}
    {%- if problems.rows | length == 0 -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return(cs_analytics.business_calendar_sentence(problems.rows[0])) -}}
{%- endmacro %}

{% macro seed_file(seed_name) -%}
    {{- return(graph.nodes['seed.' ~ project_name ~ '.' ~ seed_name].original_file_path) -}}
{%- endmacro %}

{% macro shown_value(value) -%}
    {{- return('empty' if value is none else "'" ~ value ~ "'") -}}
{%- endmacro %}

{% macro business_hours_row(weekday, opens_at, closes_at) -%}
    {{- return(
        '(weekday ' ~ cs_analytics.shown_value(weekday)
        ~ ', opens_at ' ~ cs_analytics.shown_value(opens_at)
        ~ ', closes_at ' ~ cs_analytics.shown_value(closes_at) ~ ')'
    ) -}}
{%- endmacro %}

{% macro business_calendar_sentence(problem) -%}
    {#- One sentence for the first problem found: what is wrong with which
        row of which seed, and what to do. -#}
    {%- set again = ' and run dbt build again.' -%}
    {%- set kind = problem['problem'] -%}
    {%- set hours_file = cs_analytics.seed_file('business_hours') -%}
    {%- set hours_row = 'The row ' ~ cs_analytics.business_hours_row(
        problem['value_1'], problem['value_2'], problem['value_3']
    ) ~ ' of ' ~ hours_file -%}
    {%- if kind == 'weekday' -%}
        {{- return(hours_row ~ ' has a weekday that is not 1 (Monday) to 7 (Sunday): correct it' ~ again) -}}
    {%- elif kind == 'time' -%}
        {{- return(hours_row ~ ' has a time that does not read as HH:MM from 00:00 to 24:00 (two digits each, e.g. 08:00 or 24:00): correct it' ~ again) -}}
    {%- elif kind == 'order' -%}
        {{- return(hours_row ~ ' does not open before it closes: make opens_at earlier than closes_at (hours past midnight are a second row, e.g. 22:00-24:00 and 00:00-06:00 of the next weekday)' ~ again) -}}
    {%- elif kind == 'overlap' -%}
        {{- return(hours_row ~ ' overlaps the row ' ~ cs_analytics.business_hours_row(
            problem['other_1'], problem['other_2'], problem['other_3']
        ) ~ ' of the same weekday: merge them or move one (08:00-12:00 and 12:00-13:00 touch without overlapping)' ~ again) -}}
    {%- elif kind == 'holiday_date' -%}
        {{- return('The row (holiday_date ' ~ cs_analytics.shown_value(problem['value_1'])
            ~ ', name ' ~ cs_analytics.shown_value(problem['value_2']) ~ ') of '
            ~ cs_analytics.seed_file('holidays')
            ~ ' has a date that does not read as YYYY-MM-DD: correct it (e.g. 2025-04-30)' ~ again) -}}
    {%- elif kind == 'clock' -%}
        {{- return('The row of priority ' ~ cs_analytics.shown_value(problem['value_1']) ~ ' of '
            ~ cs_analytics.seed_file('sla_targets') ~ ' has the clock '
            ~ cs_analytics.shown_value(problem['value_2'])
            ~ ', which is neither calendar nor business: write one of them' ~ again) -}}
    {%- else -%}
        {{- return('The row of priority ' ~ cs_analytics.shown_value(problem['value_1']) ~ ' of '
            ~ cs_analytics.seed_file('sla_targets') ~ ' uses the business clock, but '
            ~ hours_file ~ ' has no rows: add your team\'s hours to it, or set that clock to calendar,'
            ~ again) -}}
    {%- endif -%}
{%- endmacro %}

{% macro business_calendar_problems(business_hours, holidays, sla_targets) -%}
    {#- Every wrong row of the three seeds, the first to report first: a
        row's own values before the relations between rows (a time that
        does not read is reported, not an overlap it would cause), and
        within a kind in the order of the values. -#}
with hours as (
    select
        weekday,
        opens_at,
        closes_at,
        {{ cs_analytics.parse_weekday(cs_analytics.clean_text('weekday')) }} as weekday_number,
        {{ cs_analytics.parse_clock_time(cs_analytics.clean_text('opens_at')) }} as opening_minute,
        {{ cs_analytics.parse_clock_time(cs_analytics.clean_text('closes_at')) }} as closing_minute
    from {{ business_hours }}
),

ranked_hours as (
    select
        *,
        row_number() over (order by weekday, opens_at, closes_at) as row_rank
    from hours
    where weekday_number is not null
        and opening_minute < closing_minute
),

clocks as (
    select
        priority,
        clock,
        lower({{ cs_analytics.clean_text('clock') }}) as clock_name
    from {{ sla_targets }}
),

problems as (
    select 1 as problem_order, 'weekday' as problem, weekday as value_1, opens_at as value_2,
        closes_at as value_3, cast(null as {{ dbt.type_string() }}) as other_1,
        cast(null as {{ dbt.type_string() }}) as other_2,
        cast(null as {{ dbt.type_string() }}) as other_3
    from hours
    where weekday_number is null
    union all
    select 2, 'time', weekday, opens_at, closes_at, null, null, null
    from hours
    where weekday_number is not null
        and (opening_minute is null or closing_minute is null)
    union all
    select 3, 'order', weekday, opens_at, closes_at, null, null, null
    from hours
    where weekday_number is not null
        and opening_minute >= closing_minute
    union all
    select
        4, 'overlap', earlier.weekday, earlier.opens_at, earlier.closes_at,
        later.weekday, later.opens_at, later.closes_at
    from ranked_hours as earlier
    inner join ranked_hours as later
        on earlier.weekday_number = later.weekday_number
        and earlier.row_rank < later.row_rank
        and earlier.opening_minute < later.closing_minute
        and later.opening_minute < earlier.closing_minute
    union all
    select 5, 'holiday_date', holiday_date, name, null, null, null, null
    from {{ holidays }}
    where {{ cs_analytics.parse_iso_date(cs_analytics.clean_text('holiday_date')) }} is null
    union all
    select 6, 'clock', priority, clock, null, null, null, null
    from clocks
    where clock_name is null or clock_name not in ('calendar', 'business')
    union all
    select 7, 'business_without_hours', priority, clock, null, null, null, null
    from clocks
    where clock_name = 'business'
        and not exists (select 1 from hours)
)

select *
from problems
order by problem_order, value_1, value_2, value_3, other_1, other_2, other_3
{%- endmacro %}

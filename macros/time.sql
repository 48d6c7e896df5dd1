{#- Time helpers. Days are exactly 24 hours; durations are exact and
    fractional (contract section 5), never boundary counts. -#}

{% macro microseconds_between(start_at, end_at) -%}
    {{- adapter.dispatch('microseconds_between', 'cs_analytics')(start_at, end_at) -}}
{%- endmacro %}

{% macro default__microseconds_between(start_at, end_at) -%}
    (unix_micros({{ end_at }}) - unix_micros({{ start_at }}))
{%- endmacro %}

{% macro duckdb__microseconds_between(start_at, end_at) -%}
    (epoch_us({{ end_at }}) - epoch_us({{ start_at }}))
{%- endmacro %}

{% macro timestamp_add(datepart, interval, from_timestamp) -%}
    {#- dbt.dateadd, exact to the microsecond: dbt-spark's dateadd goes
        through whole Unix seconds and drops fractional seconds. -#}
    {{- adapter.dispatch('timestamp_add', 'cs_analytics')(datepart, interval, from_timestamp) -}}
{%- endmacro %}

{% macro default__timestamp_add(datepart, interval, from_timestamp) -%}
    {{- dbt.dateadd(datepart, interval, from_timestamp) -}}
{%- endmacro %}

{% macro spark__timestamp_add(datepart, interval, from_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_timestamp }})
{%- endmacro %}

{% macro microseconds_in(unit) -%}
    {#- Exact durations (contract section 5): a minute is 60 s, an hour
        3 600 s, a day 86 400 s. -#}
    {{- {'second': 1000000, 'minute': 60000000, 'hour': 3600000000, 'day': 86400000000}[unit] -}}
{%- endmacro %}

{% macro duration_in(microseconds, unit) -%}
    {#- A duration in microseconds as a fractional number of `unit`s, a
        double. -#}
    {{- adapter.dispatch('duration_in', 'cs_analytics')(microseconds, unit) -}}
{%- endmacro %}

{% macro default__duration_in(microseconds, unit) -%}
    {#- `60000000.0` is a decimal literal on Spark, and bigint / decimal a
        decimal there. -#}
    (cast({{ microseconds }} as double) / {{ cs_analytics.microseconds_in(unit) }})
{%- endmacro %}

{% macro duckdb__duration_in(microseconds, unit) -%}
    ({{ microseconds }} / {{ cs_analytics.microseconds_in(unit) }}.0)
{%- endmacro %}

{% macro as_of_date_literal() -%}
    {#- The var as_of_date as a timestamp literal, or none. -#}
    {%- set value = var('as_of_date') -%}
    {%- if value is none or (value | string | trim) in ['', 'None', 'null'] -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return("cast('" ~ (value | string | trim) ~ "' as " ~ dbt.type_timestamp() ~ ")") -}}
{%- endmacro %}

{% macro period_grains() -%}
    {{- return(['week', 'month', 'quarter', 'year']) -}}
{%- endmacro %}

{% macro grains_relation() -%}
    {#- A four-row inline relation: one row per reporting grain. -#}
    {%- for grain in cs_analytics.period_grains() %}
    select '{{ grain }}' as period_grain
    {%- if not loop.last %} union all {% endif -%}
    {%- endfor %}
{%- endmacro %}

{% macro period_start_of(grain_column, timestamp_expression) -%}
    {#- The first day (a date) of the period of the given grain that holds the
        timestamp; weeks are ISO weeks starting on Monday. -#}
    cast(case {{ grain_column }}
        {%- for grain in cs_analytics.period_grains() %}
        when '{{ grain }}' then {{ dbt.date_trunc(grain, timestamp_expression) }}
        {%- endfor %}
    end as date)
{%- endmacro %}

{% macro percentile_linear(expression, fraction, decimal_scale=none) -%}
    {{- adapter.dispatch('percentile_linear', 'cs_analytics')(expression, fraction, decimal_scale) -}}
{%- endmacro %}

{% macro default__percentile_linear(expression, fraction, decimal_scale=none) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro duckdb__percentile_linear(expression, fraction, decimal_scale=none) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro spark__percentile_linear(expression, fraction, decimal_scale=none) -%}
    {#- Spark's percentile interpolates in double. Over a decimal (give its
        scale) DuckDB's quantile_cont interpolates in the decimal's units
        and truncates: lo + trunc((hi - lo) * d), so 1000 and 1001.3333 at
        0.75 give 1000.9999, not 1000.999975. The same here, so that a value
        compared with the threshold falls on the same side. -#}
    {%- if decimal_scale is none -%}
        percentile({{ expression }}, {{ fraction }})
    {%- else -%}
        {%- set values = 'array_sort(collect_list(' ~ expression ~ '))' -%}
        {%- set position = '(size(' ~ values ~ ') - 1) * ' ~ fraction -%}
        {%- set low = 'element_at(' ~ values ~ ', cast(floor(' ~ position ~ ') as int) + 1)' -%}
        {%- set high = 'element_at(' ~ values ~ ', cast(ceil(' ~ position ~ ') as int) + 1)' -%}
        {%- set unit = '1' ~ '0' * decimal_scale -%}
        case when count({{ expression }}) > 0 then
            {{ low }} + cast(floor(
                cast(({{ high }} - {{ low }}) * {{ unit }} as double)
                * ({{ position }} - floor({{ position }}))
            ) as decimal(38, 0)) / {{ unit }}
        end
    {%- endif -%}
{%- endmacro %}

{% macro period_step_start(grain_column, first_period_start, steps) -%}
    {#- The first day of the period `steps` periods after first_period_start. -#}
    cast(case {{ grain_column }}
        when 'week' then {{ cs_analytics.timestamp_add('day', '7 * (' ~ steps ~ ')', first_period_start) }}
        when 'month' then {{ cs_analytics.timestamp_add('month', steps, first_period_start) }}
        when 'quarter' then {{ cs_analytics.timestamp_add('month', '3 * (' ~ steps ~ ')', first_period_start) }}
        when 'year' then {{ cs_analytics.timestamp_add('month', '12 * (' ~ steps ~ ')', first_period_start) }}
    end as date)
{%- endmacro %}

{% macro sla_status(elapsed_microseconds, target_microseconds) -%}
    {#- met: it happened within the target (equal is met); breached: it took
        longer, or it has not happened and the ticket has been open longer
        than the target at as_of; otherwise pending. Compared in whole
        microseconds, so no rounding can move a boundary. -#}
    case
        when {{ elapsed_microseconds }} is not null then
            case
                when {{ elapsed_microseconds }} <= {{ target_microseconds }} then 'met'
                else 'breached'
            end
        when open_microseconds > {{ target_microseconds }} then 'breached'
        else 'pending'
    end
{%- endmacro %}


{% macro as_of_at() -%}
    {#- The one way a model reaches as_of, which int_reporting_window
        computes. When that model is built (every model using as_of runs
        after it), its value is inlined as a literal: an inequality join or
        a scalar subquery makes DuckDB estimate a few dozen rows for
        millions and build hash tables on the wrong side. Under a unit test
        (its mocked int_reporting_window) or before the first build, the
        subquery. -#}
    {%- set reporting_window = ref('int_reporting_window') -%}
    {%- set is_unit_test = model.resource_type == 'unit_test' -%}
    {%- if execute and not is_unit_test and load_relation(reporting_window) is not none -%}
        {%- set value = run_query(
            'select cast(as_of_at as ' ~ dbt.type_string() ~ ') from ' ~ reporting_window
        ).columns[0].values()[0] -%}
        {%- if value is none -%}
            cast(null as {{ dbt.type_timestamp() }})
        {%- else -%}
            cast('{{ value }}' as {{ dbt.type_timestamp() }})
        {%- endif -%}
    {%- else -%}
        (select as_of_at from {{ reporting_window }})
    {%- endif -%}
{%- endmacro %}

{% macro join_to_periods(measures, counts, values=[]) -%}
    {#- Every period of the spine (a CTE named `periods`) with the measures
        aggregated per (period_grain, period_start) in `measures`, one CTE
        name or a list of them (their measure columns must not share
        names): counts of an empty period are 0, other values (averages,
        percentiles) stay null. -#}
    {%- set relations = [measures] if measures is string else measures -%}
    {%- set columns = [] -%}
    {%- for column in counts -%}
        {%- do columns.append('coalesce(' ~ column ~ ', 0) as ' ~ column) -%}
    {%- endfor -%}
    {%- do columns.extend(values) %}
    select
        periods.period_grain,
        periods.period_index,
        periods.period_start,
        periods.period_end,
        periods.is_complete,
        {{ columns | join(',\n        ') }}
    from periods
    {%- for relation in relations %}
    left join {{ relation }}
        on periods.period_grain = {{ relation }}.period_grain
        and periods.period_start = {{ relation }}.period_start
    {%- endfor %}
{%- endmacro %}

{% macro period_start_columns(timestamp_expression, prefix='') -%}
    {#- One column per grain, `<prefix><grain>_start`: the first day of the
        period of that grain holding the timestamp. -#}
    {%- for grain in cs_analytics.period_grains() %}
    cast({{ dbt.date_trunc(grain, timestamp_expression) }} as date)
        as {{ prefix }}{{ grain }}_start
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{% macro period_grouping_sets(columns=[]) -%}
    {#- One grouping set per grain over the period_start_columns (and the
        `columns` every set also groups by): a single pass aggregates every
        grain, where a cross join with the grains would copy every row four
        times. -#}
    grouping sets (
        {%- for grain in cs_analytics.period_grains() %}
        ({{ ([grain ~ '_start'] + columns) | join(', ') }})
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{% macro per_grain(expression) -%}
    {#- In a query grouped by period_grouping_sets: the expression of the
        row's grain, `expression` with `{grain}` replaced by the grain's
        name. With no `{grain}` it gives the grain's name itself (as
        period_grain) or, with `{grain}_start`, the period's first day. -#}
    case
        {%- for grain in cs_analytics.period_grains() %}
        when grouping({{ grain }}_start) = 0
            then {{ expression | replace('{grain}', grain) }}
        {%- endfor %}
    end
{%- endmacro %}

{% macro percentile_of_ranked(value, value_index, value_count, fraction) -%}
    {#- The linear percentile (quantile_cont's, contract 3.4) in a query
        grouped by the partition `value_index` (0-based, nulls last) and
        `value_count` (the non-null values) were ranked over: the values at
        floor and ceil of (n - 1) * fraction, interpolated. It needs a sort,
        which spills to disk, where a percentile aggregate holds every value
        of every group in memory at once. -#}
    {%- set position = '((' ~ value_count ~ ' - 1) * cast(' ~ fraction ~ ' as double))' -%}
    {%- set share = 'max(' ~ position ~ ' - floor(' ~ position ~ '))' -%}
    {%- set at = 'max(case when ' ~ value_index ~ ' = {i}(' ~ position ~ ') then ' ~ value ~ ' end)' -%}
    ({{ at | replace('{i}', 'floor') }} * (1 - {{ share }})
        + {{ at | replace('{i}', 'ceil') }} * {{ share }})
{%- endmacro %}

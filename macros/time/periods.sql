{#- The reporting periods (contract section 2): grains, period starts, and
    the aggregation of events into every period of every grain. -#}

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

{% macro period_step_start(grain_column, first_period_start, steps) -%}
    {#- The first day of the period `steps` periods after first_period_start. -#}
    cast(case {{ grain_column }}
        when 'week' then {{ cs_analytics.timestamp_add('day', '7 * (' ~ steps ~ ')', first_period_start) }}
        when 'month' then {{ cs_analytics.timestamp_add('month', steps, first_period_start) }}
        when 'quarter' then {{ cs_analytics.timestamp_add('month', '3 * (' ~ steps ~ ')', first_period_start) }}
        when 'year' then {{ cs_analytics.timestamp_add('month', '12 * (' ~ steps ~ ')', first_period_start) }}
    end as date)
{%- endmacro %}

{% macro join_to_periods(measures, counts, values=[], key='period_start') -%}
    {#- Every period of the spine (a CTE named `periods`) with the measures
        aggregated per (period_grain, `key`) in `measures`, one CTE name or
        a list of them (their measure columns must not share names); `key`
        is period_start or period_index: counts of an empty period are 0,
        other values (averages, percentiles) stay null. -#}
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
        and periods.{{ key }} = {{ relation }}.{{ key }}
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

{% macro period_indexes_of_days(days, day_column) -%}
    {#- Every row of `days` (a relation with a date column `day_column`)
        with, for each grain, the period_index of the period of the spine (a
        CTE named `periods`) holding that day, `<grain>_index` (null when
        the spine has none): one equality join per grain, which of_grain
        then picks from by a row's grain. -#}
    select
        {{ days }}.{{ day_column }},
        {%- for grain in cs_analytics.period_grains() %}
        {{ grain }}_periods.period_index as {{ grain }}_index
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ days }}
    {%- for grain in cs_analytics.period_grains() %}
    left join periods as {{ grain }}_periods
        on {{ grain }}_periods.period_grain = '{{ grain }}'
        and {{ grain }}_periods.period_start
        = {{ cs_analytics.period_start_of(
            "'" ~ grain ~ "'", days ~ '.' ~ day_column
        ) }}
    {%- endfor %}
{%- endmacro %}

{% macro of_grain(grain_column, expression) -%}
    {#- The expression of the row's grain: `expression` with `{grain}`
        replaced by the name of the grain in `grain_column`. -#}
    case {{ grain_column }}
        {%- for grain in cs_analytics.period_grains() %}
        when '{{ grain }}' then {{ expression | replace('{grain}', grain) }}
        {%- endfor %}
    end
{%- endmacro %}

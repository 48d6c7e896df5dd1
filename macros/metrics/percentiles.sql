{#- Linear-interpolation percentiles (contract section 2). -#}

{% macro percentile_linear(expression, fraction, decimal_scale) -%}
    {#- The linear-interpolation percentile of a decimal column with
        `decimal_scale` digits after the point (the VIP threshold of
        lifetime revenue): interpolated in the decimal's units and
        truncated, as DuckDB does, so 1000 and 1001.3333 at 0.75 give
        1000.9999, not 1000.999975. -#}
    {{- adapter.dispatch('percentile_linear', 'cs_analytics')(expression, fraction, decimal_scale) -}}
{%- endmacro %}

{% macro default__percentile_linear(expression, fraction, decimal_scale) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__percentile_linear(expression, fraction, decimal_scale) -%}
    {#- Spark's percentile interpolates in double: interpolate in the
        decimal's units and truncate instead, so that a value compared with
        the threshold falls on the same side as on DuckDB. -#}
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

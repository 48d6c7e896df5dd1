{% macro safe_divide(numerator, denominator) -%}
    {#- A rate or an average: null, never 0 and never an error, when the
        denominator is zero. The contracts say double. -#}
    {{- adapter.dispatch('safe_divide', 'cs_analytics')(numerator, denominator) -}}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    {#- Spark divides decimals as decimals (revenue / orders would be a
        decimal rounded to 6 places): the numerator becomes a double first,
        as DuckDB does itself. -#}
    cast({{ numerator }} as double) / nullif({{ denominator }}, 0)
{%- endmacro %}

{% macro duckdb__safe_divide(numerator, denominator) -%}
    {#- Count / count and decimal / anything are doubles in DuckDB. -#}
    ({{ numerator }}) / nullif({{ denominator }}, 0)
{%- endmacro %}

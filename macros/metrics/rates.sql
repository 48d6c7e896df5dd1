{% macro safe_divide(numerator, denominator) -%}
    {#- A rate or an average: null, never 0 and never an error, when the
        denominator is zero. The contracts say double. -#}
    {{- adapter.dispatch('safe_divide', 'cs_analytics')(numerator, denominator) -}}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    {#- The numerator becomes a double first: Spark divides decimals as
        decimals (revenue / orders would be a decimal rounded to 6 places);
        DuckDB divides in double anyway. -#}
    cast({{ numerator }} as double) / nullif({{ denominator }}, 0)
{%- endmacro %}


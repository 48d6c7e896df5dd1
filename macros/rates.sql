{% macro safe_divide(numerator, denominator) -%}
    {#- A rate or an average: null, never 0 and never an error, when the
        denominator is zero. Count / count is a double in DuckDB and Spark. -#}
    ({{ numerator }}) / nullif({{ denominator }}, 0)
{%- endmacro %}

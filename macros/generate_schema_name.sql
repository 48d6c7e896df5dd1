{#- Schemas are exactly the folder names (staging, intermediate, marts, audit):
    BI tools and the contract address `marts.<table>`, never a
    target-prefixed schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

{% macro staged_tables() -%}
    {#- The base view and the validating staging model of each raw table,
        for the audit models. A static list: dbt needs every ref() when it
        parses, before the sources' meta can be read. -#}
    {{- return([
        {'source_table': 'customers', 'model': 'stg_crm__customer_rows', 'base': 'base_crm__customers'},
        {'source_table': 'orders', 'model': 'stg_shop__order_rows', 'base': 'base_shop__orders'},
        {'source_table': 'tickets', 'model': 'stg_helpdesk__ticket_rows', 'base': 'base_helpdesk__tickets'},
        {'source_table': 'survey_responses', 'model': 'stg_survey__survey_response_rows', 'base': 'base_survey__survey_responses'},
        {'source_table': 'agents', 'model': 'stg_helpdesk__agent_rows', 'base': 'base_helpdesk__agents'},
    ]) -}}
{%- endmacro %}

{% macro union_of_staged_tables() -%}
    {#- The union of one CTE per raw table, each named after its table. -#}
    {%- for table in cs_analytics.staged_tables() %}
    select * from {{ table.source_table }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

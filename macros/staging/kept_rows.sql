{% macro kept_rows(rows_model, source_table) -%}
    {#- The valid, de-duplicated rows of a `_rows` staging model (its
        rejection_reason is null), with every column of that model except
        the quarantine's own (rejection_reason, source_row_number) and the
        raw table's personal columns (`personal: true` in
        _raw__sources.yml). The list is read from the built `_rows` model,
        so it is written once, there. -#}
    {%- set relation = ref(rows_model) -%}
    {%- set hidden = ['rejection_reason', 'source_row_number'] -%}
    {%- if execute -%}
        {%- for column in cs_analytics.raw_tables()[source_table].columns
            if column.personal -%}
            {%- do hidden.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- if execute and load_relation(relation) is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation)
            if column.name | lower not in hidden -%}
            {%- do columns.append(column.name) -%}
        {%- endfor -%}
    {%- endif %}
    select {{ columns | join(', ') if columns else '*' }}
    from {{ relation }}
    where rejection_reason is null
{%- endmacro %}

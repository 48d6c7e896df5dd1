{#- as_of, the instant up to which data is considered (contract section 2). -#}

{% macro as_of_date_literal() -%}
    {#- The var as_of_date as a timestamp literal, or none. -#}
    {%- set value = var('as_of_date') -%}
    {%- if value is none or (value | string | trim) in ['', 'None', 'null'] -%}
        {{- return(none) -}}
    {%- endif -%}
    {{- return("cast('" ~ (value | string | trim) ~ "' as " ~ dbt.type_timestamp() ~ ")") -}}
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

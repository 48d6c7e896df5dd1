{#- Generic data tests of the project (no dbt packages can be installed). -#}

{% test expression_is_true(model, expression, where=none) %}
    {#- Fails on every row where the expression is not true (null counts as
        a failure unless the expression handles it). -#}
    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)
    {%- if where %} and ({{ where }}){% endif %}
{% endtest %}

{% test between(model, column_name, min_value=none, max_value=none) %}
    {#- Non-null values lie in [min_value, max_value]; null is allowed (a rate
        over nothing is null). -#}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
      and (
        false
        {%- if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
        {%- if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
      )
{% endtest %}

{% test unique_combination(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{% test no_personal_data_columns(model, allowed=[]) %}
    {#- Names, emails and phones never reach the marts; `allowed` lists the
        columns the contract itself publishes (agent_name). -#}
    select column_name
    from ({{ adapter.dispatch('relation_column_names', 'cs_analytics')(model) }}) as columns
    where (
        lower(column_name) like '%name%'
        or lower(column_name) like '%email%'
        or lower(column_name) like '%phone%'
    )
      {%- for column in allowed %}
      and lower(column_name) <> '{{ column | lower }}'
      {%- endfor %}
{% endtest %}

{% macro default__relation_column_names(relation) -%}
    {#- One row per column of the relation (column_name), from the
        adapter's own description of it (Spark has no
        information_schema). -#}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do names.append("select '" ~ column.name ~ "' as column_name") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not names -%}
        {%- do names.append("select 'none' as column_name where 1 = 0") -%}
    {%- endif -%}
    {{ names | join(' union all ') }}
{%- endmacro %}


{% macro spark__test_relationships(model, column_name, to, field) %}
    {#- dbt's relationships test, with the parent's values made distinct:
        two tests point at a column that is not a key (agent_id of
        fct_tickets), and Spark, unlike DuckDB, does not turn the left join
        and `is null` into an anti-join, so every child row met every
        parent row of its agent (hundreds of millions of rows at scale M).
        DuckDB and other adapters keep dbt's own test. -#}
    with child as (
        select {{ column_name }} as from_field
        from {{ model }}
        where {{ column_name }} is not null
    ),

    parent as (
        select distinct {{ field }} as to_field
        from {{ to }}
    )

    select child.from_field
    from child
    left anti join parent
        on child.from_field = parent.to_field
{% endmacro %}

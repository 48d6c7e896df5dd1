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
    from information_schema.columns
    where lower(table_schema) = lower('{{ model.schema }}')
      and lower(table_name) = lower('{{ model.identifier }}')
      and (
        lower(column_name) like '%name%'
        or lower(column_name) like '%email%'
        or lower(column_name) like '%phone%'
      )
      {%- for column in allowed %}
      and lower(column_name) <> '{{ column | lower }}'
      {%- endfor %}
{% endtest %}

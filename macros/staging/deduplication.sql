{% macro rejection_reason_with_duplicates(key_column, invalid_reason='invalid_reason') -%}
    {#- The row's final reason: its own rejection reason, else
        'duplicate_key' when another valid row of the same key wins. Only
        valid rows compete; the latest updated_at wins (null is older than
        any value), and on a tie the row further down the file. -#}
    case
        when {{ invalid_reason }} is not null then {{ invalid_reason }}
        when row_number() over (
            partition by case when {{ invalid_reason }} is null then {{ key_column }} end
            order by updated_at desc nulls last, source_row_number desc
        ) > 1 then 'duplicate_key'
    end
{%- endmacro %}

{% macro invalid_timestamp_condition(required=[], optional=[]) -%}
    {#- True when a required timestamp is null or unparseable, or an optional
        one is present but unparseable (each `<name>` is parsed from
        `<name>_text`). -#}
    (
        false
        {%- for column in required %}
        or {{ column }} is null
        {%- endfor %}
        {%- for column in optional %}
        or ({{ column }}_text is not null and {{ column }} is null)
        {%- endfor %}
    )
{%- endmacro %}

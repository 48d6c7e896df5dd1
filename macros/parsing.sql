{#- Typing raw text (contract sections 1 and 5). Every helper returns null
    for a value it cannot read, so staging turns bad values into a rejection
    reason instead of failing the build. -#}

{% macro clean_text(column) -%}
    {#- Trimmed; empty or whitespace-only is null. -#}
    nullif({{ cs_analytics.trim_whitespace(column) }}, '')
{%- endmacro %}

{% macro trim_whitespace(column) -%}
    {{- adapter.dispatch('trim_whitespace', 'cs_analytics')(column) -}}
{%- endmacro %}

{% macro default__trim_whitespace(column) -%}
    trim({{ column }})
{%- endmacro %}

{% macro duckdb__trim_whitespace(column) -%}
    {#- Plain trim() strips spaces only; tabs and line breaks are rare, so
        they take the slower path. -#}
    case
        when regexp_matches({{ column }}, '[\t\n\r]')
            then trim({{ column }}, E' \t\n\r')
        else trim({{ column }})
    end
{%- endmacro %}

{% macro regex_full_match(column, pattern) -%}
    {{- adapter.dispatch('regex_full_match', 'cs_analytics')(column, pattern) -}}
{%- endmacro %}

{% macro default__regex_full_match(column, pattern) -%}
    regexp_like({{ column }}, '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro duckdb__regex_full_match(column, pattern) -%}
    regexp_full_match({{ column }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_full_match(column, pattern) -%}
    ({{ column }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro try_cast(expression, data_type) -%}
    {{- adapter.dispatch('try_cast', 'cs_analytics')(expression, data_type) -}}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro integer_pattern() -%}[+-]?[0-9]+{%- endmacro %}

{% macro amount_pattern() -%}
    [+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?
{%- endmacro %}

{% macro parse_integer(column) -%}
    {#- Plain integers only: '4.5', '2.0', '1e3' are not integers (a cast
        would round '4.5' to 5). -#}
    case
        when {{ cs_analytics.regex_full_match(column, cs_analytics.integer_pattern()) }}
            then {{ cs_analytics.try_cast(column, dbt.type_bigint()) }}
    end
{%- endmacro %}

{% macro amount_type() -%}decimal(18, 4){%- endmacro %}

{% macro parse_amount(column) -%}
    {#- Plain decimal notation; separators, currency signs, NaN, inf are not
        amounts. -#}
    case
        when {{ cs_analytics.regex_full_match(column, cs_analytics.amount_pattern() | trim) }}
            then {{ cs_analytics.try_cast(column, cs_analytics.amount_type()) }}
    end
{%- endmacro %}

{% macro timestamp_pattern() -%}
    {#- YYYY-MM-DD, optional [ T]HH:MM[:SS[.ffffff]], optional offset
        Z, +HH:MM, -HH:MM, +HHMM, +HH. -#}
    [0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?
{%- endmacro %}

{% macro parse_timestamp(column) -%}
    {#- A timestamp in the reporting time zone, or null when the text is not
        one (contract section 5). Offsets are converted; a value without one
        is already local. -#}
    {{- adapter.dispatch('parse_timestamp', 'cs_analytics')(column) -}}
{%- endmacro %}

{% macro duckdb__parse_timestamp(column) -%}
    {#- The grammar is checked by the regex; DuckDB's own casts then do the
        work (they accept hour 24, hence the regex first). A timestamptz cast
        converts every offset form of the contract except one directly after
        a bare date, which falls back to the portable arithmetic. -#}
    case
        when not {{ cs_analytics.regex_full_match(column, cs_analytics.timestamp_pattern() | trim) }}
            then null
        when length({{ column }}) > 10 and regexp_matches({{ column }}, '[Z+-][0-9:]*$')
            then coalesce(
                timezone('{{ var("reporting_timezone") }}', try_cast({{ column }} as timestamptz)),
                {{ cs_analytics.default__parse_timestamp(column) }}
            )
        else try_cast({{ column }} as {{ dbt.type_timestamp() }})
    end
{%- endmacro %}

{% macro default__parse_timestamp(column) -%}
    {%- set local_part -%}
        regexp_extract({{ column }}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?', 0)
    {%- endset -%}
    {%- set offset_part -%}
        substr({{ column }}, length({{ local_part }}) + 1)
    {%- endset -%}
    {%- set local_timestamp -%}
        {{ cs_analytics.try_cast("replace(" ~ local_part ~ ", 'T', ' ')", dbt.type_timestamp()) }}
    {%- endset -%}
    {%- set offset_minutes -%}
        case when substr({{ offset_part }}, 1, 1) = '-' then -1 else 1 end
        * (
            cast(substr({{ offset_part }}, 2, 2) as {{ dbt.type_int() }}) * 60
            + coalesce(cast(nullif(replace(substr({{ offset_part }}, 4), ':', ''), '') as {{ dbt.type_int() }}), 0)
        )
    {%- endset -%}
    case
        when not {{ cs_analytics.regex_full_match(column, cs_analytics.timestamp_pattern() | trim) }}
            then null
        when {{ offset_part }} = ''
            then {{ local_timestamp }}
        when {{ offset_part }} = 'Z'
            then {{ cs_analytics.utc_to_reporting_timezone(local_timestamp) }}
        else {{ cs_analytics.utc_to_reporting_timezone(
            dbt.dateadd('minute', '-1 * (' ~ offset_minutes ~ ')', local_timestamp)
        ) }}
    end
{%- endmacro %}

{% macro utc_to_reporting_timezone(utc_timestamp) -%}
    {{- adapter.dispatch('utc_to_reporting_timezone', 'cs_analytics')(utc_timestamp) -}}
{%- endmacro %}

{% macro default__utc_to_reporting_timezone(utc_timestamp) -%}
    from_utc_timestamp({{ utc_timestamp }}, '{{ var("reporting_timezone") }}')
{%- endmacro %}

{% macro duckdb__utc_to_reporting_timezone(utc_timestamp) -%}
    timezone('{{ var("reporting_timezone") }}', timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}

{% macro revenue_type() -%}
    {#- Sums of amounts: wide enough for 10 million orders. -#}
    decimal(38, 4)
{%- endmacro %}

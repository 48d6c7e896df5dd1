{#- Typing raw text (contract sections 1 and 5). Every helper returns null
    for a value it cannot read, so staging turns bad values into a rejection
    reason instead of failing the build. -#}

{% macro clean_text(column) -%}
    {#- Trimmed; empty or whitespace-only is null. -#}
    nullif({{ cs_analytics.trim_whitespace(column) }}, '')
{%- endmacro %}

{% macro whitespace_characters() -%}
    {#- What is trimmed from every raw value: the characters Python's
        str.strip() removes (spaces, tabs, line breaks, no-break and other
        Unicode spaces). The DuckDB reader trims blank lines with the same
        characters (cs_analytics/raw/reader.py renders this macro). -#}
    {{- return(' \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000') -}}
{%- endmacro %}

{% macro trim_whitespace(column) -%}
    {{- adapter.dispatch('trim_whitespace', 'cs_analytics')(column) -}}
{%- endmacro %}

{% macro default__trim_whitespace(column) -%}
    {#- trim() strips spaces only: the other whitespace characters are
        stripped by regular expressions at both ends. -#}
    {%- set characters = cs_analytics.whitespace_characters() -%}
    regexp_replace(
        regexp_replace({{ column }}, '^[{{ characters }}]+', ''),
        '[{{ characters }}]+$', ''
    )
{%- endmacro %}

{% macro duckdb__trim_whitespace(column) -%}
    {#- trim() with a set of characters is several times slower than plain
        trim(): only a value whose first or last character is a control
        character, a space or at least U+0085 (a rare Unicode space among
        them) takes it. The characters are compared as strings (byte order
        is code point order in UTF-8): half the cost of ord() and right()
        on 10 million orders. -#}
    case
        when {{ column }} < '!' or {{ column }} >= chr(133)
            or substr({{ column }}, -1) < '!'
            or substr({{ column }}, -1) >= chr(133)
            then trim({{ column }}, '{{ cs_analytics.whitespace_characters() }}')
        else {{ column }}
    end
{%- endmacro %}

{% macro spark__trim_whitespace(column) -%}
    {#- Spark's trim() takes a set of characters and stays cheap. -#}
    trim(both '{{ cs_analytics.whitespace_characters() }}' from {{ column }})
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
    {#- Java's `$` also matches before a final line break, so that
        '123\n' would pass: `\z` is the very end. The SQL literal's `\\`
        is one backslash (Spark processes escapes in string literals). -#}
    ({{ column }} rlike '^(?:{{ pattern }})\\z')
{%- endmacro %}

{% macro try_cast(expression, data_type) -%}
    {{- adapter.dispatch('try_cast', 'cs_analytics')(expression, data_type) -}}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro integer_pattern() -%}[+-]?[0-9]+{%- endmacro %}

{% macro amount_pattern() -%}
    {#- Section 5: plain decimal notation. Section 6: when either separator
        var differs from its default, digits grouped in threes by the
        thousands separator (when one is set) and the decimal separator. -#}
    {%- set settings = cs_analytics.export_settings() -%}
    {%- if not settings.custom_amounts -%}
        {{- return('[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?') -}}
    {%- endif -%}
    {%- set decimal = cs_analytics.regex_literal(settings.decimal_separator) -%}
    {%- if settings.thousands_separator is none -%}
        {{- return('[+-]?[0-9]+(' ~ decimal ~ '[0-9]+)?') -}}
    {%- endif -%}
    {%- set thousands = cs_analytics.regex_literal(settings.thousands_separator) -%}
    {{- return(
        '[+-]?([0-9]{1,3}(' ~ thousands ~ '[0-9]{3})+|[0-9]+)(' ~ decimal ~ '[0-9]+)?'
    ) -}}
{%- endmacro %}

{% macro regex_literal(character) -%}
    {{- return('[.]' if character == '.' else character) -}}
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
    {#- An amount, or null when the text is not one (contract sections 5
        and 6): separators, currency signs, NaN, inf are not amounts. -#}
    {%- set settings = cs_analytics.export_settings() -%}
    {%- set plain = column -%}
    {%- if settings.thousands_separator is not none -%}
        {%- set plain = "replace(" ~ plain ~ ", '" ~ settings.thousands_separator ~ "', '')" -%}
    {%- endif -%}
    {%- if settings.decimal_separator != '.' -%}
        {%- set plain = "replace(" ~ plain ~ ", '" ~ settings.decimal_separator ~ "', '.')" -%}
    {%- endif -%}
    case
        when {{ cs_analytics.regex_full_match(column, cs_analytics.amount_pattern()) }}
            then {{ cs_analytics.try_cast(plain, cs_analytics.amount_type()) }}
    end
{%- endmacro %}

{% macro timestamp_pattern() -%}
    {#- YYYY-MM-DD, optional [ T]HH:MM[:SS[.ffffff]], optional offset
        Z, +HH:MM, -HH:MM, +HHMM, +HH. -#}
    [0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?
{%- endmacro %}

{% macro parse_timestamp(column) -%}
    {#- A timestamp in the reporting time zone, or null when the text is not
        one: ISO 8601 of section 5 first, then each format of the var
        timestamp_formats in order, the first that reads a real date and
        time (section 6). Values read by a format are local time. -#}
    {%- set formats = cs_analytics.export_settings().timestamp_formats -%}
    {%- if not formats -%}
        {{- cs_analytics.parse_iso_timestamp(column) -}}
    {%- else -%}
        coalesce(
            {{ cs_analytics.parse_iso_timestamp(column) }},
            {%- for format in formats %}
            {{ cs_analytics.parse_formatted_timestamp(column, format) }}
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}

{% macro parse_formatted_timestamp(column, format) -%}
    {#- One compiled format (compile_timestamp_format): the fields are
        extracted by position, padded and cast, so an impossible date
        (31/02/2025) is null; hours above 23 are refused explicitly. -#}
    {%- set anchored = '^' ~ format.pattern ~ '$' -%}
    {%- set parts = {} -%}
    {%- for field in format.fields -%}
        {%- do parts.update({field: "regexp_extract(" ~ column ~ ", '" ~ anchored ~ "', " ~ loop.index ~ ")"}) -%}
    {%- endfor -%}
    {%- set hour = parts.get('H', "'00'") -%}
    case
        when {{ cs_analytics.regex_full_match(column, format.pattern) }}
            {%- if 'H' in parts %}
            {#- try_cast, not cast: the guard above does not keep DuckDB
                from evaluating this on values the format does not match
                (when two formats share a pattern it computes the
                expression once, for every row), where the hour is ''. -#}
            and {{ cs_analytics.try_cast(hour, dbt.type_int()) }} <= 23
            {%- endif %}
            then {{ cs_analytics.try_cast(
                parts.Y ~ " || '-' || lpad(" ~ parts.m ~ ", 2, '0') || '-' || lpad("
                ~ parts.d ~ ", 2, '0') || ' ' || lpad(" ~ hour ~ ", 2, '0') || ':' || "
                ~ parts.get('M', "'00'") ~ " || ':' || " ~ parts.get('S', "'00'"),
                dbt.type_timestamp()
            ) }}
    end
{%- endmacro %}

{% macro parse_iso_timestamp(column) -%}
    {#- ISO 8601 of section 5. Offsets are converted; a value without one
        is already local. -#}
    {{- adapter.dispatch('parse_iso_timestamp', 'cs_analytics')(column) -}}
{%- endmacro %}

{% macro duckdb__parse_iso_timestamp(column) -%}
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
                {{ cs_analytics.default__parse_iso_timestamp(column) }}
            )
        else try_cast({{ column }} as {{ dbt.type_timestamp() }})
    end
{%- endmacro %}

{% macro default__parse_iso_timestamp(column) -%}
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
            cs_analytics.timestamp_add('minute', '-1 * (' ~ offset_minutes ~ ')', local_timestamp)
        ) }}
    end
{%- endmacro %}

{% macro utc_to_reporting_timezone(utc_timestamp) -%}
    {{- adapter.dispatch('utc_to_reporting_timezone', 'cs_analytics')(utc_timestamp) -}}
{%- endmacro %}

{% macro default__utc_to_reporting_timezone(utc_timestamp) -%}
    from_utc_timestamp({{ utc_timestamp }}, '{{ var("reporting_timezone") }}')
{%- endmacro %}

{% macro spark__utc_to_reporting_timezone(utc_timestamp) -%}
    {#- from_utc_timestamp returns a session-local TIMESTAMP; the session
        zone is UTC (profiles.yml), so the cast back keeps its wall clock. -#}
    cast(from_utc_timestamp({{ utc_timestamp }}, '{{ var("reporting_timezone") }}') as timestamp_ntz)
{%- endmacro %}

{% macro duckdb__utc_to_reporting_timezone(utc_timestamp) -%}
    timezone('{{ var("reporting_timezone") }}', timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}

{% macro revenue_type() -%}
    {#- Sums of amounts: wide enough for 10 million orders. -#}
    decimal(38, 4)
{%- endmacro %}

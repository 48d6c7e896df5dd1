{#- Contract section 6, adapting an export: the vars absent_tables,
    raw_column_names, timestamp_formats, amount_thousands_separator and
    amount_decimal_separator, checked once and compiled here. A wrong
    setting stops the build before anything is built, in one sentence.
    This is the only definition of those checks and sentences: the Python
    tools render these macros with jinja2 (cs_analytics/raw/macros.py), so
    they use only what that renderer provides (return, var, execute,
    exceptions.raise_compiler_error, cs_analytics.raw_tables()). -#}

{% macro export_settings() -%}
    {#- {absent_tables: [...], raw_column_names: {table: {column: header}},
        timestamp_formats: [{format, pattern, fields}], thousands_separator,
        decimal_separator, custom_amounts} -#}
    {%- set tables = cs_analytics.raw_tables() if execute else {} -%}
    {%- set table_list = tables.keys() | join(', ') -%}

    {%- set absent = var('absent_tables', []) -%}
    {%- if absent is none or absent == '' -%}
        {%- set absent = [] -%}
    {%- elif absent is string -%}
        {%- set absent = [absent] -%}
    {%- elif absent is mapping or absent is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "The var absent_tables must be a list of table names, e.g. "
            ~ "[tickets, survey_responses]."
        ) }}
    {%- endif -%}
    {%- for name in absent if tables and name not in tables -%}
        {{ exceptions.raise_compiler_error(
            "The var absent_tables names the unknown table '" ~ name
            ~ "': use " ~ table_list ~ "."
        ) }}
    {%- endfor -%}

    {%- set column_map = var('raw_column_names', {}) or {} -%}
    {%- if column_map is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "The var raw_column_names must map tables to {contract column: "
            ~ "header}, e.g. {orders: {order_id: 'Mã đơn hàng'}}."
        ) }}
    {%- endif -%}
    {%- set column_names = {} -%}
    {%- for table_name, columns in column_map.items() if tables -%}
        {%- if table_name not in tables -%}
            {{ exceptions.raise_compiler_error(
                "The var raw_column_names names the unknown table '"
                ~ table_name ~ "': use " ~ table_list ~ "."
            ) }}
        {%- endif -%}
        {%- if columns is not none and columns is not mapping -%}
            {{ exceptions.raise_compiler_error(
                "The var raw_column_names." ~ table_name ~ " must map contract "
                ~ "columns to headers, e.g. {" ~ tables[table_name].key ~ ": 'Mã'}."
            ) }}
        {%- endif -%}
        {%- set known = tables[table_name].columns | map(attribute='name') | list -%}
        {%- set headers = {} -%}
        {%- for column, header in (columns or {}).items() -%}
            {%- if column not in known -%}
                {{ exceptions.raise_compiler_error(
                    "The var raw_column_names maps the unknown column '"
                    ~ table_name ~ "." ~ column ~ "': the columns of "
                    ~ table_name ~ " are " ~ known | join(', ') ~ "."
                ) }}
            {%- endif -%}
            {%- if header is none or (header | string | trim) == '' -%}
                {{ exceptions.raise_compiler_error(
                    "The var raw_column_names maps " ~ table_name ~ "." ~ column
                    ~ " to an empty header: give the header as the file writes it."
                ) }}
            {%- endif -%}
            {%- do headers.update({column: header | string | trim}) -%}
        {%- endfor -%}
        {%- do column_names.update({table_name: headers}) -%}
    {%- endfor -%}

    {%- set formats = [] -%}
    {%- for text in (var('timestamp_formats', []) or []) -%}
        {%- do formats.append(cs_analytics.compile_timestamp_format(text | string)) -%}
    {%- endfor -%}

    {%- set thousands = var('amount_thousands_separator', none) -%}
    {%- set decimal = var('amount_decimal_separator', '.') -%}
    {%- set thousands = none if thousands is none or (thousands | string) in ['', 'None', 'null'] else thousands | string -%}
    {%- set decimal = '.' if decimal is none or (decimal | string) in ['', 'None', 'null'] else decimal | string -%}
    {%- if thousands is not none and thousands not in ['.', ',', ' '] -%}
        {{ exceptions.raise_compiler_error(
            "The var amount_thousands_separator is '" ~ thousands
            ~ "': use '.', ',' or ' ' (a space), or leave it unset."
        ) }}
    {%- endif -%}
    {%- if decimal not in ['.', ','] -%}
        {{ exceptions.raise_compiler_error(
            "The var amount_decimal_separator is '" ~ decimal
            ~ "': use '.' or ','."
        ) }}
    {%- endif -%}
    {%- if thousands == decimal -%}
        {{ exceptions.raise_compiler_error(
            "The vars amount_thousands_separator and amount_decimal_separator "
            ~ "are both '" ~ decimal ~ "': an amount needs two different "
            ~ "separators (with '.' for thousands, set the decimal separator "
            ~ "to ',')."
        ) }}
    {%- endif -%}

    {{- return({
        'absent_tables': absent | list,
        'raw_column_names': column_names,
        'timestamp_formats': formats,
        'thousands_separator': thousands,
        'decimal_separator': decimal,
        'custom_amounts': thousands is not none or decimal != '.',
    }) -}}
{%- endmacro %}

{% macro compile_timestamp_format(text) -%}
    {#- A format of section 6 as {format, pattern, fields}: a regex whose
        groups are the fields in order (Y, m, d, H, M, S). %Y is four digits;
        %m, %d and %H one or two, taking two whenever the next two characters
        are digits (no backtracking): so a one-or-two-digit field followed by
        another field or a literal digit is exactly two digits; %M and %S
        are two digits. Any other character stands for itself. -#}
    {%- set tokens = [] -%}
    {%- set state = {'escape': false} -%}
    {%- for character in text -%}
        {%- if state.escape -%}
            {%- if character not in ['Y', 'm', 'd', 'H', 'M', 'S'] -%}
                {{ exceptions.raise_compiler_error(
                    "The var timestamp_formats has '%" ~ character ~ "' in '"
                    ~ text ~ "': use only %Y, %m, %d, %H, %M and %S; every "
                    ~ "other character stands for itself."
                ) }}
            {%- endif -%}
            {%- do tokens.append({'field': character}) -%}
            {%- do state.update({'escape': false}) -%}
        {%- elif character == '%' -%}
            {%- do state.update({'escape': true}) -%}
        {%- else -%}
            {%- do tokens.append({'literal': character}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if state.escape -%}
        {{ exceptions.raise_compiler_error(
            "The var timestamp_formats has a lone '%' at the end of '" ~ text
            ~ "': use only %Y, %m, %d, %H, %M and %S."
        ) }}
    {%- endif -%}
    {%- set fields = tokens | selectattr('field', 'defined') | map(attribute='field') | list -%}
    {%- for required in ['Y', 'm', 'd'] if required not in fields -%}
        {{ exceptions.raise_compiler_error(
            "The var timestamp_formats has no %" ~ required ~ " in '" ~ text
            ~ "': a format needs %Y, %m and %d."
        ) }}
    {%- endfor -%}
    {%- if fields | length != fields | unique(case_sensitive=true) | list | length -%}
        {{ exceptions.raise_compiler_error(
            "The var timestamp_formats repeats a field in '" ~ text
            ~ "': give each of %Y, %m, %d, %H, %M and %S at most once."
        ) }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for token in tokens -%}
        {%- if token.field is defined -%}
            {%- set following = tokens[loop.index] if loop.index < tokens | length else none -%}
            {%- set digit_follows = following is not none and (
                following.field is defined or following.literal in '0123456789'
            ) -%}
            {%- if token.field == 'Y' -%}
                {%- do parts.append('([0-9]{4})') -%}
            {%- elif token.field in ['M', 'S'] or digit_follows -%}
                {%- do parts.append('([0-9]{2})') -%}
            {%- else -%}
                {%- do parts.append('([0-9]{1,2})') -%}
            {%- endif -%}
        {%- elif token.literal in '.$|?*+()[]{}^\\' -%}
            {%- do parts.append('[' ~ ('\\' if token.literal in '^]\\' else '') ~ token.literal ~ ']') -%}
        {%- else -%}
            {%- do parts.append(token.literal) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return({'format': text, 'pattern': parts | join(''), 'fields': fields}) -}}
{%- endmacro %}

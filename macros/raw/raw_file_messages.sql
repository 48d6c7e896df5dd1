{#- The sentences that refuse a raw folder or file (contract sections 1, 5
    and 6): the one definition of them. The readers written in SQL
    (spark__check_raw_folder and spark__read_raw) raise them from here, and
    the DuckDB reader, written in Python, renders this file with jinja2
    (cs_analytics/raw/macros.py): pure Jinja, no dbt context beyond
    return(). -#}

{% macro raw_file_message(case, values) -%}
    {%- set save_again = "save it again as CSV UTF-8 (in Excel: Save As > CSV UTF-8) or as an Excel workbook (.xlsx)" -%}
    {%- set templates = {
        'folder_missing': "The raw folder '{folder}' does not exist: set CS_RAW_DIR to the folder of your export.",
        'several_files': "The raw folder '{folder}' holds {files}, more than one file for the table {table}: keep exactly one of them.",
        'declared_absent': "The raw folder '{folder}' holds {file}, but the var absent_tables declares {table} absent: remove the file, or remove {table} from absent_tables.",
        'file_missing': "The raw file {table}.csv (or {table}.parquet, or {table}.xlsx) is missing from the raw folder '{folder}': add it, or point CS_RAW_DIR at the folder of your export.",
        'empty': "The raw file '{path}' is empty (0 bytes): export the table again with its header row (a header-only file is a valid empty table).",
        'utf16': "The raw file '{path}' is UTF-16 (or holds NUL bytes), not UTF-8: " ~ save_again ~ ".",
        'not_utf8': "The raw file '{path}' is not UTF-8 (line {line} holds bytes that are not): " ~ save_again ~ ".",
        'unterminated_quote': "The raw file '{path}' has a quote opened on line {line} that is never closed: close it (a quote inside a value is written twice, \"\") or export the file again.",
        'other_delimiter': "The raw file '{path}' is separated by {found_name} ({found}), not by {expected_name} ({expected}) as the var csv_delimiter says: set csv_delimiter to {found} to read it (the var applies to every CSV file of the export).",
        'not_parquet': "The raw file '{path}' cannot be read as Parquet ({reason}): export the table again, as Parquet, as CSV UTF-8 or as an Excel workbook (.xlsx).",
        'not_workbook': "The raw file '{path}' cannot be read as an Excel workbook ({reason}): open it in Excel and save it again as an Excel workbook (.xlsx), or export the table as CSV UTF-8.",
        'encrypted_workbook': "The raw file '{path}' is a workbook protected by a password, which cannot be read: save it again without the password (in Excel: File > Info > Protect Workbook > Encrypt with Password, emptied).",
        'old_xls': "The raw file '{path}' is an Excel 97-2003 workbook (.xls), which is not read: open it in Excel and save it as an Excel workbook (.xlsx), or as CSV UTF-8.",
        'workbook_not_prepared': "The raw file '{path}' is a workbook that has not been read for Spark yet (dbt-spark cannot open a workbook): run `python -m cs_analytics.raw.workbooks` with the same CS_RAW_DIR and CS_RAW_CACHE_DIR first (make run and the nightly job do), then build again.",
        'mapped_header_missing': "The raw file '{path}' has no column '{wanted}', which the var raw_column_names maps to {table}.{column}; its headers are: {headers}.",
        'relation_missing': "The raw table {relation} is missing: load the {table} export into it first.",
        'key_missing': "The raw file '{path}' has no {key} column in its first row ({shown}): its header row is missing or it is the wrong file; if the export names the column differently, map it with the var raw_column_names ({{{table}: {{{key}: '...'}}}}).",
    } -%}
    {{- templates[case].format(**values) -}}
{%- endmacro %}

{% macro name_list(names) -%}
    {#- 'a and b', 'a, b and c': the files of one table in a sentence. -#}
    {%- if names | length < 2 -%}
        {{- return(names | join('')) -}}
    {%- endif -%}
    {{- return(names[:-1] | join(', ') ~ ' and ' ~ names[-1]) -}}
{%- endmacro %}

{% macro csv_delimiters() -%}
    {#- The delimiters the var csv_delimiter may name, in the order a header
        row is tried with them: the character -> its name in a sentence and
        the var's value as a user writes it in YAML. -#}
    {{- return({
        ',': {'name': 'commas', 'value': "','"},
        ';': {'name': 'semicolons', 'value': "';'"},
        '\t': {'name': 'tabs', 'value': '"\\t"'},
        '|': {'name': 'vertical bars', 'value': "'|'"},
    }) -}}
{%- endmacro %}

{% macro other_delimiter(header_text, delimiter) -%}
    {#- The delimiter of a header row that `delimiter` does not split: the
        first of the others (csv_delimiters() order) that occurs outside
        quotes in the row's text; none when `delimiter` splits it, or when
        no other does. The DuckDB reader (cs_analytics/raw/file_checks.py)
        and the Spark reader both call this. -#}
    {%- set outside = [] -%}
    {%- set state = {'quoted': false} -%}
    {%- for character in header_text -%}
        {%- if character == '"' -%}
            {%- do state.update({'quoted': not state.quoted}) -%}
        {%- elif not state.quoted and character in cs_analytics.csv_delimiters()
            and character not in outside -%}
            {%- do outside.append(character) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if delimiter in outside -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- for candidate in cs_analytics.csv_delimiters() if candidate in outside -%}
        {{- return(candidate) -}}
    {%- endfor -%}
    {{- return(none) -}}
{%- endmacro %}

{% macro other_delimiter_message(path, found, delimiter) -%}
    {#- The refusal of a file separated by `found` instead of `delimiter`. -#}
    {%- set delimiters = cs_analytics.csv_delimiters() -%}
    {{- return(cs_analytics.raw_file_message('other_delimiter', {
        'path': path,
        'found_name': delimiters[found].name, 'found': delimiters[found].value,
        'expected_name': delimiters[delimiter].name, 'expected': delimiters[delimiter].value,
    })) -}}
{%- endmacro %}

{% macro parquet_marker_reason() -%}
    {#- Why a file is not Parquet when its first or last four bytes are not
        the marker. -#}
    it does not begin and end with the Parquet marker PAR1
{%- endmacro %}

{% macro workbook_cache_file(table_name, digest) -%}
    {#- The file of the cache folder (CS_RAW_CACHE_DIR) that holds a
        workbook's cells as text (cs_analytics/raw/workbooks.py writes it,
        the readers of both engines read it): named by the table and the
        SHA-256 of the workbook's bytes, so that a changed workbook is never
        read from an old copy; the version changes with the conversion. -#}
    {{- return(table_name ~ '-' ~ digest[:16] ~ '-v1') -}}
{%- endmacro %}

{% macro workbook_fields_column(decimal_separator) -%}
    {#- The column of the cached workbook whose number cells carry this
        decimal mark (amount_decimal_separator, contract section 6). -#}
    {{- return('fields_decimal_comma' if decimal_separator == ',' else 'fields_decimal_point') -}}
{%- endmacro %}

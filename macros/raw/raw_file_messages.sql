{#- The sentences that refuse a raw folder or file (contract sections 1, 5
    and 6): the one definition of them. The readers written in SQL
    (spark__check_raw_folder and spark__read_raw) raise them from here, and
    the DuckDB reader, written in Python, renders this file with jinja2
    (cs_analytics/raw/macros.py): pure Jinja, no dbt context beyond
    return(). -#}

{% macro raw_file_message(case, values) -%}
    {%- set save_as_csv = "save it as CSV UTF-8 with commas (in Excel: Save As > CSV UTF-8 (comma delimited))" -%}
    {%- set templates = {
        'folder_missing': "The raw folder '{folder}' does not exist: set CS_RAW_DIR to the folder of your export.",
        'both_formats': "The raw folder '{folder}' holds both {table}.csv and {table}.parquet: keep exactly one of them.",
        'declared_absent': "The raw folder '{folder}' holds {file}, but the var absent_tables declares {table} absent: remove the file, or remove {table} from absent_tables.",
        'file_missing': "The raw file {table}.csv (or {table}.parquet) is missing from the raw folder '{folder}': add it, or point CS_RAW_DIR at the folder of your export.",
        'empty': "The raw file '{path}' is empty (0 bytes): export the table again with its header row (a header-only file is a valid empty table).",
        'utf16': "The raw file '{path}' is UTF-16 (or holds NUL bytes), not UTF-8: " ~ save_as_csv ~ ".",
        'not_utf8': "The raw file '{path}' is not UTF-8 (line {line} holds bytes that are not): " ~ save_as_csv ~ ".",
        'unterminated_quote': "The raw file '{path}' has a quote opened on line {line} that is never closed: close it (a quote inside a value is written twice, \"\") or export the file again.",
        'other_delimiter': "The raw file '{path}' is separated by {name}, not commas: " ~ save_as_csv ~ ".",
        'not_parquet': "The raw file '{path}' cannot be read as Parquet ({reason}): export the table again, as Parquet or as CSV UTF-8 with commas.",
        'mapped_header_missing': "The raw file '{path}' has no column '{wanted}', which the var raw_column_names maps to {table}.{column}; its headers are: {headers}.",
        'relation_missing': "The raw table {relation} is missing: load the {table} export into it first.",
        'key_missing': "The raw file '{path}' has no {key} column in its first row ({shown}): its header row is missing or it is the wrong file; if the export names the column differently, map it with the var raw_column_names ({{{table}: {{{key}: '...'}}}}).",
    } -%}
    {{- templates[case].format(**values) -}}
{%- endmacro %}

{% macro other_delimiter_names() -%}
    {#- A header row of one field holding one of these is another
        delimiter's file. -#}
    {{- return({';': 'semicolons', '\t': 'tabs', '|': 'vertical bars'}) -}}
{%- endmacro %}

{% macro parquet_marker_reason() -%}
    {#- Why a file is not Parquet when its first or last four bytes are not
        the marker. -#}
    it does not begin and end with the Parquet marker PAR1
{%- endmacro %}

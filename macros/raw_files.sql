{#- Raw files: one folder ($CS_RAW_DIR, default the bundled demo set), one
    file per table, `<table>.csv` or `<table>.parquet`. dbt resolves a
    source() to a fixed string at compile time, so it can neither choose
    between CSV and Parquet nor say clearly that a file is missing: these
    macros do both at execution time, and `read_raw` still calls source() so
    that lineage (dbt docs, Dagster) starts at the raw files. -#}

{% macro raw_dir() -%}
    {{- return(env_var('CS_RAW_DIR', 'data/demo') | trim | replace('\\', '/') ) -}}
{%- endmacro %}

{% macro raw_tables() -%}
    {#- table name -> is the file required (section 1: agents may be absent) -#}
    {{- return({
        'customers': true,
        'orders': true,
        'tickets': true,
        'survey_responses': true,
        'agents': false,
    }) -}}
{%- endmacro %}

{% macro resolve_raw_file(table_name) -%}
    {{- return(adapter.dispatch('resolve_raw_file', 'cs_analytics')(table_name)) -}}
{%- endmacro %}

{% macro duckdb__resolve_raw_file(table_name) -%}
    {#- Returns {'path': ..., 'format': 'csv'|'parquet'}, or none for an
        optional table without a file. -#}
    {%- set folder = raw_dir().rstrip('/') -%}
    {%- set found = [] -%}
    {%- for extension in ['csv', 'parquet'] -%}
        {%- set path = folder ~ '/' ~ table_name ~ '.' ~ extension -%}
        {%- set result = run_query(
            "select count(*) from glob('" ~ path | replace("'", "''") ~ "')"
        ) -%}
        {%- if result.columns[0].values()[0] > 0 -%}
            {%- do found.append({'path': path, 'format': extension}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "The raw folder '" ~ folder ~ "' holds both " ~ table_name
            ~ ".csv and " ~ table_name ~ ".parquet: keep exactly one of them."
        ) }}
    {%- elif found | length == 0 and raw_tables()[table_name] -%}
        {{ exceptions.raise_compiler_error(
            "The raw file " ~ table_name ~ ".csv (or " ~ table_name
            ~ ".parquet) is missing from the raw folder '" ~ folder
            ~ "': add it, or point CS_RAW_DIR at the folder of your export."
        ) }}
    {%- endif -%}
    {{- return(found[0] if found else none) -}}
{%- endmacro %}

{% macro check_raw_files() -%}
    {#- on-run-start: stop the whole build before anything is built when a
        required raw file is missing. -#}
    {%- if execute and flags.WHICH in ['build', 'run', 'compile'] -%}
        {%- for table_name in raw_tables() -%}
            {%- do resolve_raw_file(table_name) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}

{% macro read_raw(table_name, columns) -%}
    {{- return(adapter.dispatch('read_raw', 'cs_analytics')(table_name, columns)) -}}
{%- endmacro %}

{% macro duckdb__read_raw(table_name, columns) -%}
    {#- A subquery with one text column per expected column (null when the
        file lacks it; extra columns are ignored), the row's position in the
        file and the original row (`raw_row`, a struct: it becomes JSON
        text only for the rows that are quarantined, see raw_record()). A CSV row with too few
        fields is padded with nulls and one with too many keeps the extras
        in raw_record, so a ragged row is validated, not a crash. -#}
    {%- set lineage = source('raw', table_name) -%}
    {%- set file = resolve_raw_file(table_name) if execute else none -%}
    {%- if file is none %}
    (
        select
            {%- for column in columns %}
            cast(null as {{ dbt.type_string() }}) as {{ column }},
            {%- endfor %}
            cast(null as {{ dbt.type_bigint() }}) as source_row_number,
            cast(null as {{ dbt.type_string() }}) as raw_row
        where 1 = 0
    )
    {%- else -%}
        {%- if file.format == 'csv' -%}
            {%- set reader -%}
                read_csv('{{ file.path | replace("'", "''") }}', header = true,
                    all_varchar = true, delim = ',', quote = '"', escape = '"',
                    strict_mode = false, null_padding = true)
            {%- endset -%}
        {%- else -%}
            {%- set reader = "read_parquet('" ~ file.path | replace("'", "''") ~ "')" -%}
        {%- endif -%}
        {%- set described = run_query('describe select * from ' ~ reader) -%}
        {%- set present = {} -%}
        {%- set types = {} -%}
        {%- for row in described.rows -%}
            {%- do present.update({row[0] | trim | lower: row[0]}) -%}
            {%- do types.update({row[0] | trim | lower: row[1] | upper}) -%}
        {%- endfor %}
    (
        select
            {%- for column in columns %}
            {%- if column in present and types[column].split('(')[0] in ['FLOAT', 'DOUBLE', 'DECIMAL', 'REAL'] %}
            {#- A typed number column (Parquet written from a float column,
                e.g. integers with nulls): whole values read as plain
                integers, so 1.0 is the count 1, as it would be in a CSV. -#}
            {%- set value = 'raw_file.' ~ adapter.quote(present[column]) %}
            coalesce(
                case when {{ value }} = trunc({{ value }})
                    then cast(try_cast({{ value }} as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
                end,
                cast({{ value }} as {{ dbt.type_string() }})
            ) as {{ column }},
            {%- elif column in present %}
            cast(raw_file.{{ adapter.quote(present[column]) }} as {{ dbt.type_string() }}) as {{ column }},
            {%- else %}
            cast(null as {{ dbt.type_string() }}) as {{ column }},
            {%- endif %}
            {%- endfor %}
            row_number() over () as source_row_number,
            raw_file as raw_row
        from {{ reader }} as raw_file
    )
    {%- endif -%}
{%- endmacro %}

{% macro staged_tables() -%}
    {#- The base view, staging model and key of each raw table, for the
        audit models. -#}
    {{- return([
        {'source_table': 'customers', 'model': 'stg_crm__customers', 'base': 'base_crm__customers', 'key': 'customer_id'},
        {'source_table': 'orders', 'model': 'stg_shop__orders', 'base': 'base_shop__orders', 'key': 'order_id'},
        {'source_table': 'tickets', 'model': 'stg_helpdesk__tickets', 'base': 'base_helpdesk__tickets', 'key': 'ticket_id'},
        {'source_table': 'survey_responses', 'model': 'stg_survey__survey_responses', 'base': 'base_survey__survey_responses', 'key': 'response_id'},
        {'source_table': 'agents', 'model': 'stg_helpdesk__agents', 'base': 'base_helpdesk__agents', 'key': 'agent_id'},
    ]) -}}
{%- endmacro %}

{% macro row_to_json(row) -%}
    {{- adapter.dispatch('row_to_json', 'cs_analytics')(row) -}}
{%- endmacro %}

{% macro default__row_to_json(row) -%}
    to_json({{ row }})
{%- endmacro %}

{% macro duckdb__row_to_json(row) -%}
    cast(to_json({{ row }}) as {{ dbt.type_string() }})
{%- endmacro %}

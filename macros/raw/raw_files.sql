{#- Raw files: one folder ($CS_RAW_DIR, default the bundled demo set), one
    file per table, `<table>.csv` or `<table>.parquet`, described once in
    models/staging/_raw__sources.yml. dbt resolves a source() to a fixed
    string at compile time, so it can neither choose between CSV and
    Parquet nor refuse an unreadable file clearly: these macros do both at
    execution time, and `read_raw` still calls source() so that lineage
    (dbt docs, Dagster) starts at the raw files. -#}

{% macro raw_dir() -%}
    {#- The default is cs_analytics/settings.py's RAW_DIR (a literal here;
        tests/test_settings.py checks that the two agree). -#}
    {{- return(env_var('CS_RAW_DIR', 'data/demo') | trim | replace('\\', '/')) -}}
{%- endmacro %}

{% macro raw_tables() -%}
    {#- Table name -> {name, key, optional_file, columns: [{name, kind,
        required, personal}]}, in the order of the sources file; read from
        the graph, so only at execution time (empty under unit tests). -#}
    {%- set tables = {} -%}
    {%- for node in (graph.get('sources') or {}).values()
        if node.source_name == 'raw' and node.package_name == project_name -%}
        {%- set meta = node.config.meta or node.meta -%}
        {%- set columns = [] -%}
        {%- for column in node.columns.values() -%}
            {%- set column_meta = column.config.meta if column.config is defined and column.config.meta else column.meta -%}
            {%- do columns.append({
                'name': column.name,
                'kind': column_meta.get('kind', 'text'),
                'required': column_meta.get('required', false),
                'personal': column_meta.get('personal', false),
            }) -%}
        {%- endfor -%}
        {%- do tables.update({node.name: {
            'name': node.name,
            'key': meta.key,
            'optional_file': meta.get('optional_file', false),
            'columns': columns,
        }}) -%}
    {%- endfor -%}
    {{- return(tables) -}}
{%- endmacro %}

{% macro check_raw_files() -%}
    {#- on-run-start: stop the whole build, before anything is built, when a
        var of section 6 is wrong or a raw file is missing or unreadable. -#}
    {%- if execute and flags.WHICH in ['build', 'run', 'compile', 'show'] -%}
        {%- do cs_analytics.export_settings() -%}
        {%- do adapter.dispatch('check_raw_folder', 'cs_analytics')() -%}
    {%- endif -%}
    select 1
{%- endmacro %}

{% macro read_raw(table_name) -%}
    {#- A subquery with one text column per contract column of the table
        (null when the file lacks it), `source_row_number` (the row's
        position in the file) and `raw_record` (the original row as JSON
        text). An absent table is an empty subquery. -#}
    {%- do source('raw', table_name) -%}
    {{- return(adapter.dispatch('read_raw', 'cs_analytics')(table_name)) -}}
{%- endmacro %}

{% macro raw_records(table_name, base_model, rows) -%}
    {#- A subquery of `source_row_number` and `raw_record` (the original row
        as JSON text) for the rows of the table's file at the positions in
        `rows`, a subquery of source_row_numbers: what the quarantine shows
        of the few rows it holds. -#}
    {{- return(adapter.dispatch('raw_records', 'cs_analytics')(table_name, base_model, rows)) -}}
{%- endmacro %}

{% macro default__raw_records(table_name, base_model, rows) -%}
    {#- The base view holds every row's raw_record. -#}
    (
        select raw_file.source_row_number, raw_file.raw_record
        from {{ ref(base_model) }} as raw_file
        where raw_file.source_row_number in {{ rows }}
    )
{%- endmacro %}

{% macro duckdb__raw_records(table_name, base_model, rows) -%}
    {#- The project's reader picks the rows first and builds the JSON of
        those rows only (the base view would build it for every row of the
        file before any join). -#}
    {%- if not execute -%}
        {{- return(cs_analytics.default__raw_records(table_name, base_model, rows)) -}}
    {%- endif -%}
    {{- return(cs_analytics.raw_plugin_call('cs_raw_records', table_name, rows)) -}}
{%- endmacro %}

{% macro raw_plugin_call(function, table_name=none, rows=none) -%}
    {#- The value of one SQL function of the project's dbt-duckdb plugin
        (cs_analytics/raw/dbt_plugin.py), called with the raw folder, the
        table when given, the section 6 vars that decide how the folder is
        read (as JSON text), and the rows when given. -#}
    {%- do cs_analytics.require_duckdb_plugin() -%}
    {%- set settings = cs_analytics.export_settings() -%}
    {%- set values = [cs_analytics.raw_dir()] -%}
    {%- if table_name is not none -%}
        {%- do values.append(table_name) -%}
    {%- endif -%}
    {%- do values.extend([tojson(settings.absent_tables), tojson(settings.raw_column_names)]) -%}
    {%- if rows is not none -%}
        {%- do values.append(rows) -%}
    {%- endif -%}
    {%- set arguments = [] -%}
    {%- for value in values -%}
        {%- do arguments.append(cs_analytics.string_literal(value)) -%}
    {%- endfor -%}
    {{- return(run_query(
        'select ' ~ function ~ '(' ~ arguments | join(', ') ~ ')'
    ).columns[0].values()[0]) -}}
{%- endmacro %}

{% macro duckdb__check_raw_folder() -%}
    {%- set problem = cs_analytics.raw_plugin_call('cs_raw_folder_problem') -%}
    {%- if problem -%}
        {{ exceptions.raise_compiler_error(problem) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__read_raw(table_name) -%}
    {%- if not execute -%}
        {{- return('(select 1)') -}}
    {%- endif -%}
    {{- return(cs_analytics.raw_plugin_call('cs_raw_reader', table_name)) -}}
{%- endmacro %}

{% macro default__check_raw_folder() -%}
    {#- An adapter without a file reader of its own reads the raw tables as
        relations loaded beforehand (source('raw', <table>), by an EL
        tool): each one the build needs must exist. -#}
    {%- set settings = cs_analytics.export_settings() -%}
    {%- for name, table in cs_analytics.raw_tables().items()
        if name not in settings.absent_tables and not table.optional_file -%}
        {%- if load_relation(source('raw', name)) is none -%}
            {{ exceptions.raise_compiler_error(cs_analytics.raw_file_message(
                'relation_missing', {'relation': source('raw', name), 'table': name})) }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{% macro default__read_raw(table_name) -%}
    {#- The relation source('raw', table) with each contract column (found
        by name, case-insensitively) as text; rows are numbered by key, as
        a loaded table has no file order, and raw_record is every column
        of the row as JSON text where the adapter has to_json. -#}
    {%- set columns = cs_analytics.raw_tables()[table_name].columns | map(attribute='name') | list -%}
    {%- set relation = load_relation(source('raw', table_name)) if execute else none -%}
    {%- set present = {} -%}
    {%- if relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.update({column.name | lower: column.name}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set selected = [] -%}
    {%- for column in columns -%}
        {%- if column in present -%}
            {%- do selected.append('cast(' ~ adapter.quote(present[column]) ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- else -%}
            {%- do selected.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if relation is none -%}
        {{- return('(select ' ~ selected | join(', ') ~ ', cast(null as ' ~ dbt.type_bigint()
            ~ ') as source_row_number, cast(null as ' ~ dbt.type_string() ~ ') as raw_record where 1 = 0)') -}}
    {%- endif -%}
    {%- set key = cs_analytics.raw_tables()[table_name].key -%}
    {{- return('(select ' ~ selected | join(', ') ~ ', cast(row_number() over (order by '
        ~ adapter.quote(present.get(key, key)) ~ ') as ' ~ dbt.type_bigint() ~ ') as source_row_number, cast(null as '
        ~ dbt.type_string() ~ ') as raw_record from ' ~ relation ~ ')') -}}
{%- endmacro %}

{% macro require_duckdb_plugin() -%}
    {#- The readers are SQL functions of the project's dbt-duckdb plugin; a
        profiles.yml copied before it existed, or before it moved to
        cs_analytics.raw.dbt_plugin (the former module registers nothing),
        lacks them. -#}
    {%- set found = run_query(
        "select count(*) from duckdb_functions() "
        ~ "where function_name = 'cs_raw_reader'"
    ).columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The DuckDB profile lacks the project's plugin (plugins: [{module: "
            ~ "cs_analytics.raw.dbt_plugin}]): copy profiles.example.yml to "
            ~ "profiles.yml again, or add the plugin to your profile."
        ) }}
    {%- endif -%}
{%- endmacro %}

{% macro string_literal(value) -%}
    {{- return("'" ~ (value | string | replace("'", "''")) ~ "'") -}}
{%- endmacro %}

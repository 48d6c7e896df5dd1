{#- The raw-file reader on Apache Spark (dbt-spark). dbt-spark cannot call
    the project's Python reader (cs_analytics/raw/, the reference)
    from SQL, so these macros do what it does with Spark's own readers, in
    the same order and with the same sentences (raw_file_message):

    - the folder is listed through a `binaryFile` table over it (a table
      over a missing folder reads as empty instead of failing);
    - a CSV file is read as lines (the `text` source, lines split at LF
      only, so a CR of a CRLF line or inside a quoted value stays), the
      lines are joined into records where a quote is still open (an odd
      number of quote characters before the line), and each record is split
      into fields by RFC 4180 (`"..."` with `""` inside, or anything without
      a comma). Spark's own CSV reader cannot be used: it reads an unquoted
      empty field as null (so a short row cannot be told from empty
      fields), and in multiLine mode it turns a quoted CRLF into LF;
    - a Parquet file is read with Spark's Parquet reader, its columns cast
      to text as cs_analytics.raw.reader._parquet_text does.

    The row number of a record is its position in the file among the
    non-blank data records: lines are numbered by monotonically_increasing_id
    (file order: one file's splits keep their order), and the numbering
    windows run over the whole file in one task (see docs/scale-out.md). -#}

{% macro spark__check_raw_folder() -%}
    {%- set listing = cs_analytics.spark_raw_listing('check') -%}
    {%- for table_name in cs_analytics.raw_tables() -%}
        {%- do cs_analytics.spark_raw_file(table_name, listing, check_bytes=true) -%}
    {%- endfor -%}
{%- endmacro %}

{% macro spark__read_raw(table_name) -%}
    {%- if not execute -%}
        {{- return('(select 1)') -}}
    {%- endif -%}
    {%- set listing = cs_analytics.spark_raw_listing(table_name) -%}
    {%- set raw_file = cs_analytics.spark_raw_file(table_name, listing, check_bytes=false) -%}
    {%- set columns = cs_analytics.raw_tables()[table_name].columns | map(attribute='name') | list -%}
    {%- if raw_file.path is none -%}
        {%- set nulls = [] -%}
        {%- for column in columns -%}
            {%- do nulls.append('cast(null as string) as ' ~ column) -%}
        {%- endfor -%}
        {{- return(
            '(select ' ~ nulls | join(', ')
            ~ ', cast(null as bigint) as source_row_number,'
            ~ ' cast(null as string) as raw_record where 1 = 0)'
        ) -}}
    {%- endif -%}
    {%- if raw_file.format == 'csv' -%}
        {{- return(cs_analytics.spark_csv_select(raw_file, columns)) -}}
    {%- endif -%}
    {{- return(cs_analytics.spark_parquet_select(raw_file, columns)) -}}
{%- endmacro %}

{% macro spark_raw_folder_display() -%}
    {#- The folder as Python's pathlib shows it in the sentences. -#}
    {%- set folder = cs_analytics.raw_dir() -%}
    {%- if folder | length > 1 -%}
        {%- set folder = folder.rstrip('/') -%}
    {%- endif -%}
    {%- if folder.startswith('./') -%}
        {%- set folder = folder[2:] -%}
    {%- endif -%}
    {{- return(folder) -}}
{%- endmacro %}

{% macro spark_raw_listing(purpose) -%}
    {#- {file name: {path, length}} of the files directly in the raw folder,
        or none when nothing is found there (a missing folder reads as an
        empty table, as does an empty one). The listing table is external:
        dropping it leaves the folder alone. -#}
    {%- set folder = cs_analytics.spark_raw_folder_display() -%}
    {%- set relation = target.schema ~ '.cs_raw_listing__' ~ purpose -%}
    {%- do run_query('create schema if not exists ' ~ target.schema) -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query(
        'create table ' ~ relation ~ " using binaryFile options (recursiveFileLookup 'true') location "
        ~ cs_analytics.string_literal(folder)
    ) -%}
    {%- set rows = run_query('select path, length from ' ~ relation).rows -%}
    {%- do run_query('drop table ' ~ relation) -%}
    {%- set suffix = folder.split('://')[-1] -%}
    {%- set files = {} -%}
    {%- for row in rows -%}
        {%- set path = row[0] | string -%}
        {%- set name = path.split('/')[-1] -%}
        {%- set parent = path[:(path | length) - (name | length) - 1] -%}
        {%- if parent.endswith('/' ~ suffix.lstrip('/')) or parent.endswith(':' ~ suffix) or parent == suffix -%}
            {%- do files.update({name: {'path': path, 'length': row[1] | int}}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(files if files else none) -}}
{%- endmacro %}

{% macro spark_empty_raw_files(folder, table_name, listing) -%}
    {#- The extensions of the table's 0-byte files, added to the listing
        with length 0. A scan never shows an empty file (it has no split), so
        the listing misses it; the file index behind a glob of the table's
        names and a file known to exist (so that the glob matches) names it
        in the plan. -#}
    {%- set anchor = (listing.keys() | list | sort)[0] -%}
    {%- set names = [table_name ~ '.csv', table_name ~ '.parquet', anchor] -%}
    {%- do run_query('set spark.sql.maxMetadataStringLength=1000000') -%}
    {%- set plan = run_query(
        'explain select path from binaryFile.'
        ~ cs_analytics.spark_path_identifier(folder ~ '/{' ~ names | join(',') ~ '}')
    ).rows[0][0] | string -%}
    {%- set found = [] -%}
    {%- for extension in ['csv', 'parquet'] if ('/' ~ table_name ~ '.' ~ extension) in plan -%}
        {%- do listing.update({table_name ~ '.' ~ extension: {
            'path': folder ~ '/' ~ table_name ~ '.' ~ extension, 'length': 0}}) -%}
        {%- do found.append(extension) -%}
    {%- endfor -%}
    {{- return(found) -}}
{%- endmacro %}

{% macro spark_raw_file(table_name, listing, check_bytes) -%}
    {#- Find, check and describe one table's file, as
        raw.files.inspect_table: {path, display, format, header, positions,
        types}; raises the sentence of the first problem. -#}
    {%- set message = cs_analytics.raw_file_message -%}
    {%- set folder = cs_analytics.spark_raw_folder_display() -%}
    {%- set settings = cs_analytics.export_settings() -%}
    {%- set table = cs_analytics.raw_tables()[table_name] -%}
    {%- if listing is none -%}
        {{ exceptions.raise_compiler_error(message('folder_missing', {'folder': folder})) }}
    {%- endif -%}
    {%- set found = [] -%}
    {%- for extension in ['csv', 'parquet'] if (table_name ~ '.' ~ extension) in listing -%}
        {%- do found.append(extension) -%}
    {%- endfor -%}
    {%- if not found -%}
        {%- set found = cs_analytics.spark_empty_raw_files(folder, table_name, listing) -%}
    {%- endif -%}
    {%- if found | length > 1 -%}
        {{ exceptions.raise_compiler_error(message('both_formats', {'folder': folder, 'table': table_name})) }}
    {%- endif -%}
    {%- set absent = {'path': none, 'format': none, 'header': [], 'positions': {}} -%}
    {%- if table_name in settings.absent_tables -%}
        {%- if found -%}
            {{ exceptions.raise_compiler_error(message('declared_absent', {
                'folder': folder, 'file': table_name ~ '.' ~ found[0], 'table': table_name})) }}
        {%- endif -%}
        {{- return(absent) -}}
    {%- endif -%}
    {%- if not found -%}
        {%- if table.optional_file -%}
            {{- return(absent) -}}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(message('file_missing', {'folder': folder, 'table': table_name})) }}
    {%- endif -%}
    {%- set file_format = found[0] -%}
    {%- set entry = listing[table_name ~ '.' ~ file_format] -%}
    {%- set display = folder ~ '/' ~ table_name ~ '.' ~ file_format -%}
    {%- set view = 'cs_raw__' ~ table_name -%}
    {%- do run_query(
        'create or replace temporary view ' ~ view ~ " using text options (path "
        ~ cs_analytics.string_literal(entry.path) ~ ", lineSep '\\n')"
    ) -%}
    {%- set raw_file = {
        'table': table_name, 'path': entry.path, 'display': display,
        'format': file_format, 'view': view, 'types': [], 'source_names': [],
    } -%}
    {%- if file_format == 'csv' -%}
        {%- if check_bytes or entry.length == 0 -%}
            {%- do cs_analytics.spark_check_csv_bytes(raw_file, entry.length) -%}
        {%- endif -%}
        {%- do raw_file.update({'header': cs_analytics.spark_csv_header(raw_file)}) -%}
    {%- else -%}
        {%- do cs_analytics.spark_check_parquet(raw_file, entry.length) -%}
        {%- set described = run_query(
            'describe query select * from parquet.' ~ cs_analytics.spark_path_identifier(entry.path)
        ) -%}
        {%- set names = [] -%}
        {%- set types = [] -%}
        {%- for row in described.rows -%}
            {%- do names.append(row[0] | string) -%}
            {%- do types.append(row[1] | string) -%}
        {%- endfor -%}
        {%- set header = [] -%}
        {%- for name in names -%}
            {%- do header.append(cs_analytics.python_strip(name)) -%}
        {%- endfor -%}
        {%- do raw_file.update({'header': header, 'source_names': names, 'types': types}) -%}
    {%- endif -%}
    {%- do raw_file.update({'positions': cs_analytics.spark_match_columns(
        table, raw_file, settings.raw_column_names.get(table_name, {}))}) -%}
    {{- return(raw_file) -}}
{%- endmacro %}

{% macro python_strip(text) -%}
    {#- str.strip(): every Unicode whitespace character at both ends. -#}
    {{- return(text.strip()) -}}
{%- endmacro %}

{% macro spark_path_identifier(path) -%}
    {{- return('`' ~ path | replace('`', '``') ~ '`') -}}
{%- endmacro %}

{% macro spark_lines(view) -%}
    {#- The file's lines (split at LF) in file order. -#}
    select value, monotonically_increasing_id() as line_id from {{ view }}
{%- endmacro %}

{% macro spark_quote_count(value) -%}
    (length({{ value }}) - length(replace({{ value }}, '"', '')))
{%- endmacro %}

{% macro spark_check_csv_bytes(raw_file, length) -%}
    {#- raw.file_checks.check_csv_bytes: 0 bytes, UTF-16 or NUL bytes at the
        start, bytes that are not UTF-8 (the line named), an odd number of
        quote characters (the line of the quote left open). -#}
    {%- set message = cs_analytics.raw_file_message -%}
    {%- if length == 0 -%}
        {{ exceptions.raise_compiler_error(message('empty', {'path': raw_file.display})) }}
    {%- endif -%}
    {%- set found = run_query(
        'with lines as (' ~ cs_analytics.spark_lines(raw_file.view) ~ ') select '
        ~ 'min(case when not is_valid_utf8(value) then line_id end), '
        ~ 'sum(' ~ cs_analytics.spark_quote_count('value') ~ ') % 2, '
        ~ 'max(case when line_id < 4096 and instr(value, chr(0)) > 0 then 1 else 0 end), '
        ~ 'max(case when line_id = 0 then hex(substr(cast(value as binary), 1, 2)) end) '
        ~ 'from lines'
    ).rows[0] -%}
    {%- if found[2] == 1 or found[3] in ['FFFE', 'FEFF'] -%}
        {{ exceptions.raise_compiler_error(message('utf16', {'path': raw_file.display})) }}
    {%- endif -%}
    {%- if found[0] is not none -%}
        {%- set line = run_query(
            'with lines as (' ~ cs_analytics.spark_lines(raw_file.view) ~ ') '
            ~ 'select count(*) from lines where line_id <= ' ~ found[0]
        ).columns[0].values()[0] -%}
        {{ exceptions.raise_compiler_error(message('not_utf8', {'path': raw_file.display, 'line': line})) }}
    {%- endif -%}
    {%- if found[1] == 1 -%}
        {%- set line = run_query(
            'with lines as (' ~ cs_analytics.spark_lines(raw_file.view) ~ '), '
            ~ 'quotes as (select line_id, ' ~ cs_analytics.spark_quote_count('value') ~ ' as quotes from lines), '
            ~ 'parity as (select quotes % 2 as odd, '
            ~ 'row_number() over (order by line_id) as line_number, '
            ~ 'sum(quotes) over (order by line_id rows between unbounded preceding and current row) % 2 as open_after '
            ~ 'from quotes) '
            ~ 'select max(line_number) from parity where odd = 1 and open_after = 1'
        ).columns[0].values()[0] -%}
        {{ exceptions.raise_compiler_error(message('unterminated_quote', {'path': raw_file.display, 'line': line})) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark_csv_records(view, header_only=false) -%}
    {#- One row per CSV record: record_id (1 = the header row) and fields,
        the record split by RFC 4180 (quotes removed, "" read as "). A line
        starts a record when the quotes before it are even; the lines of a
        record are joined with the LF they were split at, and the CR of a
        CRLF record end is dropped. A UTF-8 byte-order mark is ignored. -#}
    select
        record_id,
        transform(
            {#- Each field is matched with the comma before it (one put in
                front of the first): a pattern that can match empty at the
                start would skip the comma after an empty first field. -#}
            regexp_extract_all(
                ',' || case when record_text like '%\r'
                    then substr(record_text, 1, length(record_text) - 1)
                    else record_text
                end,
                ',("[^"]*(?:""[^"]*)*"|[^,]*)',
                1
            ),
            field -> case
                when field like '"%'
                    then replace(substr(field, 2, length(field) - 2), '""', '"')
                else field
            end
        ) as fields
    from (
        select
            record_id,
            concat_ws('\n', transform(
                array_sort(collect_list(struct(line_id, line))), entry -> entry.line
            )) as record_text
        from (
            select
                line,
                line_id,
                sum(starts_record) over (
                    order by line_id rows between unbounded preceding and current row
                ) as record_id
            from (
                select
                    line,
                    line_id,
                    case
                        when coalesce(sum(quotes) over (
                            order by line_id
                            rows between unbounded preceding and 1 preceding
                        ), 0) % 2 = 0 then 1 else 0
                    end as starts_record
                from (
                    select
                        case when line_id = 0
                            then regexp_replace(value, '^\uFEFF', '')
                            else value
                        end as line,
                        line_id,
                        {{ cs_analytics.spark_quote_count('value') }} as quotes
                    from ({{ cs_analytics.spark_lines(view) }}) as lines
                    {%- if header_only %}
                    where line_id < 1024
                    {%- endif %}
                ) as counted
            ) as marked
        ) as grouped
        {%- if header_only %}
        where record_id = 1
        {%- endif %}
        group by record_id
    ) as records
{%- endmacro %}

{% macro spark_csv_header(raw_file) -%}
    {#- The header row's names, trimmed; refuses another delimiter
        (raw.file_checks.read_csv_header). -#}
    {%- set rows = run_query(
        'select to_json(fields) from (' ~ cs_analytics.spark_csv_records(raw_file.view, header_only=true) ~ ')'
    ).rows -%}
    {%- set row = fromjson(rows[0][0]) if rows | length > 0 else [] -%}
    {%- if row | length == 1 -%}
        {%- for delimiter, name in cs_analytics.other_delimiter_names().items() if delimiter in row[0] -%}
            {{ exceptions.raise_compiler_error(cs_analytics.raw_file_message(
                'other_delimiter', {'path': raw_file.display, 'name': name})) }}
        {%- endfor -%}
    {%- endif -%}
    {%- set header = [] -%}
    {%- for name in row -%}
        {%- do header.append(cs_analytics.python_strip(name)) -%}
    {%- endfor -%}
    {{- return(header) -}}
{%- endmacro %}

{% macro spark_check_parquet(raw_file, length) -%}
    {#- A Parquet file begins and ends with PAR1 (raw.file_checks.read_parquet_header). -#}
    {%- set markers = ['', ''] -%}
    {%- if length >= 8 -%}
        {%- set markers = run_query(
            'with lines as (' ~ cs_analytics.spark_lines(raw_file.view) ~ ') select '
            ~ 'hex(substr(cast(min_by(value, line_id) as binary), 1, 4)), '
            ~ 'hex(substr(cast(max_by(value, line_id) as binary), -4, 4)) from lines'
        ).rows[0] -%}
    {%- endif -%}
    {%- if markers[0] != '50415231' or markers[1] != '50415231' -%}
        {{ exceptions.raise_compiler_error(cs_analytics.raw_file_message('not_parquet', {
            'path': raw_file.display, 'reason': cs_analytics.parquet_marker_reason() | trim})) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark_match_columns(table, raw_file, mapping) -%}
    {#- Contract column -> position in the header (raw.files.match_columns):
        a mapped header exactly, else the column's own name exactly, then
        case-insensitively; the key column must be found. -#}
    {%- set header = raw_file.header -%}
    {%- set exact = {} -%}
    {%- set folded = {} -%}
    {%- for name in header -%}
        {%- if name not in exact -%}{%- do exact.update({name: loop.index0}) -%}{%- endif -%}
        {%- if name.lower() not in folded -%}{%- do folded.update({name.lower(): loop.index0}) -%}{%- endif -%}
    {%- endfor -%}
    {%- set positions = {} -%}
    {%- for column in table.columns | map(attribute='name') -%}
        {%- if column in mapping -%}
            {%- if mapping[column] not in exact -%}
                {{ exceptions.raise_compiler_error(cs_analytics.raw_file_message('mapped_header_missing', {
                    'path': raw_file.display, 'wanted': mapping[column], 'table': table.name,
                    'column': column, 'headers': header | join(', ') or '(none)'})) }}
            {%- endif -%}
            {%- do positions.update({column: exact[mapping[column]]}) -%}
        {%- else -%}
            {%- do positions.update({column: exact.get(column, folded.get(column.lower()))}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if positions[table.key] is none -%}
        {%- set shown = header[:12] | join(', ') ~ (', ...' if header | length > 12 else '') -%}
        {{ exceptions.raise_compiler_error(cs_analytics.raw_file_message('key_missing', {
            'path': raw_file.display, 'key': table.key, 'shown': shown, 'table': table.name})) }}
    {%- endif -%}
    {{- return(positions) -}}
{%- endmacro %}

{% macro spark_raw_record(names, values, extras=none) -%}
    {#- The row as compact JSON, byte for byte what DuckDB's json_object
        writes: keys in file order, JSON null for a missing field. -#}
    {%- set pairs = [] -%}
    {%- for name in names -%}
        {%- do pairs.append(cs_analytics.string_literal(name) ~ ', ' ~ values[loop.index0]) -%}
    {%- endfor -%}
    {%- if extras is not none -%}
        {%- do pairs.append("'_extra_fields', " ~ extras) -%}
    {%- endif -%}
    to_json(named_struct({{ pairs | join(', ') }}), map('ignoreNullFields', 'false'))
{%- endmacro %}

{% macro spark_csv_select(raw_file, columns) -%}
    {%- set field_count = raw_file.header | length -%}
    {%- set values = [] -%}
    {%- for index in range(field_count) -%}
        {%- do values.append('try_element_at(raw_file.fields, ' ~ (index + 1) ~ ')') -%}
    {%- endfor -%}
    {%- set max_extra_fields = 16 -%}
    (
    select
        {%- for column in columns %}
        {%- set index = raw_file.positions[column] %}
        {{ 'cast(null as string)' if index is none else values[index] }} as {{ column }},
        {%- endfor %}
        raw_file.source_row_number,
        case
            when size(raw_file.fields) > {{ field_count }} then {{ cs_analytics.spark_raw_record(
                raw_file.header, values,
                'slice(raw_file.fields, ' ~ (field_count + 1) ~ ', ' ~ max_extra_fields ~ ')') }}
            else {{ cs_analytics.spark_raw_record(raw_file.header, values) }}
        end as raw_record
    from (
        select
            fields,
            cast(row_number() over (order by record_id) as bigint) as source_row_number
        from ({{ cs_analytics.spark_csv_records(raw_file.view) }}) as records
        where record_id > 1
            and not (
                size(fields) = 1
                and {{ cs_analytics.trim_whitespace('fields[0]') }} = ''
            )
    ) as raw_file
    )
{%- endmacro %}

{% macro spark_parquet_text(name, data_type) -%}
    {#- A Parquet column as text (raw.reader._parquet_text): a whole float or
        decimal reads as a plain integer; a UTC-adjusted timestamp carries
        its offset, as DuckDB writes it. -#}
    {%- set value = 'raw_file.' ~ cs_analytics.spark_path_identifier(name) -%}
    {%- if data_type.startswith(('float', 'double', 'decimal')) -%}
        coalesce(case when {{ value }} = floor({{ value }})
            then cast(try_cast({{ value }} as bigint) as string) end, cast({{ value }} as string))
    {%- elif data_type == 'timestamp' -%}
        cast({{ value }} as string) || '+00'
    {%- else -%}
        cast({{ value }} as string)
    {%- endif -%}
{%- endmacro %}

{% macro spark_parquet_select(raw_file, columns) -%}
    {%- set values = [] -%}
    {%- for name in raw_file.source_names -%}
        {%- do values.append(cs_analytics.spark_parquet_text(name, raw_file.types[loop.index0])) -%}
    {%- endfor -%}
    (
    select
        {%- for column in columns %}
        {%- set index = raw_file.positions[column] %}
        {{ 'cast(null as string)' if index is none else values[index] }} as {{ column }},
        {%- endfor %}
        cast(row_number() over (order by raw_file.cs_row_id) as bigint) as source_row_number,
        {{ cs_analytics.spark_raw_record(raw_file.header, values) }} as raw_record
    from (
        select *, monotonically_increasing_id() as cs_row_id
        from parquet.{{ cs_analytics.spark_path_identifier(raw_file.path) }}
    ) as raw_file
    )
{%- endmacro %}

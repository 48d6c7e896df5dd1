{% macro rejected_share_gate() -%}
    {#- At execution, raises one error that explains every table above var
        max_rejected_share: its rejected share, its top reasons with counts
        and an example raw row each, and what to do. -#}
    {#- Not built yet (dbt compile, the SQL linter): nothing to explain, and
        the test's own query runs only after source_reconciliation is built. -#}
    {%- if not execute or load_relation(ref('source_reconciliation')) is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set limit = var('max_rejected_share') | float -%}
    {#- rejected_rows is built before source_reconciliation; it is looked up
        in the graph, not ref()'d, so that this test has one parent and a
        failure skips everything after source_reconciliation. -#}
    {%- set quarantine = graph.nodes['model.' ~ project_name ~ '.rejected_rows'] -%}
    {%- set quarantine = api.Relation.create(
        database=quarantine.database, schema=quarantine.schema,
        identifier=quarantine.alias) -%}
    {%- set over = run_query(
        "select source_table, raw_rows, rejected_rows, rejected_share from "
        ~ ref('source_reconciliation')
        ~ " where rejected_share > " ~ limit ~ " order by source_table"
    ) -%}
    {%- if over.rows | length == 0 -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set lines = [] -%}
    {%- for table in over.rows -%}
        {%- set reasons = run_query(
            "select reason, count(*) as rows_with_reason, "
            ~ "min_by(raw_record, source_row_number) as example "
            ~ "from " ~ quarantine
            ~ " where source_table = '" ~ table[0] ~ "' and reason <> 'duplicate_key'"
            ~ " group by reason order by rows_with_reason desc, reason limit 3"
        ) -%}
        {%- set described = [] -%}
        {%- for reason in reasons.rows -%}
            {%- set example = reason[2] | string -%}
            {%- if example | length > 160 -%}
                {%- set example = example[:157] ~ '...' -%}
            {%- endif -%}
            {%- do described.append(
                reason[0] ~ ' ' ~ reason[1] ~ ' (e.g. ' ~ example ~ ')'
            ) -%}
        {%- endfor -%}
        {%- do lines.append(
            table[0] ~ ': ' ~ '%.1f' | format(table[3] * 100) ~ '% of its '
            ~ table[1] ~ ' rows are rejected; top reasons: '
            ~ described | join('; ') ~ '.'
        ) -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        'Too many rejected rows (more than var max_rejected_share = ' ~ limit
        ~ ' of a table), so the marts were not rebuilt and keep their previous '
        ~ 'contents.\n  ' ~ lines | join('\n  ')
        ~ '\nFix the export (every rejected row is in audit.rejected_rows; '
        ~ '`make check-raw` shows them by reason; section 6 vars adapt other '
        ~ 'column names, timestamp formats and amount separators), or, if '
        ~ 'these rows are expected, raise the limit: dbt build --vars '
        ~ '"{max_rejected_share: 0.5}".'
    ) }}
{%- endmacro %}

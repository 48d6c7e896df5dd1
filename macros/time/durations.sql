{#- Durations and timestamp arithmetic. Days are exactly 24 hours;
    durations are exact and fractional (contract section 5), never
    boundary counts. -#}

{% macro microseconds_between(start_at, end_at) -%}
    {{- adapter.dispatch('microseconds_between', 'cs_analytics')(start_at, end_at) -}}
{%- endmacro %}

{% macro default__microseconds_between(start_at, end_at) -%}
    {#- Exact: the microsecond is the timestamps' resolution, so counting
        its boundaries is the duration. -#}
    {{ dbt.datediff(start_at, end_at, 'microsecond') }}
{%- endmacro %}

{% macro spark__microseconds_between(start_at, end_at) -%}
    {#- dbt-spark's datediff has no microsecond part. -#}
    (unix_micros({{ end_at }}) - unix_micros({{ start_at }}))
{%- endmacro %}

{% macro timestamp_add(datepart, interval, from_timestamp) -%}
    {#- dbt.dateadd, exact to the microsecond: dbt-spark's dateadd goes
        through whole Unix seconds and drops fractional seconds. -#}
    {{- adapter.dispatch('timestamp_add', 'cs_analytics')(datepart, interval, from_timestamp) -}}
{%- endmacro %}

{% macro default__timestamp_add(datepart, interval, from_timestamp) -%}
    {{- dbt.dateadd(datepart, interval, from_timestamp) -}}
{%- endmacro %}

{% macro spark__timestamp_add(datepart, interval, from_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_timestamp }})
{%- endmacro %}

{% macro microseconds_in(unit) -%}
    {#- Exact durations (contract section 5): a minute is 60 s, an hour
        3 600 s, a day 86 400 s. -#}
    {{- {'second': 1000000, 'minute': 60000000, 'hour': 3600000000, 'day': 86400000000}[unit] -}}
{%- endmacro %}

{% macro duration_in(microseconds, unit) -%}
    {#- A duration in microseconds as a fractional number of `unit`s, a
        double. -#}
    {{- adapter.dispatch('duration_in', 'cs_analytics')(microseconds, unit) -}}
{%- endmacro %}

{% macro default__duration_in(microseconds, unit) -%}
    {#- A double first: `60000000.0` would be a decimal literal on Spark,
        and bigint / decimal a decimal there. -#}
    (cast({{ microseconds }} as double) / {{ cs_analytics.microseconds_in(unit) }})
{%- endmacro %}


{#- What every period mart shares (contract section 2): the columns that
    open it, the keys of an aggregation over the four grains, and the
    shape of the survey marts (NPS and CSAT). -#}

{% macro period_columns(relation=none) -%}
    {#- The four columns that open every period mart, in the contract's
        order. -#}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}period_grain,
        {{ prefix }}period_start,
        {{ prefix }}period_end,
        {{ prefix }}is_complete
{%- endmacro %}

{% macro grouped_period_keys() -%}
    {#- period_grain and period_start of a row of a query grouped by
        period_grouping_sets. -#}
    {{ cs_analytics.per_grain("'{grain}'") }} as period_grain,
        {{ cs_analytics.per_grain('{grain}_start') }} as period_start
{%- endmacro %}

{% macro survey_responses_by_period(survey_type, band_column, bands, values={}) -%}
    {#- CTEs ending in `counted`: every period of the spine with the valid
        responses of one survey type submitted in [S, E): `responses`, a
        count per band (`bands`: column -> value of `band_column`, bands
        from int_survey_responses_enriched, the one place that defines
        them), and `values` (column -> aggregate of `score`), null for an
        empty period. Each response is aggregated once per grain (grouping
        sets) before it meets the spine. -#}
with periods as (
    select * from {{ ref('int_periods') }}
),

survey_responses as (
    select * from {{ ref('int_survey_responses_enriched') }}
    where survey_type = '{{ survey_type }}'
),

responses_with_periods as (
    select
        {{ band_column }},
        score,
        {{ cs_analytics.period_start_columns('submitted_at') }}
    from survey_responses
),

responses_by_period as (
    select
        {{ cs_analytics.grouped_period_keys() }},
        count(*) as responses
        {%- for column, band in bands.items() %},
        count(case when {{ band_column }} = '{{ band }}' then 1 end)
            as {{ column }}
        {%- endfor %}
        {%- for column, aggregate in values.items() %},
        {{ aggregate }} as {{ column }}
        {%- endfor %}
    from responses_with_periods
    group by {{ cs_analytics.period_grouping_sets() }}
),

counted as (
    {{ cs_analytics.join_to_periods(
        'responses_by_period',
        counts=['responses'] + bands.keys() | list,
        values=values.keys() | list,
    ) }}
)
{%- endmacro %}

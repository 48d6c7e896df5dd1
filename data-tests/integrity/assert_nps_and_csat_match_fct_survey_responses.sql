{#- nps and csat, per grain and period, against the scores of
    fct_survey_responses submitted in it, banded here by the contract's
    own cut-offs (3.2, 3.3): NPS promoters 9-10, passives 7-8, detractors
    0-6; CSAT satisfied 4-5, neutral 3, dissatisfied 1-2, and the mean
    rating. The marts count the bands of int_survey_responses_enriched, so
    a wrong cut-off there shows here. -#}
{%- set bands = {
    'nps': {
        'promoters': 'score >= 9',
        'passives': 'score in (7, 8)',
        'detractors': 'score <= 6',
    },
    'csat': {
        'satisfied': 'score >= 4',
        'neutral': 'score = 3',
        'dissatisfied': 'score <= 2',
    },
} %}
with responses_by_day as (
    select
        survey_type,
        cast(submitted_at as date) as submitted_date,
        score,
        count(*) as responses
    from {{ ref('fct_survey_responses') }}
    group by survey_type, cast(submitted_at as date), score
),

{%- for mart, mart_bands in bands.items() %}

    {{ mart }}_expected as (
        select
            periods.period_grain,
            periods.period_start,
            coalesce(sum(scores.responses), 0) as responses,
            {%- for band, condition in mart_bands.items() %}
                coalesce(
                    sum(
                        case
                            when scores.{{ condition }} then scores.responses
                        end
                    ),
                    0
                ) as {{ band }},
            {%- endfor %}
            sum(scores.score * scores.responses) as score_total
        from ({{ periods_with_end_date(ref(mart)) }}) as periods
        left join responses_by_day as scores
            on scores.survey_type = '{{ mart }}'
            and {{ in_period('scores.submitted_date') }}
        group by periods.period_grain, periods.period_start
    ),

    {{ mart }}_mismatches as (
        select
            mart.period_grain,
            mart.period_start,
            '{{ mart }}' as mart
        from {{ ref(mart) }} as mart
        inner join {{ mart }}_expected as expected
            on mart.period_grain = expected.period_grain
            and mart.period_start = expected.period_start
        where mart.responses <> expected.responses
            {%- for band in mart_bands %}
                or mart.{{ band }} <> expected.{{ band }}
            {%- endfor %}
            {%- if mart == 'csat' %}
                or coalesce(
                    abs(
                        mart.avg_rating
                        - expected.score_total / nullif(expected.responses, 0)
                    ),
                    0
                ) > 1e-9
            {%- endif %}
    ),
{%- endfor %}

mismatches as (
    select * from nps_mismatches
    union all
    select * from csat_mismatches
)

select * from mismatches

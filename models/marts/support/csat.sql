{#- Customer satisfaction per period (contract 3.3): valid CSAT responses
    submitted in [S, E). Neutral ratings (3) count in the denominator of
    csat_rate, not in its numerator. Each response is aggregated once per
    grain (grouping sets) before it meets the spine, so every period has a row (an
    empty one: zero counts, null rate and average). The satisfied / neutral
    / dissatisfied bands come from int_survey_responses_enriched. -#}
with periods as (
    select * from {{ ref('int_periods') }}
),

survey_responses as (
    select * from {{ ref('int_survey_responses_enriched') }}
    where survey_type = 'csat'
),

responses_with_periods as (
    select
        csat_band,
        score,
        {{ period_start_columns('submitted_at') }}
    from survey_responses
),

responses_by_period as (
    select
        {{ per_grain("'{grain}'") }} as period_grain,
        {{ per_grain('{grain}_start') }} as period_start,
        count(*) as responses,
        count(case when csat_band = 'satisfied' then 1 end) as satisfied,
        count(case when csat_band = 'neutral' then 1 end) as neutral,
        count(case when csat_band = 'dissatisfied' then 1 end)
            as dissatisfied,
        avg(score) as avg_rating
    from responses_with_periods
    group by {{ period_grouping_sets() }}  -- noqa: PRS
),

counted as (
    {{ join_to_periods(
        'responses_by_period',
        counts=['responses', 'satisfied', 'neutral', 'dissatisfied'],
        values=['avg_rating'],
    ) }}
),

final as (
    select
        period_grain,
        period_start,
        period_end,
        is_complete,
        responses,
        satisfied,
        neutral,
        dissatisfied,
        {{ safe_divide('satisfied', 'responses') }} as csat_rate,
        avg_rating
    from counted
)

select * from final

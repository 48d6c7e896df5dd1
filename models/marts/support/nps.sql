{#- Net Promoter Score per period (contract 3.2): valid NPS responses
    submitted in [S, E). Each response is aggregated once per grain (grouping
    sets) in the period holding its submission before it meets the spine,
    so every period has a row (an empty one: zero counts, null nps). The
    promoter / passive / detractor bands come from
    int_survey_responses_enriched, the one place that defines them. -#}
with periods as (
    select * from {{ ref('int_periods') }}
),

survey_responses as (
    select * from {{ ref('int_survey_responses_enriched') }}
    where survey_type = 'nps'
),

responses_with_periods as (
    select
        nps_category,
        {{ period_start_columns('submitted_at') }}
    from survey_responses
),

responses_by_period as (
    select
        {{ per_grain("'{grain}'") }} as period_grain,
        {{ per_grain('{grain}_start') }} as period_start,
        count(*) as responses,
        count(case when nps_category = 'promoter' then 1 end) as promoters,
        count(case when nps_category = 'passive' then 1 end) as passives,
        count(case when nps_category = 'detractor' then 1 end) as detractors
    from responses_with_periods
    group by {{ period_grouping_sets() }}  -- noqa: PRS
),

counted as (
    {{ join_to_periods(
        'responses_by_period',
        counts=['responses', 'promoters', 'passives', 'detractors'],
    ) }}
),

final as (
    select
        period_grain,
        period_start,
        period_end,
        is_complete,
        responses,
        promoters,
        passives,
        detractors,
        {{ safe_divide('100 * (promoters - detractors)', 'responses') }}
            as nps
    from counted
)

select * from final

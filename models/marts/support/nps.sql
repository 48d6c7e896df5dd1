{#- Net Promoter Score per period (contract 3.2): valid NPS responses
    submitted in [S, E); every period has a row (an empty one: zero counts,
    null nps). -#}
{#- sqlfluff's duckdb dialect cannot parse `grouping sets`. -#}
-- noqa: disable=PRS
{{ survey_responses_by_period(
    'nps', 'nps_category',
    {'promoters': 'promoter', 'passives': 'passive', 'detractors': 'detractor'},
) }},
-- noqa: enable=PRS

final as (
    select
        {{ period_columns() }},
        responses,
        promoters,
        passives,
        detractors,
        {{ safe_divide('100 * (promoters - detractors)', 'responses') }}
            as nps
    from counted
)

select * from final

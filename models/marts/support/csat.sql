{#- Customer satisfaction per period (contract 3.3): valid CSAT responses
    submitted in [S, E). Neutral ratings (3) count in the denominator of
    csat_rate, not in its numerator. Every period has a row (an empty one:
    zero counts, null rate and average). -#}
{#- sqlfluff's duckdb dialect cannot parse `grouping sets`. -#}
-- noqa: disable=PRS
{{ survey_responses_by_period(
    'csat', 'csat_band',
    {'satisfied': 'satisfied', 'neutral': 'neutral', 'dissatisfied': 'dissatisfied'},
    values={'avg_rating': 'avg(score)'},
) }},
-- noqa: enable=PRS

final as (
    select
        {{ period_columns() }},
        responses,
        satisfied,
        neutral,
        dissatisfied,
        {{ safe_divide('satisfied', 'responses') }} as csat_rate,
        avg_rating
    from counted
)

select * from final

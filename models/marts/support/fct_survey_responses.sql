{#- One row per valid, de-duplicated survey response submitted before as_of
    (contract 3.9), with its NPS category or CSAT band, the agent, team,
    channel, category and priority of the valid ticket it is about (null
    otherwise), and the customer's city, for slicing in BI. -#}
with survey_responses as (
    select * from {{ ref('int_survey_responses_enriched') }}
),

customers as (select * from {{ ref('int_customers_unioned') }}),

final as (
    select
        survey_responses.response_id,
        survey_responses.customer_id,
        survey_responses.ticket_id,
        survey_responses.agent_id,
        survey_responses.team,
        survey_responses.channel,
        survey_responses.category,
        survey_responses.priority,
        customers.city,
        survey_responses.survey_type,
        survey_responses.nps_category,
        survey_responses.csat_band,
        survey_responses.score,
        cast(survey_responses.nps_points as {{ dbt.type_bigint() }})
            as nps_points,
        survey_responses.is_satisfied,
        survey_responses.has_valid_ticket,
        survey_responses.comment,
        survey_responses.submitted_at
    from survey_responses
    left join customers
        on survey_responses.customer_id = customers.customer_id
)

select * from final

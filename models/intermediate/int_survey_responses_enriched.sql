{#- Valid, de-duplicated survey responses submitted before as_of, with their
    NPS category or CSAT band, BI-friendly measures, and the channel,
    category, agent and team of the ticket they are about (only a valid
    ticket created before as_of). -#}
with survey_responses as (
    select * from {{ ref('stg_survey__survey_responses') }}
),

tickets as (select * from {{ ref('int_tickets_enriched') }}),

scoped as (
    select survey_responses.*
    from survey_responses
    where survey_responses.submitted_at < {{ as_of_at() }}
),

final as (
    select
        scoped.response_id,
        scoped.customer_id,
        scoped.ticket_id,
        tickets.agent_id,
        tickets.agent_name,
        tickets.team,
        tickets.channel,
        tickets.category,
        tickets.priority,
        scoped.survey_type,
        case
            when
                scoped.survey_type = 'nps' and scoped.score >= 9
                then 'promoter'
            when scoped.survey_type = 'nps' and scoped.score >= 7 then 'passive'
            when scoped.survey_type = 'nps' then 'detractor'
        end as nps_category,
        case
            when
                scoped.survey_type = 'csat' and scoped.score >= 4
                then 'satisfied'
            when scoped.survey_type = 'csat' and scoped.score = 3 then 'neutral'
            when scoped.survey_type = 'csat' then 'dissatisfied'
        end as csat_band,
        scoped.comment,
        scoped.score,
        case
            when scoped.survey_type = 'nps' and scoped.score >= 9 then 100
            when scoped.survey_type = 'nps' and scoped.score >= 7 then 0
            when scoped.survey_type = 'nps' then -100
        end as nps_points,
        case
            when scoped.survey_type = 'csat' then scoped.score >= 4
        end as is_satisfied,
        tickets.ticket_id is not null as has_valid_ticket,
        scoped.submitted_at
    from scoped
    left join tickets
        on scoped.ticket_id = tickets.ticket_id
)

select * from final

{#- One row per customer id seen anywhere: valid customer rows, and the
    orders (any status), tickets and survey responses before as_of
    (contract 3.8). Ids missing from the customers file are inferred, not
    dropped. Lifecycle, loyalty, VIP and the service band are as of
    as_of. -#}
{%- set window_days = var('churn_window_days') %}
with customers as (select * from {{ ref('int_customers_unioned') }}),

tickets as (select * from {{ ref('int_tickets_enriched') }}),

survey_responses as (select * from {{ ref('int_survey_responses_enriched') }}),

purchases as (select * from {{ ref('int_purchases_aggregated_to_customers') }}),

bands_at_as_of as (
    select * from {{ ref('int_customers_banded_over_time') }}
    where band_from_at < {{ as_of_at() }}
        and {{ as_of_at() }} <= band_to_at
),

ticket_counts as (
    select
        customer_id,
        count(*) as tickets
    from tickets
    where customer_id is not null
    group by customer_id
),

ranked_nps as (
    select
        customer_id,
        score,
        row_number() over (
            partition by customer_id
            order by submitted_at desc, response_id desc
        ) as recency_rank
    from survey_responses
    where survey_type = 'nps' and customer_id is not null
),

csat_ratings as (
    select
        customer_id,
        avg(score) as avg_csat_rating
    from survey_responses
    where survey_type = 'csat' and customer_id is not null
    group by customer_id
),

vip_threshold as (
    select
        {{ percentile_linear(
            'lifetime_revenue', var('vip_percentile'), decimal_scale=4
        ) }}
            as lifetime_revenue_threshold
    from purchases
),

joined as (
    select
        customers.customer_id,
        customers.is_inferred,
        customers.signed_up_at,
        customers.city,
        customers.acquisition_channel,
        purchases.first_purchase_at,
        purchases.last_purchase_at,
        coalesce(purchases.purchases, 0) as purchases,
        cast(
            coalesce(purchases.lifetime_revenue, 0) as {{ revenue_type() }}
        ) as lifetime_revenue,
        coalesce(ticket_counts.tickets, 0) as tickets,
        ranked_nps.score as latest_nps_score,
        csat_ratings.avg_csat_rating,
        bands_at_as_of.service_band,
        vip_threshold.lifetime_revenue_threshold,
        {{ as_of_at() }} as as_of_at
    from customers
    cross join vip_threshold
    left join purchases
        on customers.customer_id = purchases.customer_id
    left join ticket_counts
        on customers.customer_id = ticket_counts.customer_id
    left join ranked_nps
        on customers.customer_id = ranked_nps.customer_id
        and ranked_nps.recency_rank = 1
    left join csat_ratings
        on customers.customer_id = csat_ratings.customer_id
    left join bands_at_as_of
        on customers.customer_id = bands_at_as_of.customer_id
),

final as (
    select
        customer_id,
        is_inferred,
        signed_up_at,
        city,
        acquisition_channel,
        first_purchase_at,
        last_purchase_at,
        purchases,
        lifetime_revenue,
        tickets,
        latest_nps_score,
        avg_csat_rating,
        case
            when purchases = 0 then 'prospect'
            when last_purchase_at
                < {{ timestamp_add('day', -window_days, 'as_of_at') }}
                then 'churned'
            when first_purchase_at
                >= {{ timestamp_add(
                    'day', -var('new_customer_days'), 'as_of_at'
                ) }}
                then 'new'
            when last_purchase_at
                < {{ timestamp_add('day', -var('at_risk_days'), 'as_of_at') }}
                then 'at_risk'
            else 'active'
        end as lifecycle_stage,
        case
            when purchases = 0 then 'none'
            when purchases = 1 then 'one_time'
            when purchases <= 4 then 'repeat'
            else 'loyal'
        end as loyalty_tier,
        purchases > 0
        and lifetime_revenue >= lifetime_revenue_threshold as is_vip,
        coalesce(latest_nps_score <= 6, false) as is_detractor,
        {#- A customer without a row there had no ticket and no bad score
            in [as_of - W, as_of). -#}
        coalesce(
            service_band, '{{ service_bands() | last }}'
        ) as service_band
    from joined
)

select * from final

{#- Activity spells: a customer is active at instant t when a purchase lies
    in [t - W, t), i.e. t in (ordered_at, ordered_at + W]. Consecutive
    purchases whose windows touch or overlap form one spell
    (spell_start_at, spell_end_at]; a purchase more than W after the
    previous one starts a new spell. Retention counts these spells at
    period boundaries instead of testing every customer at every boundary
    (see DECISIONLOG.md). -#}
{%- set window_days = var('churn_window_days') %}
with purchases as (
    select
        customer_id,
        ordered_at
    from {{ ref('int_orders_filtered') }}
    where is_purchase
),

sequenced as (
    select
        customer_id,
        ordered_at,
        lag(ordered_at) over (
            partition by customer_id order by ordered_at
        ) as previous_purchase_at
    from purchases
),

flagged as (
    select
        customer_id,
        ordered_at,
        case
            when previous_purchase_at is null then 1
            when ordered_at
                > {{ timestamp_add(
                    'day', window_days, 'previous_purchase_at'
                ) }}
                then 1
            else 0
        end as starts_spell
    from sequenced
),

numbered as (
    select
        customer_id,
        ordered_at,
        sum(starts_spell) over (
            partition by customer_id
            order by ordered_at
            rows between unbounded preceding and current row
        ) as spell_number
    from flagged
),

final as (
    select
        customer_id,
        spell_number,
        count(*) as purchases,
        min(ordered_at) as spell_start_at,
        cast(
            {{ timestamp_add('day', window_days, 'max(ordered_at)') }}
            as {{ dbt.type_timestamp() }}
        ) as spell_end_at
    from numbered
    group by customer_id, spell_number
)

select * from final

{#- One row per valid, de-duplicated ticket created before as_of (contract
    3.9), with its normalised fields, agent and team, the customer's city,
    durations on both clocks (calendar and business, contract section 7),
    the clock of its priority's SLA, SLA statuses on that clock as of as_of
    and flags, for slicing in BI. A first response or a resolution at or
    after as_of has not happened yet. -#}
with tickets as (select * from {{ ref('int_tickets_enriched') }}),

customers as (select * from {{ ref('int_customers_unioned') }}),

final as (
    select
        tickets.ticket_id,
        tickets.customer_id,
        tickets.agent_id,
        tickets.agent_name,
        tickets.team,
        tickets.channel,
        tickets.category,
        tickets.priority,
        customers.city,
        tickets.contact_count,
        tickets.reopen_count,
        tickets.wait_seconds,
        tickets.first_response_minutes,
        tickets.resolution_hours,
        tickets.first_response_business_minutes,
        tickets.resolution_business_hours,
        tickets.sla_clock,
        tickets.first_response_sla_status,
        tickets.resolution_sla_status,
        tickets.is_resolved,
        tickets.is_first_contact_resolution,
        tickets.is_reopened,
        tickets.is_wait_within_target,
        tickets.created_at,
        tickets.first_response_at,
        tickets.resolved_at
    from tickets
    left join customers
        on tickets.customer_id = customers.customer_id
)

select * from final

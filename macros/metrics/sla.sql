{#- SLA statuses (contract 3.4), on the clock of the ticket's priority
    (seed sla_targets: calendar or business, contract section 7). -#}

{% macro sla_status(elapsed_microseconds, open_microseconds, target_microseconds) -%}
    {#- met: it happened within the target (equal is met); breached: it took
        longer, or it has not happened and the ticket has been open longer
        than the target at the instant the status is taken (as_of, or any
        other instant: open_microseconds is the time from created_at to
        that instant, elapsed_microseconds null when the event has not
        happened before it); otherwise pending. Both times are on the
        priority's clock (sla_elapsed). Compared in whole microseconds, so
        no rounding can move a boundary. -#}
    case
        when {{ elapsed_microseconds }} is not null then
            case
                when {{ elapsed_microseconds }} <= {{ target_microseconds }} then 'met'
                else 'breached'
            end
        when {{ open_microseconds }} > {{ target_microseconds }} then 'breached'
        else 'pending'
    end
{%- endmacro %}

{% macro sla_elapsed(clock, calendar_microseconds, business_microseconds) -%}
    {#- An elapsed time on the clock of the priority: `clock` is the
        ticket's sla_clock (calendar or business). -#}
    case
        when {{ clock }} = 'business' then {{ business_microseconds }}
        else {{ calendar_microseconds }}
    end
{%- endmacro %}

{% macro sla_target_microseconds(target_column, unit) -%}
    {#- A target of sla_targets (whole minutes or hours) in microseconds. -#}
    cast({{ target_column }} as {{ dbt.type_bigint() }}) * {{ cs_analytics.microseconds_in(unit) }}
{%- endmacro %}

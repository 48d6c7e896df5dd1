{#- SLA statuses (contract 3.4). -#}

{% macro sla_status(elapsed_microseconds, target_microseconds) -%}
    {#- met: it happened within the target (equal is met); breached: it took
        longer, or it has not happened and the ticket has been open longer
        than the target at as_of; otherwise pending. Compared in whole
        microseconds, so no rounding can move a boundary. -#}
    case
        when {{ elapsed_microseconds }} is not null then
            case
                when {{ elapsed_microseconds }} <= {{ target_microseconds }} then 'met'
                else 'breached'
            end
        when open_microseconds > {{ target_microseconds }} then 'breached'
        else 'pending'
    end
{%- endmacro %}

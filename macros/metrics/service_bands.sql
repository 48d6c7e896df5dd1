{#- Service bands (contract 3.10) and the Wilson score interval of a
    retention rate. -#}

{% macro service_bands() -%}
    {#- The bands in the order of 3.10: a customer's band is the first that
        applies; the last, no_ticket, applies when no other does. -#}
    {{- return(['unresolved', 'dissatisfied', 'sla_breached', 'served', 'no_ticket']) -}}
{%- endmacro %}

{% macro service_band_rank(is_unresolved, is_dissatisfied, is_sla_breached, is_ticket) -%}
    {#- The rank (1 = first in service_bands()) of the first band that one
        event (a ticket, or a survey response) puts its customer in at one
        boundary S; the band of a customer at S is then the lowest rank of
        its events (service_band_of), which is the first band that applies
        to the customer. Each argument is a boolean SQL expression; pass
        'false' for what the event cannot be. -#}
    case
        when {{ is_unresolved }} then 1
        when {{ is_dissatisfied }} then 2
        when {{ is_sla_breached }} then 3
        when {{ is_ticket }} then 4
        else 5
    end
{%- endmacro %}

{% macro service_band_of(rank) -%}
    {#- The band's name for a rank of service_band_rank; no_ticket for a
        null rank (a customer with no event in the window). -#}
    case {{ rank }}
        {%- for band in cs_analytics.service_bands() %}
        {%- if not loop.last %}
        when {{ loop.index }} then '{{ band }}'
        {%- endif %}
        {%- endfor %}
        else '{{ cs_analytics.service_bands() | last }}'
    end
{%- endmacro %}

{% macro service_bands_relation() -%}
    {#- A five-row inline relation: service_band and its rank. -#}
    {%- for band in cs_analytics.service_bands() %}
    select
        '{{ band }}' as service_band,
        {{ loop.index }} as service_band_rank
    {%- if not loop.last %} union all {% endif -%}
    {%- endfor %}
{%- endmacro %}

{% macro wilson_bound(successes, trials, sign) -%}
    {#- One end of the Wilson score interval at 95% of successes / trials
        (contract 3.10), computed as written and never clipped: with n =
        trials, p = successes / n and z = 1.959963984540054,
        (p + z^2/(2n) sign z sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n),
        sign '-' for the low end and '+' for the high end. Null when n = 0.
        Everything in double: a decimal literal would make Spark compute in
        decimals. -#}
    {%- set z = "cast('1.959963984540054' as double)" -%}
    {%- set n = 'cast(' ~ trials ~ ' as double)' -%}
    {%- set p = cs_analytics.safe_divide(successes, trials) -%}
    case when {{ trials }} > 0 then
        (
            {{ p }} + {{ z }} * {{ z }} / (2 * {{ n }})
            {{ sign }} {{ z }} * sqrt(
                {{ p }} * (1 - {{ p }}) / {{ n }}
                + {{ z }} * {{ z }} / (4 * {{ n }} * {{ n }})
            )
        ) / (1 + {{ z }} * {{ z }} / {{ n }})
    end
{%- endmacro %}

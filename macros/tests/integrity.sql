{% macro in_period(date_expression) -%}
    {#- The date lies in the period [period_start, end_date) of the row of
        `periods` (from periods_with_end_date). -#}
    {#- One line: the callers' layout stays the linter's. -#}
    (periods.period_start <= {{ date_expression }} and periods.end_date > {{ date_expression }})
{%- endmacro %}

{% macro periods_with_end_date(mart) -%}
    {#- For the cross-model tests (data-tests/integrity/): the periods a
        period mart publishes, each with end_date, the date of its end
        instant E (the day after period_end, or as_of when that is
        earlier), computed here from the mart's own columns. Every instant
        of the contract is a local midnight, so an event lies in [S, E)
        exactly when its date lies in [period_start, end_date). -#}
    {%- set day_after -%}
        cast({{ timestamp_add('day', 1, 'mart.period_end') }} as date)
    {%- endset %}
    select
        mart.period_grain,
        mart.period_start,
        case
            when {{ day_after }} < reporting_window.as_of_date
                then {{ day_after }}
            else reporting_window.as_of_date
        end as end_date
    from {{ mart }} as mart
    cross join (
        select cast(as_of_at as date) as as_of_date
        from {{ ref('int_reporting_window') }}
    ) as reporting_window
{%- endmacro %}

{% macro values_differ(actual, expected) -%}
    {#- Two numbers that are not the same measure: one null and not the
        other, or apart by more than 1e-9 relative (sums and averages
        taken in another order differ in the last bits). -#}
    (({{ actual }} is null) <> ({{ expected }} is null)
        or abs({{ actual }} - {{ expected }})
        > 1e-9 * case when abs({{ expected }}) > 1 then abs({{ expected }}) else 1 end)
{%- endmacro %}

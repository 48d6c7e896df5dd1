{#- Retention by service band (contract 3.10): per grain and period, the
    customers active at S split by their band at S, and of those the ones
    still active at E. Counted like customer_retention, at period
    boundaries, never customers x periods. The part of a band segment
    (int_customers_banded_over_time) in which its customer is active lies
    in one activity spell: a piece (from, to]. Of each grain it covers the
    period starts S_k for k in [first_index, last_index], and its customer
    is active at E_k, the boundary k + 1, while the spell lasts (k + 1 <=
    the spell's last covered boundary) and, at the spell's last boundary,
    when a later spell covers E_k. Pieces of one customer do not overlap,
    so counts are +1 / -1 changes at period indexes, summed in period
    order. Each spell is also counted whole, as a piece of rank 0 (every
    active customer): no_ticket is that count minus the other bands'. Its
    totals are customer_retention's customers_start and
    retained_customers, computed another way (tested). -#}
with periods as (select * from {{ ref('int_periods') }}),

bands as (select * from {{ ref('int_customers_banded_over_time') }}),

purchase_spells as (
    select * from {{ ref('int_purchases_grouped_into_spells') }}
),

service_bands as (
    {{ service_bands_relation() }}
),

grain_bounds as (
    {#- Boundaries 0 .. period_count - 1 are the period starts; boundary
        period_count is the end instant of the last period (as_of). -#}
    select
        period_grain,
        min(period_start) as first_period_start,
        count(*) as period_count,
        max(period_end_at) as last_boundary_at
    from periods
    group by period_grain
),

change_kinds as (
    select cast(generated_number as {{ dbt.type_int() }}) as change_kind
    from ({{ dbt.generate_series(5) }}) as series
),

day_offsets as (
    select cast(generated_number - 1 as {{ dbt.type_int() }}) as day_offset
    from ({{ dbt.generate_series(366) }}) as series
),

candidate_days as (
    select
        periods.period_end,
        cast(
            {{ timestamp_add(
                'day', 'day_offsets.day_offset', 'periods.period_start'
            ) }} as date
        ) as period_day
    from periods
    cross join day_offsets
),

period_days as (
    {#- Every day of the spine (every instant before as_of that a piece
        can start at falls on one), to give each its index in every grain
        with one equality join per instant instead of one per instant and
        grain. -#}
    select distinct period_day
    from candidate_days
    where period_day <= period_end
),

day_indexes as (
    {{ period_indexes_of_days('period_days', 'period_day') }}
),

spells as (
    {#- With the start of the customer's next spell: only a customer with
        a later spell can be active again after one ends. -#}
    select
        customer_id,
        spell_start_at,
        spell_end_at,
        lead(spell_start_at) over (
            partition by customer_id order by spell_start_at
        ) as next_spell_start_at
    from purchase_spells
),

active_pieces as (
    {#- Spells do not overlap, nor do a customer's band segments: each
        piece is one customer at the boundaries it covers. Every spell is
        a piece of rank 0 too. -#}
    select
        customer_id,
        0 as service_band_rank,
        spell_end_at,
        next_spell_start_at,
        spell_start_at as piece_from_at,
        spell_end_at as piece_to_at
    from spells
    union all
    select
        bands.customer_id,
        bands.service_band_rank,
        spells.spell_end_at,
        spells.next_spell_start_at,
        case
            when bands.band_from_at > spells.spell_start_at
                then bands.band_from_at
            else spells.spell_start_at
        end as piece_from_at,
        case
            when bands.band_to_at < spells.spell_end_at
                then bands.band_to_at
            else spells.spell_end_at
        end as piece_to_at
    from bands
    inner join spells
        on bands.customer_id = spells.customer_id
        and bands.band_from_at < spells.spell_end_at
        and bands.band_to_at > spells.spell_start_at
),

piece_indexes as (
    {#- A piece (from, to] covers the period starts after the one of the
        period holding `from` through the one of the period holding `to`
        (the last period when `to` is at or after as_of, past the days of
        the spine). The spell's last covered boundary is the period
        holding its end, or period_count when it lasts until as_of. -#}
    select
        active_pieces.customer_id,
        active_pieces.service_band_rank,
        active_pieces.next_spell_start_at,
        grain_bounds.period_grain,
        grain_bounds.first_period_start,
        grain_bounds.period_count,
        grain_bounds.last_boundary_at,
        {{ of_grain('grain_bounds.period_grain', 'from_days.{grain}_index') }}
        + 1 as first_index,
        case
            when active_pieces.piece_to_at >= grain_bounds.last_boundary_at
                then grain_bounds.period_count - 1
            else {{ of_grain(
                'grain_bounds.period_grain', 'to_days.{grain}_index'
            ) }}
        end as last_index,
        case
            when active_pieces.spell_end_at >= grain_bounds.last_boundary_at
                then grain_bounds.period_count
            else {{ of_grain(
                'grain_bounds.period_grain', 'spell_end_days.{grain}_index'
            ) }}
        end as spell_last_boundary
    from active_pieces
    cross join grain_bounds
    inner join day_indexes as from_days
        on cast(active_pieces.piece_from_at as date) = from_days.period_day
    left join day_indexes as to_days
        on cast(active_pieces.piece_to_at as date) = to_days.period_day
    left join day_indexes as spell_end_days
        on cast(active_pieces.spell_end_at as date) = spell_end_days.period_day
),

covering_pieces as (
    {#- With E_k for the spell's last covered boundary k (a period start):
        the start of period k + 1, or as_of. E_k comes after the spell. -#}
    select
        customer_id,
        period_grain,
        service_band_rank,
        first_index,
        last_index,
        spell_last_boundary,
        next_spell_start_at,
        case
            when last_index < spell_last_boundary - 1 then last_index
            else spell_last_boundary - 1
        end as last_retained_index,
        case
            when spell_last_boundary + 1 >= period_count
                then last_boundary_at
            else cast({{ period_step_start(
                'period_grain',
                'first_period_start',
                'spell_last_boundary + 1',
            ) }} as {{ dbt.type_timestamp() }})
        end as after_spell_end_at
    from piece_indexes
    where first_index <= last_index
),

piece_shapes as (
    {#- The pieces of each grain and band by their indexes: the changes
        below depend on nothing else, so they are counted once per shape
        instead of once per piece. -#}
    select
        period_grain,
        service_band_rank,
        first_index,
        last_index,
        last_retained_index,
        count(*) as pieces
    from covering_pieces
    group by
        period_grain,
        service_band_rank,
        first_index,
        last_index,
        last_retained_index
),

retained_across_gaps as (
    {#- At the spell's last boundary k, for the piece holding it, the
        customer is retained when a later spell covers E_k. Only a piece
        whose next spell starts before E_k looks. Spells do not overlap:
        at most one covers E_k, so each such piece is counted once. This
        and piece_shapes both read covering_pieces (computed twice on
        Spark): one left join of every piece instead cost DuckDB a hash
        table of all the pieces, a quarter more time at L
        (docs/performance.md). -#}
    select
        covering_pieces.period_grain,
        covering_pieces.service_band_rank,
        covering_pieces.spell_last_boundary,
        count(*) as pieces
    from covering_pieces
    inner join spells as later_spells
        on covering_pieces.customer_id = later_spells.customer_id
        and covering_pieces.after_spell_end_at > later_spells.spell_start_at
        and covering_pieces.after_spell_end_at <= later_spells.spell_end_at
    where covering_pieces.spell_last_boundary
        between covering_pieces.first_index and covering_pieces.last_index
        and covering_pieces.next_spell_start_at
        < covering_pieces.after_spell_end_at
    group by
        covering_pieces.period_grain,
        covering_pieces.service_band_rank,
        covering_pieces.spell_last_boundary
),

changes as (
    {#- Change 1 at first_index: one more customer at the start, and
        retained while the spell lasts; change 2 after last_index: one
        less at the start; change 3 after last_retained_index: one less
        retained. Across a gap, change 4 at the spell's last boundary: one
        more retained, and change 5 after it: one less. -#}
    select
        piece_shapes.period_grain,
        piece_shapes.service_band_rank,
        case change_kinds.change_kind
            when 1 then piece_shapes.first_index
            when 2 then piece_shapes.last_index + 1
            else piece_shapes.last_retained_index + 1
        end as period_index,
        piece_shapes.pieces * case change_kinds.change_kind
            when 1 then 1 when 2 then -1 else 0
        end as start_change,
        piece_shapes.pieces * case
            when
                piece_shapes.first_index
                > piece_shapes.last_retained_index
                then 0
            when change_kinds.change_kind = 1 then 1
            when change_kinds.change_kind = 3 then -1
            else 0
        end as retained_change
    from piece_shapes
    cross join change_kinds
    where change_kinds.change_kind <= 3
    union all
    select
        retained_across_gaps.period_grain,
        retained_across_gaps.service_band_rank,
        case change_kinds.change_kind
            when 4 then retained_across_gaps.spell_last_boundary
            else retained_across_gaps.spell_last_boundary + 1
        end as period_index,
        0 as start_change,
        retained_across_gaps.pieces * case change_kinds.change_kind
            when 4 then 1 else -1
        end as retained_change
    from retained_across_gaps
    cross join change_kinds
    where change_kinds.change_kind >= 4
),

change_totals as (
    select
        period_grain,
        service_band_rank,
        period_index,
        sum(start_change) as start_change,
        sum(retained_change) as retained_change
    from changes
    group by period_grain, service_band_rank, period_index
),

counted_ranks as (
    select 0 as service_band_rank
    union all
    select service_band_rank from service_bands
    where service_band_rank < {{ service_bands() | length }}
),

rank_counts as (
    select
        {{ period_columns('periods') }},
        counted_ranks.service_band_rank,
        sum(coalesce(change_totals.start_change, 0)) over (
            partition by periods.period_grain, counted_ranks.service_band_rank
            order by periods.period_index
            rows between unbounded preceding and current row
        ) as customers_start,
        sum(coalesce(change_totals.retained_change, 0)) over (
            partition by periods.period_grain, counted_ranks.service_band_rank
            order by periods.period_index
            rows between unbounded preceding and current row
        ) as retained_customers
    from periods
    cross join counted_ranks
    left join change_totals
        on periods.period_grain = change_totals.period_grain
        and periods.period_index = change_totals.period_index
        and counted_ranks.service_band_rank = change_totals.service_band_rank
),

banded_totals as (
    {#- Every active customer (rank 0), and beside it those in a band
        (1-4) of the same period. -#}
    select
        *,
        sum(case when service_band_rank > 0 then customers_start else 0 end)
            over (partition by period_grain, period_start)
            as banded_start,
        sum(case when service_band_rank > 0 then retained_customers else 0 end)
            over (partition by period_grain, period_start)
            as banded_retained
    from rank_counts
),

counted as (
    {#- no_ticket is every active customer (rank 0, no band's rank) less
        those in a band. -#}
    select
        {{ period_columns() }},
        {{ service_band_of('nullif(service_band_rank, 0)') }} as service_band,
        case
            when service_band_rank = 0 then customers_start - banded_start
            else customers_start
        end as customers_start,
        case
            when service_band_rank = 0
                then retained_customers - banded_retained
            else retained_customers
        end as retained_customers
    from banded_totals
),

rated as (
    {%- set bigint = dbt.type_bigint() %}
    select
        {{ period_columns() }},
        service_band,
        cast(customers_start as {{ bigint }}) as customers_start,
        cast(retained_customers as {{ bigint }}) as retained_customers,
        cast(
            customers_start - retained_customers as {{ bigint }}
        ) as churned_customers,
        {{ safe_divide('retained_customers', 'customers_start') }}
            as retention_rate,
        {{ wilson_bound('retained_customers', 'customers_start', '-') }}
            as retention_rate_ci_low,
        {{ wilson_bound('retained_customers', 'customers_start', '+') }}
            as retention_rate_ci_high
    from counted
),

final as (
    {%- set no_ticket = service_bands() | last %}
    select
        {{ period_columns() }},
        service_band,
        customers_start,
        retained_customers,
        churned_customers,
        retention_rate,
        retention_rate_ci_low,
        retention_rate_ci_high,
        retention_rate - max(
            case when service_band = '{{ no_ticket }}' then retention_rate end
        ) over (
            partition by period_grain, period_start
        ) as retention_rate_vs_no_ticket
    from rated
)

select * from final

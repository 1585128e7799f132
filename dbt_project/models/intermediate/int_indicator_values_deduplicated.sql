-- One value per report, indicator and breakdown, for analysis: a stated value wins over a blank,
-- and among stated values the statistics table wins over prose. Blank stays NULL (never 0).

with

indicator_values as (
    select * from {{ ref('stg_xxgk__indicator_values') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by report_id, indicator_code, breakdown
            order by
                value is null,
                case source_kind when 'table' then 0 else 1 end,
                source_line
        ) as preference,
        count(*) over (partition by report_id, indicator_code, breakdown) as n_sources
    from indicator_values
),

final as (
    select
        report_id,
        indicator_code,
        breakdown,
        value,
        qualifier,
        source_kind,
        source_line,
        raw_value,
        unit,
        evidence,
        n_sources
    from ranked
    where preference = 1
)

select * from final

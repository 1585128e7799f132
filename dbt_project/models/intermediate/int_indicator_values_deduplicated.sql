{{ config(**incremental_report_config()) }}

-- One value per report, indicator and breakdown, for analysis: a stated value wins over a blank,
-- and among stated values the statistics table wins over prose. Blank stays NULL (never 0).
-- Incremental by report (macros/incremental_reports.sql): only new or changed reports are built.

with

to_build as (
    {{ reports_to_build() }}
),

indicator_values as (
    select * from {{ ref('stg_xxgk__indicator_values') }}
    where report_id in (select report_id from to_build)
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
        ranked.report_id,
        ranked.indicator_code,
        ranked.breakdown,
        ranked.value,
        ranked.qualifier,
        ranked.source_kind,
        ranked.source_line,
        ranked.raw_value,
        ranked.unit,
        ranked.evidence,
        ranked.n_sources,
        to_build.report_signature,
        '{{ invocation_id }}' as dbt_invocation_id
    from ranked
    inner join to_build
        on ranked.report_id = to_build.report_id
    where ranked.preference = 1
)

select * from final

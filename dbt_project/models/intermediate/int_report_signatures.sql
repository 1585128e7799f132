-- One row per report: a signature of everything the per-report incremental models read about it
-- besides its own staging rows (which change only with parser_version): its int_reports_ranked row
-- (source_file, agency, year, is_current, version rank, parser_version, ...) and, for each year offset
-- of a cross-year rule (seed check_rule_terms), the same agency's current report of that year.
-- A new or removed report, a reparse, a rename or a correction that supersedes a version thus changes
-- the signatures of exactly the reports whose rows depend on it.

with

reports as (
    select * from {{ ref('int_reports_ranked') }}
),

offsets as (
    select distinct year_offset
    from {{ ref('check_rule_terms') }}
    where year_offset <> 0
),

related as (
    select
        anchor.report_id,
        string_agg(
            offsets.year_offset || '=' || coalesce(md5(cast(related as varchar)), ''),
            ',' order by offsets.year_offset
        ) as related_state
    from reports as anchor
    cross join offsets
    left join reports as related
        on related.agency_id = anchor.agency_id
        and related.report_year = anchor.report_year + offsets.year_offset
        and related.is_current
    group by anchor.report_id
),

final as (
    select
        reports.report_id,
        md5(cast(reports as varchar) || '|' || coalesce(related.related_state, '')) as report_signature
    from reports
    left join related
        on reports.report_id = related.report_id
)

select * from final

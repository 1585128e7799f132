-- One row per distinct parsed report, superseded versions included (is_current = false).

with

reports as (
    select * from {{ ref('int_reports_ranked') }}
),

indicator_values as (
    select * from {{ ref('stg_xxgk__indicator_values') }}
),

value_counts as (
    select
        report_id,
        count(value) as n_values
    from indicator_values
    group by report_id
),

final as (
    select
        reports.report_id,
        reports.source_file,
        reports.agency_id,
        reports.report_year,
        reports.template,
        reports.title,
        reports.publish_date,
        reports.is_current,
        reports.version_rank,
        reports.n_versions,
        reports.encoding,
        reports.agency_name,
        reports.agency_short_name,
        reports.agency_level,
        reports.province,
        reports.city,
        reports.county,
        reports.region_source,
        reports.contact_address,
        reports.contact_postcode,
        reports.contact_phone,
        reports.contact_email,
        reports.contact_website,
        reports.cleaning_flags,
        reports.table_start_line,
        reports.n_lines,
        reports.n_chars,
        reports.parser_version,
        coalesce(value_counts.n_values, 0) as n_values
    from reports
    left join value_counts
        on reports.report_id = value_counts.report_id
)

select * from final

-- One row per report, ranked among the reports of the same agency and year: the current one is the
-- latest publish_date (unknown dates last), then the smallest source_file. Later corrections of a
-- report thus replace it. Reports without an agency are never ranked against each other.

with

reports as (
    select * from {{ ref('stg_xxgk__reports') }}
),

agencies as (
    select * from {{ ref('int_agencies_resolved') }}
),

joined as (
    select
        reports.*,
        agencies.agency_id,
        agencies.agency_name_normalised
    from reports
    inner join agencies
        on reports.report_id = agencies.report_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by coalesce(agency_id, report_id), report_year
            order by publish_date desc nulls last, source_file asc, report_id asc
        ) as version_rank,
        count(*) over (
            partition by coalesce(agency_id, report_id), report_year
        ) as n_versions
    from joined
),

final as (
    select
        report_id,
        source_file,
        agency_id,
        agency_name,
        agency_short_name,
        agency_level,
        province,
        city,
        county,
        region_source,
        report_year,
        publish_date,
        template,
        title,
        title_line,
        encoding,
        contact_address,
        contact_postcode,
        contact_phone,
        contact_email,
        contact_website,
        cleaning_flags,
        table_start_line,
        n_lines,
        n_chars,
        parser_version,
        version_rank,
        n_versions,
        version_rank = 1 as is_current
    from ranked
)

select * from final

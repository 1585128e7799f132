{{ config(**incremental_report_config()) }}

-- One row per section of a gov2019/gov2021 report as parsed (staging.stg_report_sections), current and
-- superseded reports alike: the six sections of the national format, e.g. section 5
-- 五、存在的主要问题及改进情况, readable per agency and year. section_name_zh is the template's name of the
-- section (seed report_sections), heading the line as printed.
-- Incremental by report (macros/incremental_reports.sql): only new or changed reports are built.

with

to_build as (
    {{ reports_to_build() }}
),

sections as (
    select * from {{ ref('stg_xxgk__report_sections') }}
    where report_id in (select report_id from to_build)
),

reports as (
    select * from {{ ref('int_reports_ranked') }}
),

section_names as (
    select * from {{ ref('report_sections') }}
),

final as (
    select
        {{ surrogate_key(['sections.report_id', 'sections.start_line']) }} as section_id,
        sections.report_id,
        reports.agency_id,
        reports.agency_name,
        reports.report_year,
        reports.template,
        sections.section_no,
        section_names.name_zh as section_name_zh,
        section_names.name_en as section_name_en,
        sections.heading,
        sections.start_line,
        sections.end_line,
        sections.section_text,
        length(sections.section_text) as n_chars,
        reports.source_file,
        reports.is_current,
        reports.parser_version,
        to_build.report_signature,
        '{{ invocation_id }}' as dbt_invocation_id
    from sections
    inner join reports
        on sections.report_id = reports.report_id
    inner join to_build
        on sections.report_id = to_build.report_id
    left join section_names
        on sections.section_no = section_names.section_no
)

select * from final

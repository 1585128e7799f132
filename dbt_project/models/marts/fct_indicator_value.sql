{{ config(**incremental_report_config()) }}

-- One row per extracted value, table and prose, of current and superseded reports alike.
-- value is NULL when the report leaves the cell blank (raw_value keeps what was printed).
-- Incremental by report (macros/incremental_reports.sql): only new or changed reports are built.

with

to_build as (
    {{ reports_to_build() }}
),

indicator_values as (
    select * from {{ ref('stg_xxgk__indicator_values') }}
    where report_id in (select report_id from to_build)
),

reports as (
    select * from {{ ref('int_reports_ranked') }}
),

final as (
    select
        {{ surrogate_key([
            'indicator_values.report_id',
            'indicator_values.indicator_code',
            'indicator_values.breakdown',
            'indicator_values.source_kind',
        ]) }} as value_id,
        indicator_values.report_id,
        reports.agency_id,
        reports.report_year,
        indicator_values.indicator_code,
        indicator_values.breakdown,
        indicator_values.value,
        indicator_values.qualifier,
        indicator_values.source_kind,
        indicator_values.source_line,
        indicator_values.raw_label,
        indicator_values.raw_value,
        indicator_values.unit,
        indicator_values.evidence,
        reports.source_file,
        reports.is_current,
        reports.parser_version,
        to_build.report_signature,
        '{{ invocation_id }}' as dbt_invocation_id
    from indicator_values
    inner join reports
        on indicator_values.report_id = reports.report_id
    inner join to_build
        on indicator_values.report_id = to_build.report_id
)

select * from final

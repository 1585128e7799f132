-- One row per extracted value, table and prose, of current and superseded reports alike.
-- value is NULL when the report leaves the cell blank (raw_value keeps what was printed).

with

indicator_values as (
    select * from {{ ref('stg_xxgk__indicator_values') }}
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
        reports.is_current
    from indicator_values
    inner join reports
        on indicator_values.report_id = reports.report_id
)

select * from final

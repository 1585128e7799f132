-- One row per agency and report year, from the current report only, with the headline indicators
-- pivoted into columns. Which indicator fills which column is data (seed headline_indicators); the
-- column list is the headline_columns() macro. A column is NULL when the report does not state the
-- value (blank or absent), never 0; a value stated as none (qualifier stated_none) stays 0.
{%- set columns = headline_columns() %}

with

reports as (
    select * from {{ ref('int_reports_ranked') }}
    where is_current
        and agency_id is not null
        and report_year is not null
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

indicator_values as (
    select * from {{ ref('int_indicator_values_deduplicated') }}
    -- headline figures are whole-table figures: single-column rows only
    where breakdown = ''
),

headline_indicators as (
    select * from {{ ref('headline_indicators') }}
),

violations as (
    select * from {{ ref('fct_check_violation') }}
),

headline_values as (
    select
        indicator_values.report_id,
        headline_indicators.headline_column,
        indicator_values.value
    from indicator_values
    inner join headline_indicators
        on indicator_values.indicator_code = headline_indicators.indicator_code
),

pivoted as (
    select
        report_id,
        {%- for column in columns %}
        max(value) filter (where headline_column = '{{ column }}') as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from headline_values
    group by report_id
),

violation_counts as (
    select
        report_id,
        count(*) as violation_count
    from violations
    group by report_id
),

final as (
    select
        reports.agency_id,
        reports.report_year,
        reports.report_id,
        agencies.agency_name,
        agencies.agency_level,
        reports.template,
        reports.source_file,
        {%- for column in columns %}
        pivoted.{{ column }},
        {%- endfor %}
        coalesce(violation_counts.violation_count, 0) as violation_count
    from reports
    left join agencies
        on reports.agency_id = agencies.agency_id
    left join pivoted
        on reports.report_id = pivoted.report_id
    left join violation_counts
        on reports.report_id = violation_counts.report_id
)

select * from final

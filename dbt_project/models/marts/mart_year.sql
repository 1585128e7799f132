-- One row per report year over current reports: coverage counts and totals of the headline columns
-- (sums over mart_agency_year; NULL when no report of the year states the value). Totals include
-- approximate values ("100余" counted as 100): reports_with_inexact_headlines says how many reports
-- contribute one.
{%- set columns = headline_columns() %}

with

reports as (
    select * from {{ ref('int_reports_ranked') }}
    where is_current
        and report_year is not null
),

violations as (
    select * from {{ ref('fct_check_violation') }}
),

agency_years as (
    select * from {{ ref('mart_agency_year') }}
),

report_counts as (
    select
        reports.report_year,
        count(*) as reports,
        count(distinct reports.agency_id) as agencies,
        count(*) filter (where reports.agency_id is null) as reports_without_agency,
        count(*) filter (where reports.template <> 'narrative') as reports_with_table,
        count(*) filter (
            where reports.report_id in (select violations.report_id from violations)
        ) as reports_with_violations
    from reports
    group by reports.report_year
),

headline_totals as (
    select
        report_year,
        count(*) filter (where len(inexact_headlines) > 0) as reports_with_inexact_headlines,
        {%- for column in columns %}
        sum({{ column }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from agency_years
    group by report_year
),

final as (
    select
        report_counts.report_year,
        report_counts.reports,
        report_counts.agencies,
        report_counts.reports_without_agency,
        report_counts.reports_with_table,
        report_counts.reports_with_violations,
        coalesce(headline_totals.reports_with_inexact_headlines, 0) as reports_with_inexact_headlines,
        {%- for column in columns %}
        headline_totals.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from report_counts
    left join headline_totals
        on report_counts.report_year = headline_totals.report_year
)

select * from final

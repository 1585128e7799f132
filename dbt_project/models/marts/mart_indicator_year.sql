-- Distribution of each indicator (and breakdown) per report year over current reports, one value
-- per report (int_indicator_values_deduplicated: table before prose). Blank values are not counted.

with

reports as (
    select * from {{ ref('int_reports_ranked') }}
    where is_current
        and report_year is not null
),

indicator_values as (
    select * from {{ ref('int_indicator_values_deduplicated') }}
),

joined as (
    select
        indicator_values.indicator_code,
        indicator_values.breakdown,
        reports.report_year,
        indicator_values.value
    from indicator_values
    inner join reports
        on indicator_values.report_id = reports.report_id
),

final as (
    select
        indicator_code,
        breakdown,
        report_year,
        count(value) as reports,
        count(*) - count(value) as reports_blank,
        sum(value) as total,
        avg(value) as mean,
        median(value) as median,
        min(value) as min,
        max(value) as max
    from joined
    group by indicator_code, breakdown, report_year
)

select * from final

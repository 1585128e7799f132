-- Distribution of each indicator and breakdown (the column of a gov table cell, '' for single-column
-- rows) per report year over current reports, one value per report (int_indicator_values_deduplicated:
-- table before prose). Blank values are not counted. unit is the catalogue unit of the cell (breakdown
-- override, e.g. 表二 项 / 万元), else of the indicator; templates lists the report templates counted,
-- so that a code shared by the gov2019 and gov2021 tables can be read per family.
-- Incremental by report year (macros/incremental_years.sql): a refresh rebuilds only the years whose
-- reports changed.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_unsigned_rows(year_signatures(), 'year_signature') }}",
) }}

with

years_to_build as (
    {{ signed_rows_to_build(year_signatures(), 'year_signature') }}
),

reports as (
    select * from {{ ref('int_reports_ranked') }}
    where is_current
        and report_year in (select report_year from years_to_build)
),

indicator_values as (
    select * from {{ ref('int_indicator_values_deduplicated') }}
),

catalogue_cells as (
    select * from {{ ref('int_catalogue_cells') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

-- one unit per (indicator, breakdown) across templates (tested on int_catalogue_cells)
cell_units as (
    select
        indicator_code,
        breakdown,
        min(unit) as unit
    from catalogue_cells
    group by indicator_code, breakdown
),

joined as (
    select
        indicator_values.indicator_code,
        indicator_values.breakdown,
        reports.report_year,
        reports.template,
        indicator_values.value
    from indicator_values
    inner join reports
        on indicator_values.report_id = reports.report_id
),

aggregated as (
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
        max(value) as max,
        list(distinct template order by template) as templates
    from joined
    group by indicator_code, breakdown, report_year
),

final as (
    select
        aggregated.indicator_code,
        aggregated.breakdown,
        aggregated.report_year,
        coalesce(cell_units.unit, indicators.unit) as unit,
        aggregated.templates,
        aggregated.reports,
        aggregated.reports_blank,
        aggregated.total,
        aggregated.mean,
        aggregated.median,
        aggregated.min,
        aggregated.max,
        years_to_build.year_signature
    from aggregated
    inner join years_to_build
        on aggregated.report_year = years_to_build.report_year
    left join cell_units
        on aggregated.indicator_code = cell_units.indicator_code
        and aggregated.breakdown = cell_units.breakdown
    left join indicators
        on aggregated.indicator_code = indicators.indicator_code
)

select * from final

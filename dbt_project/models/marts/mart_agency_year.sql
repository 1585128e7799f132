-- One row per agency and report year, from the current report only, with the headline indicators
-- pivoted into columns. Which cells fill which column is data (seed headline_indicators: the conformed
-- mapping across template families); the column list is the headline_columns() macro. Values come from
-- int_indicator_values_deduplicated: the statistics table when it states the value, else prose. A
-- mapping applies to a report when its `template` is the report's template, its template family (gov =
-- gov2019 and gov2021) or 'any'; the cells it lists for one indicator are summed into one figure, stated
-- only when every cell is (lawsuits = 未经复议直接起诉/总计 + 复议后起诉/总计). A column is NULL when the
-- report does not state the value (blank or absent), never 0; a value stated as none (qualifier
-- stated_none) is 0. Approximate headline values are never silently exact: inexact_headlines lists
-- 'column:qualifier' for values read as approx (约30) or at_least (100余), stated_none_headlines the
-- columns stated as none.
-- Incremental by report (macros/incremental_years.sql): a refresh rebuilds the rows of new or changed
-- reports and of agencies whose dim_agency row changed.
{%- set columns = headline_columns() %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_unsigned_rows(agency_year_signatures(), 'row_signature') }}",
) }}

with

to_build as (
    {{ signed_rows_to_build(agency_year_signatures(), 'row_signature') }}
),

reports as (
    select * from {{ ref('int_reports_ranked') }}
    where is_current
        and agency_id is not null
        and report_year is not null
        and report_id in (select report_id from to_build)
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

template_families as (
    select * from {{ ref('template_families') }}
),

indicator_values as (
    select * from {{ ref('int_indicator_values_deduplicated') }}
    where value is not null
        and report_id in (select report_id from to_build)
),

headline_indicators as (
    select
        headline_column,
        template,
        indicator_code,
        coalesce(breakdown, '') as breakdown
    from {{ ref('headline_indicators') }}
),

violations as (
    select * from {{ ref('fct_check_violation') }}
    where report_id in (select report_id from to_build)
),

report_scopes as (
    {{ template_scopes('reports', 'template_families') }}
),

headline_cells as (
    select
        *,
        count(*) over (partition by headline_column, template, indicator_code) as n_cells
    from headline_indicators
),

-- one figure per report, column and mapped indicator: the sum of its listed cells, when all are stated
headline_values as (
    select
        indicator_values.report_id,
        headline_cells.headline_column,
        headline_cells.indicator_code,
        any_value(report_scopes.scope_rank) as scope_rank,
        sum(indicator_values.value) as value,
        case
            when count(*) = 1 then any_value(indicator_values.qualifier)
            when bool_or(indicator_values.qualifier = 'approx') then 'approx'
            when bool_or(indicator_values.qualifier = 'at_least') then 'at_least'
            when bool_and(indicator_values.qualifier = 'stated_none') then 'stated_none'
            else 'exact'
        end as qualifier
    from headline_cells
    inner join report_scopes
        on headline_cells.template = report_scopes.scope
    inner join indicator_values
        on indicator_values.report_id = report_scopes.report_id
        and indicator_values.indicator_code = headline_cells.indicator_code
        and indicator_values.breakdown = headline_cells.breakdown
    group by indicator_values.report_id, headline_cells.headline_column, headline_cells.template, headline_cells.indicator_code
    having count(*) = any_value(headline_cells.n_cells)
),

-- several figures may fill one column: a mapping for the report's own template or family (its table)
-- before a generic one (template any: prose restating a figure, pre2019 codes); then (mixed labels)
-- the largest value, an exact statement before an inexact one of the same value
chosen as (
    select *
    from headline_values
    qualify row_number() over (
        partition by report_id, headline_column
        order by
            scope_rank,
            value desc,
            case qualifier when 'exact' then 0 when 'stated_none' then 1 else 2 end,
            indicator_code
    ) = 1
),

pivoted as (
    select
        report_id,
        {%- for column in columns %}
        max(value) filter (where headline_column = '{{ column }}') as {{ column }},
        {%- endfor %}
        list(headline_column || ':' || qualifier order by {{ column_position('headline_column', columns) }})
            filter (where qualifier in ('approx', 'at_least')) as inexact_headlines,
        list(headline_column order by {{ column_position('headline_column', columns) }})
            filter (where qualifier = 'stated_none') as stated_none_headlines
    from chosen
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
        coalesce(pivoted.inexact_headlines, []::varchar[]) as inexact_headlines,
        coalesce(pivoted.stated_none_headlines, []::varchar[]) as stated_none_headlines,
        coalesce(violation_counts.violation_count, 0) as violation_count,
        to_build.row_signature
    from reports
    inner join to_build
        on reports.report_id = to_build.report_id
    left join agencies
        on reports.agency_id = agencies.agency_id
    left join pivoted
        on reports.report_id = pivoted.report_id
    left join violation_counts
        on reports.report_id = violation_counts.report_id
)

select * from final

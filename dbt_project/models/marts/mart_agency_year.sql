-- One row per agency and report year, from the current report only, with the headline indicators
-- pivoted into columns. Which indicator fills which column is data (seed headline_indicators); the
-- column list is the headline_columns() macro. Values come from int_indicator_values_deduplicated:
-- the statistics table when it states the value, else prose. A column is NULL when the report does
-- not state the value (blank or absent), never 0; a value stated as none (qualifier stated_none) is 0.
-- Approximate headline values are never silently exact: inexact_headlines lists 'column:qualifier'
-- for values read as approx (约30) or at_least (100余), stated_none_headlines the columns stated as none.
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
        and value is not null
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
        indicator_values.indicator_code,
        indicator_values.value,
        indicator_values.qualifier
    from indicator_values
    inner join headline_indicators
        on indicator_values.indicator_code = headline_indicators.indicator_code
),

-- several indicators may fill one column (mixed labels): the largest value wins, an exact statement
-- before an inexact one of the same value
chosen as (
    select *
    from headline_values
    qualify row_number() over (
        partition by report_id, headline_column
        order by
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

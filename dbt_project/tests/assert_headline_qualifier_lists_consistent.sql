-- mart_agency_year: a column listed in stated_none_headlines is 0, a column listed in
-- inexact_headlines has a value, and the lists only name headline columns.
{%- set columns = headline_columns() %}

with

agency_years as (
    select * from {{ ref('mart_agency_year') }}
),

listed as (
    select report_id, split_part(item, ':', 1) as headline_column, 'inexact' as list_name
    from agency_years, unnest(inexact_headlines) as items(item)
    union all
    select report_id, item, 'stated_none'
    from agency_years, unnest(stated_none_headlines) as items(item)
),

checked as (
    select
        listed.report_id,
        listed.headline_column,
        listed.list_name,
        case listed.headline_column
            {%- for column in columns %}
            when '{{ column }}' then agency_years.{{ column }}
            {%- endfor %}
        end as value,
        listed.headline_column in (
            {%- for column in columns %}'{{ column }}'{{ ', ' if not loop.last }}{% endfor -%}
        ) as is_headline_column
    from listed
    inner join agency_years
        on listed.report_id = agency_years.report_id
)

select *
from checked
where not is_headline_column
    or value is null
    or (list_name = 'stated_none' and value <> 0)

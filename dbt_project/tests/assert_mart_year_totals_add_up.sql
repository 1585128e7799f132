-- Every headline total of mart_year is the sum of the same column over the year's rows of
-- mart_agency_year, whichever template each agency's report has (pre2019, gov2019, gov2021, prose).
{%- set columns = headline_columns() %}

with

years as (
    select * from {{ ref('mart_year') }}
),

agency_years as (
    select * from {{ ref('mart_agency_year') }}
),

summed as (
    select
        report_year,
        {%- for column in columns %}
        sum({{ column }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from agency_years
    group by report_year
)

{% for column in columns %}
select years.report_year, '{{ column }}' as headline_column, years.{{ column }} as total, summed.{{ column }} as summed
from years
left join summed
    on years.report_year = summed.report_year
where years.{{ column }} is distinct from summed.{{ column }}
{{ 'union all' if not loop.last }}
{% endfor %}

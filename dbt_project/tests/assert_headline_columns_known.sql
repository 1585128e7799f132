-- Every headline_column of the headline_indicators seed is a column of mart_agency_year
-- (the headline_columns() macro); a new column needs the macro and the marts YAML updated.
{%- set columns = headline_columns() %}

select headline_column, indicator_code
from {{ ref('headline_indicators') }}
where headline_column not in (
    {%- for column in columns %}'{{ column }}'{{ ',' if not loop.last }}{% endfor -%}
)

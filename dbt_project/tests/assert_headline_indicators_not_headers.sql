-- A headline figure must come from a statistic row, not from a grouping (header) row.

select headline_indicators.headline_column, headline_indicators.indicator_code
from {{ ref('headline_indicators') }} as headline_indicators
inner join {{ ref('indicator_catalogue') }} as catalogue
    on headline_indicators.indicator_code = catalogue.indicator_code
where catalogue.is_header

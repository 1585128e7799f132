-- A headline figure must come from a statistic row, not from a grouping (header) row, in every template
-- the mapping applies to.

with

headline_indicators as (
    select * from {{ ref('headline_indicators') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

families as (
    select * from {{ ref('template_families') }}
)

select headline_indicators.headline_column, headline_indicators.indicator_code, catalogue.template
from headline_indicators
inner join catalogue
    on headline_indicators.indicator_code = catalogue.indicator_code
inner join families
    on catalogue.template = families.template
where catalogue.is_header
    and headline_indicators.template in ('any', families.template, families.template_family)

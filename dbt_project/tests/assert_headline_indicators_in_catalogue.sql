-- Every cell of the conformed headline mapping (indicator_code, breakdown; blank = '') is a cell of the
-- catalogue in a template the mapping applies to (its template, a template of its family, or any), and
-- the mapping's template is a known template, family or 'any'.

with

headline_indicators as (
    select
        headline_column,
        template,
        indicator_code,
        coalesce(breakdown, '') as breakdown
    from {{ ref('headline_indicators') }}
),

cells as (
    select * from {{ ref('int_catalogue_cells') }}
),

families as (
    select * from {{ ref('template_families') }}
)

select headline_indicators.*, 'no such cell in the templates of ' || headline_indicators.template as problem
from headline_indicators
where not exists (
    select 1
    from cells
    inner join families
        on cells.template = families.template
    where cells.indicator_code = headline_indicators.indicator_code
        and cells.breakdown = headline_indicators.breakdown
        and headline_indicators.template in ('any', families.template, families.template_family)
)

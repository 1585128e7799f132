-- One row per cell of the catalogue's tables: (template, indicator_code, breakdown). A row with a
-- breakdown_set (gov2019/gov2021 matrix rows: 表三 applicant columns, 表四 result columns, 表二 item
-- columns) has one cell per label of its set; any other row has the single cell breakdown ''. The
-- cell's unit is the breakdown's unit override (表二: 项 for item counts, 万元 for amounts) or the row's.

with

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

breakdown_sets as (
    select * from {{ ref('breakdown_sets') }}
),

cells as (
    select
        catalogue.template,
        catalogue.indicator_code,
        coalesce(breakdown_sets.breakdown, '') as breakdown,
        catalogue.breakdown_set,
        breakdown_sets.position as breakdown_position,
        breakdown_sets.name_en as breakdown_name_en,
        catalogue.table_no,
        catalogue.row_order,
        catalogue.label_prefix,
        catalogue.name_zh,
        catalogue.name_en,
        coalesce(breakdown_sets.unit, catalogue.unit) as unit,
        catalogue.unit as row_unit,
        catalogue.is_header
    from catalogue
    left join breakdown_sets
        on catalogue.breakdown_set = breakdown_sets.breakdown_set
),

final as (
    select * from cells
)

select * from final

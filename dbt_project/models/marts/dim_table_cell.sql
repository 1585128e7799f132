-- The breakdown dimension: one row per cell of a template's tables (template, indicator_code,
-- breakdown), from the catalogue rows and seed breakdown_sets (int_catalogue_cells). gov2019/gov2021
-- matrix rows have one cell per column of their breakdown set (表三: 自然人 … 总计; 表四: 行政复议/结果维持
-- … 复议后起诉/总计; 表二: the item columns), every other row the single cell ''. unit is the cell's
-- (breakdown override, else the row's unit).

with

cells as (
    select * from {{ ref('int_catalogue_cells') }}
),

final as (
    select
        {{ surrogate_key(['template', 'indicator_code', 'breakdown']) }} as cell_id,
        template,
        indicator_code,
        breakdown,
        table_no,
        row_order,
        label_prefix,
        name_zh,
        breakdown_set,
        breakdown_position,
        breakdown_name_en,
        unit,
        row_unit,
        is_header
    from cells
)

select * from final

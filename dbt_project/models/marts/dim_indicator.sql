-- One row per indicator of the statistics tables (seed indicator_catalogue).

with

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

final as (
    select
        indicator_code,
        name_zh,
        name_en,
        unit,
        parent_code,
        template,
        row_order,
        is_header,
        label_prefix
    from catalogue
)

select * from final

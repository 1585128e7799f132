with

source as (
    select * from {{ source('staging', 'stg_value_relations') }}
),

renamed as (
    select
        cast(report_id as varchar) as report_id,
        cast(relation_id as varchar) as relation_id,
        cast(relation_kind as varchar) as relation_kind,
        cast(parent_indicator_code as varchar) as parent_indicator_code,
        cast(parent_breakdown as varchar) as parent_breakdown,
        cast(child_indicator_code as varchar) as child_indicator_code,
        cast(child_breakdown as varchar) as child_breakdown,
        cast(source_line as integer) as source_line
    from source
),

final as (
    select * from renamed
)

select * from final

with

source as (
    select * from {{ source('staging', 'stg_quarantine') }}
),

renamed as (
    select
        cast(report_id as varchar) as report_id,
        cast(source_file as varchar) as source_file,
        cast(reason as varchar) as quarantine_reason,
        cast(detail as varchar) as quarantine_detail,
        cast(parser_version as varchar) as parser_version
    from source
),

final as (
    select * from renamed
)

select * from final

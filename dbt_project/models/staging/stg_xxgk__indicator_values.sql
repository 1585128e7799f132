with

source as (
    select * from {{ source('staging', 'stg_indicator_values') }}
),

renamed as (
    select
        cast(report_id as varchar) as report_id,
        cast(indicator_code as varchar) as indicator_code,
        cast(breakdown as varchar) as breakdown,
        cast(source_kind as varchar) as source_kind,
        cast(raw_label as varchar) as raw_label,
        cast(unit as varchar) as unit,
        cast(raw_value as varchar) as raw_value,
        cast(value as double) as value,
        cast(qualifier as varchar) as qualifier,
        cast(source_line as integer) as source_line,
        cast(evidence as varchar) as evidence
    from source
),

final as (
    select * from renamed
)

select * from final

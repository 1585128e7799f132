with

source as (
    select * from {{ source('staging', 'stg_report_sections') }}
),

renamed as (
    select
        cast(report_id as varchar) as report_id,
        cast(section_no as integer) as section_no,
        cast(heading as varchar) as heading,
        cast(start_line as integer) as start_line,
        cast(end_line as integer) as end_line,
        cast(text as varchar) as section_text
    from source
),

final as (
    select * from renamed
)

select * from final

with

source as (
    select * from {{ source('staging', 'raw_files') }}
),

renamed as (
    select
        cast(path as varchar) as source_file,
        cast(sha256 as varchar) as report_id,
        cast(size_bytes as bigint) as size_bytes,
        cast(mtime_ns as bigint) as mtime_ns,
        make_timestamp(cast(mtime_ns // 1000 as bigint)) as modified_at
    from source
),

final as (
    select * from renamed
)

select * from final

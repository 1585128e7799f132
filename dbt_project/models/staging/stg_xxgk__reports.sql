with

source as (
    select * from {{ source('staging', 'stg_reports') }}
),

renamed as (
    select
        cast(report_id as varchar) as report_id,
        cast(source_file as varchar) as source_file,
        cast(encoding as varchar) as encoding,
        cast(title as varchar) as title,
        cast(title_line as integer) as title_line,
        cast(agency_name as varchar) as agency_name,
        cast(agency_short_name as varchar) as agency_short_name,
        cast(agency_level as varchar) as agency_level,
        cast(province as varchar) as province,
        cast(city as varchar) as city,
        cast(county as varchar) as county,
        cast(region_source as varchar) as region_source,
        cast(report_year as integer) as report_year,
        cast(publish_date as date) as publish_date,
        cast(template as varchar) as template,
        cast(contact_address as varchar) as contact_address,
        cast(contact_postcode as varchar) as contact_postcode,
        cast(contact_phone as varchar) as contact_phone,
        cast(contact_email as varchar) as contact_email,
        cast(contact_website as varchar) as contact_website,
        cast(cleaning_flags as varchar[]) as cleaning_flags,
        cast(table_start_line as integer) as table_start_line,
        cast(n_lines as integer) as n_lines,
        cast(n_chars as bigint) as n_chars,
        cast(parser_version as varchar) as parser_version
    from source
),

final as (
    select * from renamed
)

select * from final

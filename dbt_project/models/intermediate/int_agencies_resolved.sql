-- One row per report: the agency that published it, with a stable identity.
-- agency_id is a hash of the agency name with all whitespace removed, so "灵武市 临河镇" and
-- "灵武市临河镇" are one agency. Region columns are placeholders until the parser extracts them.

with

reports as (
    select * from {{ ref('stg_xxgk__reports') }}
),

normalised as (
    select
        report_id,
        agency_name,
        {{ normalise_agency_name('agency_name') }} as agency_name_normalised,
        agency_level
    from reports
),

final as (
    select
        report_id,
        case
            when agency_name_normalised is not null
                then substr(md5(agency_name_normalised), 1, 16)
        end as agency_id,
        agency_name,
        agency_name_normalised,
        agency_level,
        cast(null as varchar) as province,
        cast(null as varchar) as city,
        cast(null as varchar) as county
    from normalised
)

select * from final

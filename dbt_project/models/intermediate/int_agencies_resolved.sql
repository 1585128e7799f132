-- One row per report: the agency that published it, with an identity that is stable across years.
--
-- An agency is identified by where it sits and its own name, not by how its title is prefixed: the
-- 2017 report "观水镇" (region found in the text: 山东省/烟台市/牟平区) and the 2018 report "牟平区观水镇"
-- (region from the title) are one agency. agency_key is
--   province|city|county|agency_short_name   when the short name and at least the province are known
--                                            (unknown city or county as ''; agency_identity_basis 'region')
--   agency_name                              otherwise (agency_identity_basis 'name')
-- every part with all whitespace removed; agency_id is the first 16 hex digits of md5(agency_key).
-- Reports with neither a short name + province nor a name have no agency (NULL).

with

reports as (
    select * from {{ ref('stg_xxgk__reports') }}
),

normalised as (
    select
        report_id,
        agency_name,
        agency_short_name,
        agency_level,
        province,
        city,
        county,
        region_source,
        {{ normalise_agency_name('agency_name') }} as agency_name_normalised,
        {{ normalise_agency_name('agency_short_name') }} as agency_short_name_normalised,
        {{ normalise_agency_name('province') }} as province_normalised,
        {{ normalise_agency_name('city') }} as city_normalised,
        {{ normalise_agency_name('county') }} as county_normalised
    from reports
),

keyed as (
    select
        *,
        case
            when agency_short_name_normalised is not null and province_normalised is not null
                then 'region'
            when agency_name_normalised is not null
                then 'name'
        end as agency_identity_basis,
        case
            when agency_short_name_normalised is not null and province_normalised is not null
                then concat_ws(
                    '|',
                    province_normalised,
                    coalesce(city_normalised, ''),
                    coalesce(county_normalised, ''),
                    agency_short_name_normalised
                )
            else agency_name_normalised
        end as agency_key
    from normalised
),

final as (
    select
        report_id,
        substr(md5(agency_key), 1, 16) as agency_id,
        agency_key,
        agency_identity_basis,
        agency_name,
        agency_name_normalised,
        agency_short_name,
        agency_level,
        province,
        city,
        county,
        region_source
    from keyed
)

select * from final

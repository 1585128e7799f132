-- One row per report: the agency that published it, with an identity that is stable across years.
--
-- An agency is identified by where it sits and its own name, not by how its title is prefixed: the
-- 2017 report "观水镇" (region found in the text: 山东省/烟台市/牟平区) and the 2018 report "牟平区观水镇"
-- (region from the title) are one agency. agency_key is
--   province|city|county|agency_short_name   when the short name and at least the province are known
--                                            and the region is resolved as deep as the agency's level
--                                            requires (seed agency_levels: a township or county
--                                            department its county, a city department its city;
--                                            unknown city or county as ''; agency_identity_basis
--                                            'region')
--   province|city|county|agency_name         when the region is resolved less deeply than that: the full
--                                            name keeps the prefix the short name drops, so 市中区财政局
--                                            (乐山市, county unresolved: 市中区 is five districts) is not
--                                            乐山市财政局 (agency_identity_basis 'partial_region')
--   agency_name                              otherwise (agency_identity_basis 'name')
-- every part with all whitespace removed; agency_id is the first 16 hex digits of md5(agency_key).
-- Reports with neither a short name + province nor a name have no agency (NULL).

with

reports as (
    select * from {{ ref('stg_xxgk__reports') }}
),

agency_levels as (
    select * from {{ ref('agency_levels') }}
),

normalised as (
    select
        reports.report_id,
        reports.agency_name,
        reports.agency_short_name,
        reports.agency_level,
        reports.province,
        reports.city,
        reports.county,
        reports.region_source,
        {{ normalise_agency_name('agency_name') }} as agency_name_normalised,
        {{ normalise_agency_name('agency_short_name') }} as agency_short_name_normalised,
        {{ normalise_agency_name('province') }} as province_normalised,
        {{ normalise_agency_name('city') }} as city_normalised,
        {{ normalise_agency_name('county') }} as county_normalised,
        -- how deep the region is resolved: 1 province, 2 city, 3 county (a county-level city directly
        -- under its province has a county and no city)
        case
            when reports.county is not null then 3
            when reports.city is not null then 2
            when reports.province is not null then 1
            else 0
        end as resolved_depth,
        agency_levels.region_depth as required_depth
    from reports
    left join agency_levels
        on reports.agency_level = agency_levels.agency_level
),

keyed as (
    select
        *,
        case
            when agency_short_name_normalised is not null and province_normalised is not null
                and resolved_depth >= coalesce(required_depth, 1)
                then 'region'
            when agency_name_normalised is not null and province_normalised is not null
                and resolved_depth < required_depth
                then 'partial_region'
            when agency_name_normalised is not null
                then 'name'
        end as agency_identity_basis
    from normalised
),

identified as (
    select
        *,
        case
            when agency_identity_basis = 'name' then agency_name_normalised
            when agency_identity_basis in ('region', 'partial_region') then concat_ws(
                '|',
                province_normalised,
                coalesce(city_normalised, ''),
                coalesce(county_normalised, ''),
                case agency_identity_basis
                    when 'region' then agency_short_name_normalised
                    else agency_name_normalised
                end
            )
        end as agency_key
    from keyed
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
    from identified
)

select * from final

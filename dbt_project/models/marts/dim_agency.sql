-- One row per agency (reports whose agency could not be identified have no agency). agency_id is
-- stable across years and title prefixes (int_agencies_resolved). Name, short name and level come
-- from the agency's most recent report that states them; the region (province, city, county and how
-- it was resolved) is taken as one unit from the most recent report that states a province.

with

reports as (
    select * from {{ ref('int_reports_ranked') }}
    where agency_id is not null
),

agencies as (
    select * from {{ ref('int_agencies_resolved') }}
),

joined as (
    select
        reports.agency_id,
        reports.report_id,
        reports.report_year,
        reports.publish_date,
        reports.source_file,
        agencies.agency_identity_basis,
        agencies.agency_name,
        agencies.agency_short_name,
        agencies.agency_level,
        case
            when agencies.province is not null
                then {
                    'province': agencies.province,
                    'city': agencies.city,
                    'county': agencies.county,
                    'region_source': agencies.region_source
                }
        end as region
    from reports
    inner join agencies
        on reports.report_id = agencies.report_id
),

latest as (
    select distinct
        agency_id,
        first_value(agency_identity_basis ignore nulls) over recency as agency_identity_basis,
        first_value(agency_name ignore nulls) over recency as agency_name,
        first_value(agency_short_name ignore nulls) over recency as agency_short_name,
        first_value(agency_level ignore nulls) over recency as agency_level,
        first_value(region ignore nulls) over recency as region
    from joined
    window recency as (
        partition by agency_id
        order by report_year desc nulls last, publish_date desc nulls last, source_file asc, report_id asc
        rows between unbounded preceding and unbounded following
    )
),

counts as (
    select
        agency_id,
        min(report_year) as first_year,
        max(report_year) as last_year,
        count(distinct report_year) as n_years,
        count(*) as n_reports
    from joined
    group by agency_id
),

final as (
    select
        latest.agency_id,
        latest.agency_name,
        latest.agency_short_name,
        latest.agency_level,
        latest.region.province as province,
        latest.region.city as city,
        latest.region.county as county,
        latest.region.region_source as region_source,
        latest.agency_identity_basis,
        counts.first_year,
        counts.last_year,
        counts.n_years,
        counts.n_reports
    from latest
    inner join counts
        on latest.agency_id = counts.agency_id
)

select * from final

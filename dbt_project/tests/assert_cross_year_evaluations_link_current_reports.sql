-- Every cross-year evaluation compares two CURRENT reports of ONE agency, the related one of the year
-- given by the rule's year_offset: so int_rule_evaluations (rebuilt on every dbt build) always links the
-- reports the marts show, and a corrected report of either year replaces the one compared.

with

evaluations as (
    select * from {{ ref('int_rule_evaluations') }}
    where related_report_id is not null
),

reports as (
    select * from {{ ref('int_reports_ranked') }}
),

offsets as (
    select rule_id, min(year_offset) as year_offset
    from {{ ref('check_rule_terms') }}
    where year_offset <> 0
    group by rule_id
)

select evaluations.evaluation_id, evaluations.report_id, evaluations.related_report_id
from evaluations
inner join reports as anchor
    on evaluations.report_id = anchor.report_id
inner join reports as related
    on evaluations.related_report_id = related.report_id
left join offsets
    on evaluations.rule_id = offsets.rule_id
where not anchor.is_current
    or not related.is_current
    or anchor.agency_id is distinct from related.agency_id
    or related.report_year is distinct from anchor.report_year + offsets.year_offset
    or evaluations.related_source_file is distinct from related.source_file

-- One row per failed rule evaluation: per report and rule (and breakdown) for sums, per offending
-- (parent, child) pair for at_most_parent, per offending value for non_negative, per prose relation
-- for prose_sum, per value stated differently in table and prose for text_vs_table.

with

evaluations as (
    select * from {{ ref('int_rule_evaluations') }}
),

reports as (
    select * from {{ ref('int_reports_ranked') }}
),

final as (
    select
        evaluations.evaluation_id as violation_id,
        evaluations.report_id,
        reports.agency_id,
        reports.report_year,
        evaluations.rule_id,
        evaluations.rule_kind,
        evaluations.expectation_suite,
        evaluations.rule_description,
        evaluations.relation_id,
        evaluations.breakdown,
        evaluations.parent_indicator_code,
        evaluations.child_indicator_code,
        evaluations.parent_value,
        evaluations.children_value,
        evaluations.difference,
        evaluations.has_inexact_value,
        reports.source_file,
        reports.is_current
    from evaluations
    inner join reports
        on evaluations.report_id = reports.report_id
    where not evaluations.holds
)

select * from final

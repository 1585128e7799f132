-- One row per failed rule evaluation: per report, rule and parent cell for sums; per offending
-- (parent, child) pair for at_most_parent; per offending value for non_negative; per incomplete table
-- for table_complete; per prose relation for prose_sum; per figure stated differently in table and
-- prose for text_vs_table; and for cross-year rules per parent cell of the later report, naming the
-- earlier report it was compared with (related_report_id).

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
        evaluations.child_breakdown,
        evaluations.parent_value,
        evaluations.children_value,
        evaluations.difference,
        evaluations.has_inexact_value,
        evaluations.detail,
        reports.source_file,
        reports.is_current,
        evaluations.related_report_id,
        related.report_year as related_report_year,
        related.source_file as related_source_file
    from evaluations
    inner join reports
        on evaluations.report_id = reports.report_id
    left join reports as related
        on evaluations.related_report_id = related.report_id
    where not evaluations.holds
)

select * from final

{{ config(materialized='table') }}

-- One row per evaluation of a consistency rule (seeds check_rules + check_rule_terms) on a report,
-- using statistics-table values only (source_kind = 'table'):
--   sum_equals      one row per report, rule and breakdown; evaluated only when the parent and ALL
--                   the rule's terms are stated (non-NULL): a blank never makes a false failure.
--   at_most_parent  one row per (parent, child) term pair stated on both sides: child <= parent.
--   non_negative    one row per stated value of a report of the rule's template: value >= 0.
-- Rules apply to reports of their template only. Great Expectations validates this table from
-- Dagster (orchestration/lib/quality.py): keep parent_value, children_value, rule_id, report_id,
-- source_file, parent_indicator_code and child_indicator_code.

with

reports as (
    select * from {{ ref('stg_xxgk__reports') }}
),

indicator_values as (
    select * from {{ ref('stg_xxgk__indicator_values') }}
),

rules as (
    select * from {{ ref('check_rules') }}
),

rule_terms as (
    select * from {{ ref('check_rule_terms') }}
),

table_values as (
    select
        indicator_values.report_id,
        reports.source_file,
        reports.template,
        indicator_values.indicator_code,
        indicator_values.breakdown,
        indicator_values.value,
        indicator_values.qualifier
    from indicator_values
    inner join reports
        on indicator_values.report_id = reports.report_id
    where indicator_values.source_kind = 'table'
        and indicator_values.value is not null
),

terms as (
    select
        rules.rule_id,
        rules.template,
        rules.rule_kind,
        rules.description as rule_description,
        rule_terms.parent_code,
        rule_terms.child_code
    from rule_terms
    inner join rules
        on rule_terms.rule_id = rules.rule_id
),

-- sum_equals ---------------------------------------------------------------------------------------

sum_parents as (
    select
        rule_id,
        template,
        rule_kind,
        rule_description,
        parent_code,
        count(distinct child_code) as n_terms
    from terms
    where rule_kind = 'sum_equals'
    group by all
),

sum_children as (
    select
        terms.rule_id,
        terms.parent_code,
        child.report_id,
        child.breakdown,
        count(distinct child.indicator_code) as n_terms_stated,
        -- rounded so that 0.1 + 0.2 equals 0.3: GE's sum_equals suite compares with exact equality
        round(sum(child.value), 6) as children_value,
        count(*) filter (where child.qualifier in ('approx', 'at_least')) as n_inexact
    from terms
    inner join table_values as child
        on child.template = terms.template
        and child.indicator_code = terms.child_code
    where terms.rule_kind = 'sum_equals'
    group by all
),

sum_evaluations as (
    select
        parent.report_id,
        parent.source_file,
        sum_parents.rule_id,
        sum_parents.rule_kind,
        sum_parents.rule_description,
        parent.breakdown,
        sum_parents.parent_code as parent_indicator_code,
        cast(null as varchar) as child_indicator_code,
        parent.value as parent_value,
        sum_children.children_value,
        sum_children.n_inexact > 0 or coalesce(parent.qualifier in ('approx', 'at_least'), false)
            as has_inexact_value
    from sum_parents
    inner join table_values as parent
        on parent.template = sum_parents.template
        and parent.indicator_code = sum_parents.parent_code
    inner join sum_children
        on sum_children.rule_id = sum_parents.rule_id
        and sum_children.parent_code = sum_parents.parent_code
        and sum_children.report_id = parent.report_id
        and sum_children.breakdown is not distinct from parent.breakdown
    where sum_children.n_terms_stated = sum_parents.n_terms
),

-- at_most_parent -----------------------------------------------------------------------------------

pair_evaluations as (
    select
        parent.report_id,
        parent.source_file,
        terms.rule_id,
        terms.rule_kind,
        terms.rule_description,
        parent.breakdown,
        terms.parent_code as parent_indicator_code,
        terms.child_code as child_indicator_code,
        parent.value as parent_value,
        child.value as children_value,
        coalesce(parent.qualifier in ('approx', 'at_least') or child.qualifier in ('approx', 'at_least'), false)
            as has_inexact_value
    from terms
    inner join table_values as parent
        on parent.template = terms.template
        and parent.indicator_code = terms.parent_code
    inner join table_values as child
        on child.report_id = parent.report_id
        and child.breakdown is not distinct from parent.breakdown
        and child.indicator_code = terms.child_code
    where terms.rule_kind = 'at_most_parent'
),

-- non_negative -------------------------------------------------------------------------------------

non_negative_evaluations as (
    select
        table_values.report_id,
        table_values.source_file,
        rules.rule_id,
        rules.rule_kind,
        rules.description as rule_description,
        table_values.breakdown,
        table_values.indicator_code as parent_indicator_code,
        cast(null as varchar) as child_indicator_code,
        table_values.value as parent_value,
        cast(0 as double) as children_value,
        coalesce(table_values.qualifier in ('approx', 'at_least'), false) as has_inexact_value
    from rules
    inner join table_values
        on table_values.template = rules.template
    where rules.rule_kind = 'non_negative'
),

unioned as (
    select * from sum_evaluations
    union all by name
    select * from pair_evaluations
    union all by name
    select * from non_negative_evaluations
),

final as (
    select
        {{ surrogate_key(['report_id', 'rule_id', 'breakdown', 'parent_indicator_code', 'child_indicator_code']) }}
            as evaluation_id,
        report_id,
        source_file,
        rule_id,
        rule_kind,
        rule_description,
        breakdown,
        parent_indicator_code,
        child_indicator_code,
        parent_value,
        children_value,
        parent_value - children_value as difference,
        case rule_kind
            when 'sum_equals'
                then abs(parent_value - children_value) <= {{ var('check_tolerance') }}
            when 'at_most_parent'
                then children_value <= parent_value
            when 'non_negative'
                then parent_value >= 0
        end as holds,
        has_inexact_value
    from unioned
)

select * from final

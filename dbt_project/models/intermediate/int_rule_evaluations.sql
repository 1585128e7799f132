{{ config(materialized='table') }}

-- One row per evaluation of a consistency rule (seeds check_rules + check_rule_terms) on a report.
-- A rule applies to the reports of its template (template 'any': every report). Only stated
-- (non-NULL) values are ever compared: a blank never makes a false failure.
--
--   sum_equals      table values only. One row per report, rule, parent and breakdown; evaluated only
--                   when the parent and ALL the rule's terms are stated.
--   at_most_parent  table values only. One row per (parent, child) term pair stated on both sides.
--   non_negative    table values only. One row per stated value.
--   prose_sum       prose values only. One row per report and relation_id of stg_xxgk__value_relations
--                   (relation_kind prose_sum): parent_value = the prose value of the relation's parent
--                   indicator + breakdown, children_value = Σ the prose values of its parts; evaluated
--                   only when the parent and every part are stated.
--   text_vs_table   one row per report, indicator and breakdown stated both in the table and in prose:
--                   parent_value = table value, children_value = prose value. Only exact prose values
--                   (qualifier exact or stated_none) are compared: "1200余条" (at_least) or "约30人"
--                   (approx) cannot be checked for equality, so they are skipped (as are the rare
--                   inexact table cells).
--
-- Whether an evaluation holds follows the rule's expectation_suite, the Great Expectations suite that
-- validates the same rows from Dagster (orchestration/lib/quality.py): equal_values
-- (|parent − children| ≤ var check_tolerance), at_most_parent (children ≤ parent), non_negative
-- (parent ≥ 0). GE reads report_id, source_file, parent_indicator_code, child_indicator_code,
-- breakdown, relation_id, parent_value, children_value and filters on rule_id.

with

reports as (
    select * from {{ ref('stg_xxgk__reports') }}
),

indicator_values as (
    select * from {{ ref('stg_xxgk__indicator_values') }}
),

value_relations as (
    select * from {{ ref('stg_xxgk__value_relations') }}
),

rules as (
    select
        rule_id,
        template,
        rule_kind,
        expectation_suite,
        description as rule_description
    from {{ ref('check_rules') }}
),

rule_terms as (
    select * from {{ ref('check_rule_terms') }}
),

stated_values as (
    select
        indicator_values.report_id,
        reports.source_file,
        reports.template,
        indicator_values.indicator_code,
        indicator_values.breakdown,
        indicator_values.source_kind,
        indicator_values.value,
        indicator_values.qualifier,
        coalesce(indicator_values.qualifier in ('approx', 'at_least'), false) as is_inexact
    from indicator_values
    inner join reports
        on indicator_values.report_id = reports.report_id
    where indicator_values.value is not null
),

table_values as (
    select * from stated_values
    where source_kind = 'table'
),

prose_values as (
    select * from stated_values
    where source_kind = 'prose'
),

terms as (
    select
        rules.rule_id,
        rules.template,
        rules.rule_kind,
        rules.expectation_suite,
        rules.rule_description,
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
        expectation_suite,
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
        -- rounded so that 0.1 + 0.2 equals 0.3: GE's equal_values suite compares with exact equality
        round(sum(child.value), 6) as children_value,
        count(*) filter (where child.is_inexact) as n_inexact
    from terms
    inner join table_values as child
        on child.indicator_code = terms.child_code
        and terms.template in ('any', child.template)
    where terms.rule_kind = 'sum_equals'
    group by all
),

sum_evaluations as (
    select
        parent.report_id,
        parent.source_file,
        sum_parents.rule_id,
        sum_parents.rule_kind,
        sum_parents.expectation_suite,
        sum_parents.rule_description,
        cast(null as varchar) as relation_id,
        parent.breakdown,
        sum_parents.parent_code as parent_indicator_code,
        cast(null as varchar) as child_indicator_code,
        parent.value as parent_value,
        sum_children.children_value,
        sum_children.n_inexact > 0 or parent.is_inexact as has_inexact_value
    from sum_parents
    inner join table_values as parent
        on parent.indicator_code = sum_parents.parent_code
        and sum_parents.template in ('any', parent.template)
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
        terms.expectation_suite,
        terms.rule_description,
        cast(null as varchar) as relation_id,
        parent.breakdown,
        terms.parent_code as parent_indicator_code,
        terms.child_code as child_indicator_code,
        parent.value as parent_value,
        child.value as children_value,
        parent.is_inexact or child.is_inexact as has_inexact_value
    from terms
    inner join table_values as parent
        on parent.indicator_code = terms.parent_code
        and terms.template in ('any', parent.template)
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
        rules.expectation_suite,
        rules.rule_description,
        cast(null as varchar) as relation_id,
        table_values.breakdown,
        table_values.indicator_code as parent_indicator_code,
        cast(null as varchar) as child_indicator_code,
        table_values.value as parent_value,
        cast(0 as double) as children_value,
        table_values.is_inexact as has_inexact_value
    from rules
    inner join table_values
        on rules.template in ('any', table_values.template)
    where rules.rule_kind = 'non_negative'
),

-- prose_sum ----------------------------------------------------------------------------------------

relation_parents as (
    select distinct
        report_id,
        relation_id,
        parent_indicator_code,
        parent_breakdown
    from value_relations
    where relation_kind = 'prose_sum'
),

relation_children as (
    select
        relations.report_id,
        relations.relation_id,
        count(*) as n_parts,
        count(child.value) as n_parts_stated,
        round(sum(child.value), 6) as children_value,
        count(*) filter (where child.is_inexact) as n_inexact
    from value_relations as relations
    left join prose_values as child
        on child.report_id = relations.report_id
        and child.indicator_code = relations.child_indicator_code
        and child.breakdown is not distinct from relations.child_breakdown
    where relations.relation_kind = 'prose_sum'
    group by all
),

prose_sum_evaluations as (
    select
        parent.report_id,
        parent.source_file,
        rules.rule_id,
        rules.rule_kind,
        rules.expectation_suite,
        rules.rule_description,
        relation_parents.relation_id,
        parent.breakdown,
        parent.indicator_code as parent_indicator_code,
        cast(null as varchar) as child_indicator_code,
        parent.value as parent_value,
        relation_children.children_value,
        relation_children.n_inexact > 0 or parent.is_inexact as has_inexact_value
    from relation_parents
    inner join prose_values as parent
        on parent.report_id = relation_parents.report_id
        and parent.indicator_code = relation_parents.parent_indicator_code
        and parent.breakdown is not distinct from relation_parents.parent_breakdown
    inner join relation_children
        on relation_children.report_id = relation_parents.report_id
        and relation_children.relation_id = relation_parents.relation_id
    inner join rules
        on rules.rule_kind = 'prose_sum'
        and rules.template in ('any', parent.template)
    where relation_children.n_parts_stated = relation_children.n_parts
),

-- text_vs_table ------------------------------------------------------------------------------------

text_vs_table_evaluations as (
    select
        table_value.report_id,
        table_value.source_file,
        rules.rule_id,
        rules.rule_kind,
        rules.expectation_suite,
        rules.rule_description,
        cast(null as varchar) as relation_id,
        table_value.breakdown,
        table_value.indicator_code as parent_indicator_code,
        cast(null as varchar) as child_indicator_code,
        round(table_value.value, 6) as parent_value,
        round(prose_value.value, 6) as children_value,
        false as has_inexact_value
    from table_values as table_value
    inner join prose_values as prose_value
        on prose_value.report_id = table_value.report_id
        and prose_value.indicator_code = table_value.indicator_code
        and prose_value.breakdown is not distinct from table_value.breakdown
    inner join rules
        on rules.rule_kind = 'text_vs_table'
        and rules.template in ('any', table_value.template)
    -- approximate prose ("1200余条", "约30人") is not comparable for equality: skipped
    where prose_value.qualifier in ('exact', 'stated_none')
        and not table_value.is_inexact
),

unioned as (
    select * from sum_evaluations
    union all by name
    select * from pair_evaluations
    union all by name
    select * from non_negative_evaluations
    union all by name
    select * from prose_sum_evaluations
    union all by name
    select * from text_vs_table_evaluations
),

final as (
    select
        {{ surrogate_key([
            'report_id', 'rule_id', 'breakdown', 'parent_indicator_code', 'child_indicator_code', 'relation_id',
        ]) }} as evaluation_id,
        report_id,
        source_file,
        rule_id,
        rule_kind,
        expectation_suite,
        rule_description,
        relation_id,
        breakdown,
        parent_indicator_code,
        child_indicator_code,
        parent_value,
        children_value,
        parent_value - children_value as difference,
        case expectation_suite
            when 'equal_values'
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

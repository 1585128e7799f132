{{ config(**incremental_report_config()) }}

-- One row per evaluation of a consistency rule (seeds check_rules, check_rule_terms,
-- check_rule_exemptions) on a report. A rule applies to the reports its `template` names: a template
-- (pre2019_table, gov2019, ...), a template family of seed template_families (gov = gov2019 and
-- gov2021) or 'any' (macro template_scopes). Only stated (non-NULL) values are ever compared: a blank
-- never makes a false failure (table_complete is the rule that reports blanks).
--
-- Terms (check_rule_terms): parent cell (parent_code, parent_breakdown) and child cell (child_code,
-- child_breakdown) with a coefficient (+1 / −1) and a year_offset (0 = the same report, −1 = the same
-- agency's current report of the year before). '*' as parent_code / parent_breakdown: every indicator /
-- breakdown of the report (one evaluation each; a '*' code with an explicit breakdown, e.g. every row's
-- 总计 cell); '*' as child_code / child_breakdown: the parent's.
--
--   sum_equals      table values. One row per report, rule and parent cell; parent = Σ coefficient ×
--                   child, evaluated only when the parent and ALL the terms of the parent are stated.
--   cross_year_sum  as sum_equals, over the current reports of one agency: terms with a year_offset are
--                   read from the agency's current report of that year (related_report_id, named in
--                   every row); not evaluated when that report does not exist.
--   at_most_parent  table values. One row per (parent cell, term) stated on both sides; child ≤ parent.
--   non_negative    table values. One row per stated value, except the cells check_rule_exemptions
--                   lists for the rule ('*' = any indicator / breakdown).
--   table_complete  one row per report and term: the term's parent_code names a table (its table_no in
--                   the report's template); parent_value = the cells the template requires (non-header
--                   rows × their breakdowns), children_value = the cells stated (non-blank) in the table.
--   prose_sum       prose values only. One row per report and relation_id of stg_xxgk__value_relations
--                   (relation_kind prose_sum): parent_value = the prose value of the relation's parent
--                   indicator + breakdown, children_value = Σ the prose values of its parts; evaluated
--                   only when the parent and every part are stated.
--   text_vs_table   parent_value = table value, children_value = prose value, for (a) an indicator and
--                   breakdown stated both in the table and in prose, and (b) a table figure and a prose
--                   figure of the same headline column (seed headline_indicators: the conformed mapping,
--                   e.g. table t3_new/总计 vs prose pre_requests_received), child_indicator_code then
--                   naming the prose indicator. Only exact prose values (qualifier exact or stated_none)
--                   are compared: "1200余条" (at_least) or "约30人" (approx) cannot be checked for
--                   equality, so they are skipped (as are the rare inexact table cells).
--
-- Whether an evaluation holds follows the rule's expectation_suite, the Great Expectations suite that
-- validates the same rows from Dagster (orchestration/lib/quality.py): equal_values
-- (|parent − children| ≤ var check_tolerance), at_most_parent (children ≤ parent), non_negative
-- (parent ≥ 0). GE reads report_id, source_file, related_report_id, related_source_file,
-- parent_indicator_code, child_indicator_code, breakdown, child_breakdown, relation_id, parent_value,
-- children_value and filters on rule_id. The model is incremental by report
-- (macros/incremental_reports.sql): a report is evaluated again when it is new or changed, or when
-- the current report of a year its cross-year rules read changes (int_report_signatures), so
-- cross-year rules are evaluated again whenever either year's report changes.

with

to_build as (
    {{ reports_to_build() }}
),

-- report_key: an integer standing for the 64-character report_id inside this model. Every join and
-- group below carries it (and no file names or rule descriptions, joined once in `signed`): at 100k
-- reports the wide strings carried through the term joins ran the build out of its 2GB DuckDB
-- memory_limit (docs/scaling.md)
reports as (
    select
        report_id,
        row_number() over (order by report_id) as report_key,
        source_file,
        template,
        agency_id,
        report_year,
        is_current
    from {{ ref('int_reports_ranked') }}
),

built_reports as (
    select
        reports.*,
        to_build.report_signature
    from reports
    inner join to_build
        on reports.report_id = to_build.report_id
),

-- the reports whose values the built reports read: their own and their agencies' other years
read_reports as (
    select report_key from built_reports
    union
    select report_key from reports
    where agency_id in (select agency_id from built_reports)
),

template_families as (
    select * from {{ ref('template_families') }}
),

value_relations as (
    select
        built_reports.report_key,
        relations.relation_id,
        relations.relation_kind,
        relations.parent_indicator_code,
        relations.parent_breakdown,
        relations.child_indicator_code,
        relations.child_breakdown
    from {{ ref('stg_xxgk__value_relations') }} as relations
    inner join built_reports
        on relations.report_id = built_reports.report_id
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

catalogue_cells as (
    select * from {{ ref('int_catalogue_cells') }}
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

rule_exemptions as (
    select
        rule_id,
        indicator_code,
        coalesce(breakdown, '') as breakdown
    from {{ ref('check_rule_exemptions') }}
),

headline_indicators as (
    select
        headline_column,
        template,
        indicator_code,
        coalesce(breakdown, '') as breakdown
    from {{ ref('headline_indicators') }}
),

-- which rules apply to which reports ---------------------------------------------------------------

report_scopes as (
    {{ template_scopes('built_reports', 'template_families', key='report_key') }}
),

applicable as (
    select
        rules.rule_id,
        rules.rule_kind,
        reports.report_key,
        reports.template as report_template,
        reports.agency_id,
        reports.report_year,
        reports.is_current
    from rules
    inner join report_scopes
        on rules.template = report_scopes.scope
    inner join built_reports as reports
        on report_scopes.report_key = reports.report_key
),

-- the stated (non-NULL) values the rules read, only the columns they read: DuckDB materializes a CTE
-- read more than once
stated_values as (
    select
        reports.report_key,
        staged.indicator_code,
        staged.breakdown,
        staged.source_kind,
        staged.value,
        coalesce(staged.qualifier in ('approx', 'at_least'), false) as is_inexact,
        -- an exact statement ("3件", "没有"), comparable for equality
        staged.qualifier in ('exact', 'stated_none') as is_exact
    from {{ ref('stg_xxgk__indicator_values') }} as staged
    inner join reports
        on staged.report_id = reports.report_id
    where staged.value is not null
        and reports.report_key in (select report_key from read_reports)
),

table_values as (
    select * from stated_values
    where source_kind = 'table'
),

prose_values as (
    select * from stated_values
    where source_kind = 'prose'
),

-- terms: sum_equals, cross_year_sum, at_most_parent ------------------------------------------------

term_parents as (
    select distinct
        rule_terms.rule_id,
        rule_terms.parent_code,
        rule_terms.parent_breakdown
    from rule_terms
    inner join rules
        on rule_terms.rule_id = rules.rule_id
    where rules.rule_kind in ('sum_equals', 'cross_year_sum', 'at_most_parent')
),

-- the year offset of a cross-year rule's related report (one per rule: assert_check_rules_well_formed)
related_offsets as (
    select
        rule_id,
        min(year_offset) as related_year_offset
    from rule_terms
    where year_offset <> 0
    group by rule_id
),

-- the stated parent cells each term parent matches: an explicit code (equi-join on the code) or '*'
-- (every indicator, matched on an explicit breakdown)
matched_parents as (
    select
        term_parents.rule_id,
        term_parents.parent_code,
        term_parents.parent_breakdown,
        parent.report_key,
        parent.indicator_code,
        parent.breakdown,
        parent.value,
        parent.is_inexact
    from term_parents
    inner join table_values as parent
        on parent.indicator_code = term_parents.parent_code
        and term_parents.parent_breakdown in ('*', parent.breakdown)
    where term_parents.parent_code <> '*'
    union all
    select
        term_parents.rule_id,
        term_parents.parent_code,
        term_parents.parent_breakdown,
        parent.report_key,
        parent.indicator_code,
        parent.breakdown,
        parent.value,
        parent.is_inexact
    from term_parents
    inner join table_values as parent
        on parent.breakdown = term_parents.parent_breakdown
    where term_parents.parent_code = '*'
),

parent_cells as (
    select
        applicable.rule_id,
        applicable.rule_kind,
        applicable.report_key,
        matched_parents.parent_code as term_parent_code,
        matched_parents.parent_breakdown as term_parent_breakdown,
        matched_parents.indicator_code,
        matched_parents.breakdown,
        matched_parents.value,
        matched_parents.is_inexact,
        related.report_key as related_report_key,
        related.report_id as related_report_id,
        related.source_file as related_source_file
    from applicable
    inner join matched_parents
        on applicable.rule_id = matched_parents.rule_id
        and applicable.report_key = matched_parents.report_key
    left join related_offsets
        on applicable.rule_id = related_offsets.rule_id
    left join reports as related
        on applicable.rule_kind = 'cross_year_sum'
        and related.agency_id = applicable.agency_id
        and related.report_year = applicable.report_year + related_offsets.related_year_offset
        and related.is_current
    where applicable.rule_kind in ('sum_equals', 'at_most_parent')
        -- a cross-year rule links the current reports of one agency, both present
        or (
            applicable.rule_kind = 'cross_year_sum'
            and applicable.is_current
            and related.report_key is not null
        )
),

term_cells as (
    select
        parent_cells.*,
        case rule_terms.child_code
            when '*' then parent_cells.indicator_code
            else rule_terms.child_code
        end as child_indicator_code,
        case rule_terms.child_breakdown
            when '*' then parent_cells.breakdown
            else rule_terms.child_breakdown
        end as child_breakdown,
        rule_terms.child_breakdown <> '*' as is_child_breakdown_explicit,
        rule_terms.coefficient,
        case
            when rule_terms.year_offset = 0 then parent_cells.report_key
            else parent_cells.related_report_key
        end as child_report_key
    from parent_cells
    inner join rule_terms
        on parent_cells.rule_id = rule_terms.rule_id
        and parent_cells.term_parent_code = rule_terms.parent_code
        and parent_cells.term_parent_breakdown = rule_terms.parent_breakdown
),

-- not materialized: read by sum_evaluations and pair_evaluations, each streams it (materialized, the
-- term rows of 100k reports are gigabytes)
term_values as not materialized (
    select
        term_cells.*,
        child.value as child_value,
        child.is_inexact as child_is_inexact
    from term_cells
    left join table_values as child
        on child.report_key = term_cells.child_report_key
        and child.indicator_code = term_cells.child_indicator_code
        and child.breakdown = term_cells.child_breakdown
),

sum_evaluations as (
    select
        report_key,
        related_report_id,
        related_source_file,
        rule_id,
        rule_kind,
        breakdown,
        indicator_code as parent_indicator_code,
        -- a one-term equation (e.g. the carry-over across years) names its child
        case when count(*) = 1 then any_value(child_indicator_code) end as child_indicator_code,
        case when count(*) = 1 and bool_or(is_child_breakdown_explicit) then any_value(child_breakdown) end
            as child_breakdown,
        value as parent_value,
        -- rounded so that 0.1 + 0.2 equals 0.3: GE's equal_values suite compares with exact equality
        round(sum(coefficient * child_value), 6) as children_value,
        bool_or(child_is_inexact) or is_inexact as has_inexact_value
    from term_values
    where rule_kind in ('sum_equals', 'cross_year_sum')
    group by
        report_key, related_report_id, related_source_file, rule_id, rule_kind, term_parent_code,
        term_parent_breakdown, indicator_code, breakdown, value, is_inexact
    -- evaluated only when every term is stated: a blank or missing cell is never a sum violation
    having count(child_value) = count(*)
),

pair_evaluations as (
    select
        report_key,
        rule_id,
        rule_kind,
        breakdown,
        indicator_code as parent_indicator_code,
        child_indicator_code,
        case when is_child_breakdown_explicit then child_breakdown end as child_breakdown,
        value as parent_value,
        child_value as children_value,
        is_inexact or child_is_inexact as has_inexact_value
    from term_values
    where rule_kind = 'at_most_parent'
        and child_value is not null
),

-- non_negative -------------------------------------------------------------------------------------

non_negative_evaluations as (
    select
        applicable.report_key,
        applicable.rule_id,
        applicable.rule_kind,
        table_values.breakdown,
        table_values.indicator_code as parent_indicator_code,
        table_values.value as parent_value,
        cast(0 as double) as children_value,
        table_values.is_inexact as has_inexact_value
    from applicable
    inner join table_values
        on applicable.report_key = table_values.report_key
    where applicable.rule_kind = 'non_negative'
        and not exists (
            select 1
            from rule_exemptions
            where rule_exemptions.rule_id = applicable.rule_id
                and rule_exemptions.indicator_code in ('*', table_values.indicator_code)
                and rule_exemptions.breakdown in ('*', table_values.breakdown)
        )
),

-- table_complete -----------------------------------------------------------------------------------

required_cells as (
    select
        applicable.report_key,
        applicable.rule_id,
        applicable.rule_kind,
        anchor.indicator_code as anchor_code,
        cells.indicator_code,
        cells.breakdown,
        cells.row_order,
        cells.breakdown_position
    from applicable
    inner join rule_terms
        on applicable.rule_id = rule_terms.rule_id
    -- the term's parent_code names the table: its table_no in the report's own template
    inner join catalogue as anchor
        on anchor.template = applicable.report_template
        and anchor.indicator_code = rule_terms.parent_code
    inner join catalogue_cells as cells
        on cells.template = anchor.template
        and cells.table_no = anchor.table_no
        and not cells.is_header
    where applicable.rule_kind = 'table_complete'
),

completeness_evaluations as (
    select
        required_cells.report_key,
        required_cells.rule_id,
        required_cells.rule_kind,
        required_cells.anchor_code as parent_indicator_code,
        cast(count(*) as double) as parent_value,
        cast(count(stated.value) as double) as children_value,
        false as has_inexact_value,
        case
            when count(stated.value) < count(*)
                then (count(*) - count(stated.value)) || ' of ' || count(*) || ' cells blank or missing: '
                    || array_to_string(
                        list_slice(
                            list(
                                required_cells.indicator_code || '/' || required_cells.breakdown
                                order by required_cells.row_order, required_cells.breakdown_position
                            ) filter (where stated.value is null),
                            1,
                            10
                        ),
                        ', '
                    )
                    || case when count(*) - count(stated.value) > 10 then ', …' else '' end
        end as detail
    from required_cells
    left join table_values as stated
        on stated.report_key = required_cells.report_key
        and stated.indicator_code = required_cells.indicator_code
        and stated.breakdown = required_cells.breakdown
    group by
        required_cells.report_key, required_cells.rule_id, required_cells.rule_kind, required_cells.anchor_code
),

-- prose_sum ----------------------------------------------------------------------------------------

relation_parents as (
    select distinct
        report_key,
        relation_id,
        parent_indicator_code,
        parent_breakdown
    from value_relations
    where relation_kind = 'prose_sum'
),

relation_children as (
    select
        relations.report_key,
        relations.relation_id,
        count(*) as n_parts,
        count(child.value) as n_parts_stated,
        round(sum(child.value), 6) as children_value,
        count(*) filter (where child.is_inexact) as n_inexact
    from value_relations as relations
    left join prose_values as child
        on child.report_key = relations.report_key
        and child.indicator_code = relations.child_indicator_code
        and child.breakdown is not distinct from relations.child_breakdown
    where relations.relation_kind = 'prose_sum'
    group by all
),

prose_sum_evaluations as (
    select
        applicable.report_key,
        applicable.rule_id,
        applicable.rule_kind,
        relation_parents.relation_id,
        parent.breakdown,
        parent.indicator_code as parent_indicator_code,
        parent.value as parent_value,
        relation_children.children_value,
        relation_children.n_inexact > 0 or parent.is_inexact as has_inexact_value
    from relation_parents
    inner join prose_values as parent
        on parent.report_key = relation_parents.report_key
        and parent.indicator_code = relation_parents.parent_indicator_code
        and parent.breakdown is not distinct from relation_parents.parent_breakdown
    inner join relation_children
        on relation_children.report_key = relation_parents.report_key
        and relation_children.relation_id = relation_parents.relation_id
    inner join applicable
        on applicable.rule_kind = 'prose_sum'
        and applicable.report_key = relation_parents.report_key
    where relation_children.n_parts_stated = relation_children.n_parts
),

-- text_vs_table ------------------------------------------------------------------------------------

-- (a) one indicator and breakdown stated in the table and, exactly, in prose
same_cell_evaluations as (
    select
        applicable.report_key,
        applicable.rule_id,
        applicable.rule_kind,
        table_value.breakdown,
        table_value.indicator_code as parent_indicator_code,
        round(table_value.value, 6) as parent_value,
        round(prose_value.value, 6) as children_value,
        false as has_inexact_value
    from table_values as table_value
    inner join prose_values as prose_value
        on prose_value.report_key = table_value.report_key
        and prose_value.indicator_code = table_value.indicator_code
        and prose_value.breakdown is not distinct from table_value.breakdown
    inner join applicable
        on applicable.rule_kind = 'text_vs_table'
        and applicable.report_key = table_value.report_key
    -- approximate prose ("1200余条", "约30人") is not comparable for equality: skipped
    where prose_value.is_exact
        and not table_value.is_inexact
),

-- (b) the conformed mapping: the cells of one headline_indicators indicator (summed, all stated, one
-- source) are a figure of the headline column; a table figure and a prose figure of one column and
-- report are compared unless they are the very same cells (already compared by (a))
headline_cells as (
    select
        headline_column,
        template,
        indicator_code,
        breakdown,
        count(*) over (partition by headline_column, template, indicator_code) as n_cells
    from headline_indicators
),

headline_figures as (
    select distinct
        report_scopes.report_key,
        headline_cells.headline_column,
        headline_cells.template,
        headline_cells.indicator_code,
        stated_values.source_kind,
        string_agg(headline_cells.breakdown, '+' order by headline_cells.breakdown) as breakdowns,
        sum(stated_values.value) as value,
        bool_and(
            case stated_values.source_kind
                when 'table' then not stated_values.is_inexact
                else stated_values.is_exact
            end
        ) as is_exact
    from headline_cells
    inner join report_scopes
        on headline_cells.template = report_scopes.scope
    inner join stated_values
        on stated_values.report_key = report_scopes.report_key
        and stated_values.indicator_code = headline_cells.indicator_code
        and stated_values.breakdown = headline_cells.breakdown
    group by all
    having count(*) = any_value(headline_cells.n_cells)
),

conformed_evaluations as (
    select distinct
        applicable.report_key,
        applicable.rule_id,
        applicable.rule_kind,
        table_figure.breakdowns as breakdown,
        table_figure.indicator_code as parent_indicator_code,
        prose_figure.indicator_code as child_indicator_code,
        prose_figure.breakdowns as child_breakdown,
        round(table_figure.value, 6) as parent_value,
        round(prose_figure.value, 6) as children_value,
        false as has_inexact_value,
        'headline column ' || table_figure.headline_column as detail
    from headline_figures as table_figure
    inner join headline_figures as prose_figure
        on prose_figure.report_key = table_figure.report_key
        and prose_figure.headline_column = table_figure.headline_column
        and prose_figure.source_kind = 'prose'
    inner join applicable
        on applicable.rule_kind = 'text_vs_table'
        and applicable.report_key = table_figure.report_key
    where table_figure.source_kind = 'table'
        and table_figure.is_exact
        and prose_figure.is_exact
        and not (
            table_figure.indicator_code = prose_figure.indicator_code
            and table_figure.breakdowns = prose_figure.breakdowns
        )
),

unioned as (
    select * from sum_evaluations
    union all by name
    select * from pair_evaluations
    union all by name
    select * from non_negative_evaluations
    union all by name
    select * from completeness_evaluations
    union all by name
    select * from prose_sum_evaluations
    union all by name
    select * from same_cell_evaluations
    union all by name
    select * from conformed_evaluations
),

-- the report's id, file and signature and the rule's suite and description, joined once
signed as (
    select
        unioned.* exclude (report_key),
        reports.report_id,
        reports.source_file,
        rules.expectation_suite,
        rules.rule_description,
        reports.report_signature
    from unioned
    inner join built_reports as reports
        on unioned.report_key = reports.report_key
    inner join rules
        on unioned.rule_id = rules.rule_id
),

final as (
    select
        {{ surrogate_key(
            ['report_id', 'rule_id', 'breakdown', 'parent_indicator_code', 'child_indicator_code', 'relation_id'],
            optional_columns=['related_report_id', 'child_breakdown'],
        ) }} as evaluation_id,
        report_id,
        source_file,
        cast(related_report_id as varchar) as related_report_id,
        cast(related_source_file as varchar) as related_source_file,
        rule_id,
        rule_kind,
        expectation_suite,
        rule_description,
        cast(relation_id as varchar) as relation_id,
        cast(breakdown as varchar) as breakdown,
        parent_indicator_code,
        cast(child_indicator_code as varchar) as child_indicator_code,
        cast(child_breakdown as varchar) as child_breakdown,
        cast(parent_value as double) as parent_value,
        cast(children_value as double) as children_value,
        cast(parent_value - children_value as double) as difference,
        case expectation_suite
            when 'equal_values'
                then abs(parent_value - children_value) <= {{ var('check_tolerance') }}
            when 'at_most_parent'
                then children_value <= parent_value
            when 'non_negative'
                then parent_value >= 0
        end as holds,
        has_inexact_value,
        cast(detail as varchar) as detail,
        report_signature,
        '{{ invocation_id }}' as dbt_invocation_id
    from signed
)

select * from final

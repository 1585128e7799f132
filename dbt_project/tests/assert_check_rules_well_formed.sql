-- Rule shapes, by rule_kind:
--   sum_equals      every parent (parent_code, parent_breakdown) has at least two terms, all in the
--                   parent's report (year_offset 0); a '*' parent code needs an explicit breakdown;
--   cross_year_sum  at least one term with a year_offset, and one offset per rule (one related report);
--   at_most_parent  at least one term, year_offset 0;
--   table_complete  at least one term, each naming a table by a row (parent_code not '*'), child '*';
--   non_negative, prose_sum, text_vs_table: no terms.
-- Also: the expectation_suite fits the rule_kind; the rule's template is 'any', a template or a
-- template family (seed template_families); every term's indicator belongs to a template the rule
-- applies to, and an explicit breakdown is a cell of it (int_catalogue_cells); exemptions belong to
-- non_negative rules.

with

rules as (
    select * from {{ ref('check_rules') }}
),

terms as (
    select * from {{ ref('check_rule_terms') }}
),

exemptions as (
    select * from {{ ref('check_rule_exemptions') }}
),

families as (
    select * from {{ ref('template_families') }}
),

cells as (
    select * from {{ ref('int_catalogue_cells') }}
),

-- the catalogue templates a rule scope covers
scope_templates as (
    select template as scope, template from families
    union all
    select template_family, template from families
    union all
    select 'any', template from families
),

parent_shapes as (
    select
        rules.rule_id,
        rules.rule_kind,
        terms.parent_code,
        terms.parent_breakdown,
        count(*) as n_terms
    from rules
    inner join terms
        on rules.rule_id = terms.rule_id
    group by all
),

rule_shapes as (
    select
        rules.rule_id,
        rules.rule_kind,
        count(terms.rule_id) as n_terms,
        count(terms.rule_id) filter (where terms.year_offset <> 0) as n_offset_terms,
        count(distinct terms.year_offset) filter (where terms.year_offset <> 0) as n_offsets,
        count(terms.rule_id) filter (where terms.parent_code = '*' or terms.child_code <> '*') as n_bad_table_terms
    from rules
    left join terms
        on rules.rule_id = terms.rule_id
    group by rules.rule_id, rules.rule_kind
),

bad_shapes as (
    select rule_id, 'bad shape for ' || rule_kind as problem
    from rule_shapes
    where (rule_kind in ('sum_equals', 'at_most_parent') and (n_terms < 1 or n_offset_terms > 0))
        or (rule_kind = 'cross_year_sum' and (n_offset_terms < 1 or n_offsets <> 1))
        or (rule_kind = 'table_complete' and (n_terms < 1 or n_bad_table_terms > 0))
        or (rule_kind in ('non_negative', 'prose_sum', 'text_vs_table') and n_terms <> 0)
    union all
    select rule_id, 'sum over fewer than two terms: ' || parent_code || '/' || parent_breakdown
    from parent_shapes
    where rule_kind = 'sum_equals' and n_terms < 2
    union all
    -- '*' for every indicator is matched on an explicit breakdown (e.g. every row's 总计 cell)
    select rule_id, 'parent */* matches nothing: give the breakdown'
    from parent_shapes
    where rule_kind in ('sum_equals', 'cross_year_sum', 'at_most_parent')
        and parent_code = '*'
        and parent_breakdown = '*'
),

-- the suite must test what the rule kind's evaluation rows mean
suite_fits_kind as (
    select * from (values
        ('sum_equals', 'equal_values'),
        ('cross_year_sum', 'equal_values'),
        ('table_complete', 'equal_values'),
        ('prose_sum', 'equal_values'),
        ('text_vs_table', 'equal_values'),
        ('at_most_parent', 'at_most_parent'),
        ('non_negative', 'non_negative')
    ) as fits (rule_kind, expectation_suite)
),

wrong_suite as (
    select rules.rule_id, 'suite ' || coalesce(rules.expectation_suite, 'NULL') || ' does not fit ' || rules.rule_kind as problem
    from rules
    left join suite_fits_kind
        on rules.rule_kind = suite_fits_kind.rule_kind
        and rules.expectation_suite = suite_fits_kind.expectation_suite
    where suite_fits_kind.rule_kind is null
),

unknown_scope as (
    select rule_id, 'unknown template ' || template as problem
    from rules
    where template not in (select scope from scope_templates)
),

-- each explicit term cell (code and/or breakdown) must exist in a template the rule applies to
term_cells as (
    select rule_id, parent_code as indicator_code, parent_breakdown as breakdown from terms
    union
    select rule_id, child_code, child_breakdown from terms
),

wrong_template as (
    select term_cells.rule_id, 'term ' || term_cells.indicator_code || '/' || term_cells.breakdown
        || ' not in a template of ' || rules.template as problem
    from term_cells
    inner join rules
        on term_cells.rule_id = rules.rule_id
    where not (term_cells.indicator_code = '*' and term_cells.breakdown = '*')
        and not exists (
            select 1
            from cells
            inner join scope_templates
                on cells.template = scope_templates.template
            where scope_templates.scope = rules.template
                and term_cells.indicator_code in ('*', cells.indicator_code)
                and term_cells.breakdown in ('*', cells.breakdown)
        )
),

wrong_exemptions as (
    select exemptions.rule_id, 'exemption for a ' || rules.rule_kind || ' rule' as problem
    from exemptions
    inner join rules
        on exemptions.rule_id = rules.rule_id
    where rules.rule_kind <> 'non_negative'
)

select * from bad_shapes
union all
select * from wrong_suite
union all
select * from unknown_scope
union all
select * from wrong_template
union all
select * from wrong_exemptions

-- Rule shapes: a sum_equals rule has one parent and at least two children, an at_most_parent rule at
-- least one pair, non_negative / prose_sum / text_vs_table rules no terms; the expectation_suite fits
-- the rule_kind; and every term belongs to the rule's template (any: every template).

with

rules as (
    select * from {{ ref('check_rules') }}
),

terms as (
    select * from {{ ref('check_rule_terms') }}
),

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

shapes as (
    select
        rules.rule_id,
        rules.rule_kind,
        count(terms.rule_id) as n_terms,
        count(distinct terms.parent_code) as n_parents
    from rules
    left join terms
        on rules.rule_id = terms.rule_id
    group by rules.rule_id, rules.rule_kind
),

bad_shapes as (
    select rule_id, 'bad shape for ' || rule_kind as problem
    from shapes
    where (rule_kind = 'sum_equals' and (n_parents <> 1 or n_terms < 2))
        or (rule_kind = 'at_most_parent' and n_terms < 1)
        or (rule_kind in ('non_negative', 'prose_sum', 'text_vs_table') and n_terms <> 0)
),

-- the suite must test what the rule kind's evaluation rows mean
suite_fits_kind as (
    select * from (values
        ('sum_equals', 'equal_values'),
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

wrong_template as (
    select terms.rule_id, 'term ' || catalogue.indicator_code || ' not of template ' || rules.template as problem
    from terms
    inner join rules
        on terms.rule_id = rules.rule_id
    inner join catalogue
        on catalogue.indicator_code in (terms.parent_code, terms.child_code)
    where rules.template <> 'any'
        and catalogue.template <> rules.template
)

select * from bad_shapes
union all
select * from wrong_suite
union all
select * from wrong_template

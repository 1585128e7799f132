"""The SQL of the accuracy scorer (bench/bench_accuracy.py), run by DuckDB over the truth Parquet files and the
attached warehouse ``wh``. Views ``manifest``, ``truth_values``, ``truth_relations``, ``header_rows`` and the
table ``bad_kinds`` are set up by ``bench_accuracy.connect``; nothing here is formatted with data.

Every statement streams: the tables materialised are ``files`` (one row per file) and ``status`` (counts per
family, source_kind, indicator and status); the joins of the truth with the warehouse's values spill to
DuckDB's temp directory when they outgrow its memory limit.
"""

FILES = """
create temp table files as
select file, family, sha256 as report_id from manifest
"""

# Extracted values, scored per file; header rows and the prose of gov reports (quantities the truth does not
# list) are left out.
GOT = """
create temp view got as
select f.file, v.source_kind, v.indicator_code, v.breakdown, f.family, v.value::double as got
from wh.marts.fct_indicator_value as v
inner join files as f on f.report_id = v.report_id
anti join header_rows as h on h.family = f.family and h.indicator_code = v.indicator_code
where not (f.family like 'gov%' and v.source_kind = 'prose')
"""

# The truth keys (file, source_kind, indicator_code, breakdown) are unique (tests/unit/test_generate.py), and so
# are the warehouse's values per report and key: one full join of the two gives one row per key, aggregated on
# the fly into counts per family, source_kind, indicator and status, which is all that is kept. recalled: the
# extracted value equals the truth (a blank truth cell is matched by an extracted NULL); wrong: extracted with
# another value; missed: not extracted; spurious: extracted, not in the truth.
STATUS = """
create temp table status as
with truth as (
    select t.file, t.source_kind, t.indicator_code, t.breakdown, t.value, f.family
    from truth_values as t
    inner join files as f on f.file = t.file
),
keyed as (
    select
        coalesce(t.family, g.family) as family,
        coalesce(t.source_kind, g.source_kind) as source_kind,
        coalesce(t.indicator_code, g.indicator_code) as indicator_code,
        coalesce(t.file, g.file) as file,
        coalesce(t.breakdown, g.breakdown) as breakdown,
        case
            when t.file is null then 'spurious'
            when g.file is null then 'missed'
            when coalesce(
                case when t.value is null then g.got is null else abs(g.got - t.value) < 1e-6 end, false
            ) then 'recalled'
            else 'wrong'
        end as status
    from truth as t
    full join got as g
        on g.file = t.file and g.source_kind = t.source_kind
        and g.indicator_code = t.indicator_code and g.breakdown = t.breakdown
)
select family, source_kind, indicator_code, status, count(*) as n, min(file) as example, min(breakdown) as breakdown
from keyed
group by all
"""

VALUES = """
select
    family, source_kind,
    coalesce(sum(n) filter (where status <> 'spurious'), 0)::bigint as truth,
    coalesce(sum(n) filter (where status = 'recalled'), 0)::bigint as recalled,
    coalesce(sum(n) filter (where status = 'wrong'), 0)::bigint as wrong,
    coalesce(sum(n) filter (where status = 'missed'), 0)::bigint as missed,
    coalesce(sum(n) filter (where status = 'spurious'), 0)::bigint as spurious
from status
group by all
order by family, source_kind
"""

MISSES = """
select family, source_kind, indicator_code, status as kind, n, example, breakdown
from status
where status in ('wrong', 'missed')
order by n desc, family, source_kind, indicator_code, kind
limit ?
"""

METADATA = """
with reports as (
    select
        m.family, m.template, m.agency_name, m.report_year,
        r.template as got_template, r.agency_name as got_agency, r.report_year as got_year, q.reason
    from manifest as m
    left join wh.staging.stg_reports as r on r.report_id = m.sha256
    left join wh.staging.stg_quarantine as q on q.report_id = m.sha256
    where m.family <> 'bad'
),
bad as (
    select m.bad_kind, q.reason, k.expected
    from manifest as m
    left join wh.staging.stg_quarantine as q on q.report_id = m.sha256
    left join bad_kinds as k on k.bad_kind = m.bad_kind
    where m.family = 'bad'
)
select
    family, count(*) as reports, count(got_template) as parsed, count(reason) as quarantined,
    count(*) filter (where got_template = template) as template_ok,
    -- the same name: spaces dropped, full-width digits folded (the generator writes 二九０, the parser 二九0)
    count(*) filter (
        where translate(replace(got_agency, ' ', ''), '０１２３４５６７８９', '0123456789')
            = translate(agency_name, '０１２３４５６７８９', '0123456789')
    ) as agency_ok,
    count(*) filter (where got_year = report_year) as year_ok
from reports
group by family
union all by name
select
    'bad' as family, count(*) as reports, 0 as parsed, count(reason) as quarantined,
    count(*) filter (where reason = expected) as template_ok, 0 as agency_ok, 0 as year_ok
from bad
order by family = 'bad', family
"""

# Truth relations are the prose sums of pre2019_table and narrative reports (gov prose is not in the truth):
# an extracted prose sum of those families that the truth lacks is spurious.
RELATIONS = """
with got as (
    select distinct
        f.file, f.family, r.parent_indicator_code, r.parent_breakdown, r.child_indicator_code, r.child_breakdown
    from wh.staging.stg_value_relations as r
    inner join files as f on f.report_id = r.report_id
    where r.relation_kind = 'prose_sum'
),
truth as (
    select distinct file, parent_indicator_code, parent_breakdown, child_indicator_code, child_breakdown
    from truth_relations
),
recalled as (
    select count(*) as n from truth semi join got using (
        file, parent_indicator_code, parent_breakdown, child_indicator_code, child_breakdown
    )
),
spurious as (
    select count(*) as n from got anti join truth using (
        file, parent_indicator_code, parent_breakdown, child_indicator_code, child_breakdown
    )
    where got.family in ('pre2019_table', 'narrative')
)
select (select count(*) from truth) as truth, (select n from recalled) as recalled, (select n from spurious) as spurious
"""

# Per rule: reports planted with it, reports expected to break it (planted, or a gov report whose plant also
# breaks it), found (expected and flagged with it), false (flagged with it, not expected).
PLANTS_BY_RULE = """
with reports as (
    select sha256 as report_id, planted_rule, expected_rules from manifest where family <> 'bad'
),
flagged as (
    select distinct v.report_id, v.rule_id
    from wh.marts.fct_check_violation as v
    semi join reports as r on r.report_id = v.report_id
),
rules as (
    select rule_id from flagged
    union select planted_rule from reports where planted_rule <> ''
    union select unnest(expected_rules) from reports
),
pairs as (
    select
        rules.rule_id, r.report_id,
        r.planted_rule = rules.rule_id as planted,
        list_contains(r.expected_rules, rules.rule_id) as expected,
        f.report_id is not null as is_flagged
    from rules
    cross join reports as r
    left join flagged as f on f.report_id = r.report_id and f.rule_id = rules.rule_id
    where r.planted_rule = rules.rule_id or list_contains(r.expected_rules, rules.rule_id) or f.report_id is not null
)
select
    rule_id,
    count(*) filter (where planted) as planted,
    count(*) filter (where expected) as expected,
    count(*) filter (where expected and is_flagged) as found,
    count(*) filter (where is_flagged and not expected) as false
from pairs
group by rule_id
order by rule_id
"""

PLANTS = """
with reports as (
    select sha256 as report_id, planted_rule, expected_rules from manifest where family <> 'bad'
),
flagged as (
    select report_id, list(distinct rule_id order by rule_id) as rules
    from wh.marts.fct_check_violation
    group by report_id
),
j as (select r.*, f.rules from reports as r left join flagged as f using (report_id))
select
    count(*) filter (where planted_rule <> '') as planted,
    count(*) filter (where planted_rule <> '' and len(list_intersect(rules, expected_rules)) > 0) as detected,
    count(*) filter (where len(expected_rules) = 0) as consistent_reports,
    count(*) filter (where len(expected_rules) = 0 and rules is not null) as consistent_flagged
from j
"""

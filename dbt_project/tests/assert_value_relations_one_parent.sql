-- Every row of a prose relation names the same parent (indicator and breakdown) and kind, and no part
-- is its own parent.

with

relations as (
    select * from {{ ref('stg_xxgk__value_relations') }}
),

parents as (
    select
        report_id,
        relation_id,
        count(distinct (relation_kind, parent_indicator_code, parent_breakdown)) as n_parents
    from relations
    group by report_id, relation_id
)

select report_id, relation_id, 'several parents or kinds' as problem
from parents
where n_parents > 1
union all
select report_id, relation_id, 'part ' || child_indicator_code || ' is its own parent'
from relations
where child_indicator_code = parent_indicator_code
    and child_breakdown is not distinct from parent_breakdown

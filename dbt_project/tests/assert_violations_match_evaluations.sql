-- fct_check_violation holds exactly the failed evaluations of int_rule_evaluations.

with

failed as (
    select evaluation_id from {{ ref('int_rule_evaluations') }} where not holds
),

violations as (
    select violation_id from {{ ref('fct_check_violation') }}
)

(select evaluation_id as id, 'missing from fct_check_violation' as problem from failed
 except
 select violation_id, 'missing from fct_check_violation' from violations)
union all
(select violation_id, 'not a failed evaluation' from violations
 except
 select evaluation_id, 'not a failed evaluation' from failed)

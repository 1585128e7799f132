{% test expression_is_true(model, expression, column_name=none) %}
{#- Rows where the boolean SQL expression is false OR NULL (stricter than dbt_utils: NULL fails). -#}
select *
from {{ model }}
where ({{ expression }}) is not true
{% endtest %}

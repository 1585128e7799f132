-- Every row of an incremental per-report model was built from its report's current signature
-- (int_report_signatures salted with the model's lineage): no row of a removed, reparsed, renamed,
-- superseded or re-linked report survives a refresh. With it, the tests of these models that check
-- only the rows built by this run (where dbt_invocation_id = this run) cover the whole table.
{%- set models = [
    'int_indicator_values_deduplicated',
    'int_rule_evaluations',
    'fct_indicator_value',
    'fct_report_section',
] %}

with

signatures as (
    select * from {{ ref('int_report_signatures') }}
)

{% for name in models %}
select '{{ name }}' as model_name, rows.report_id, rows.report_signature
from {{ ref(name) }} as rows
where rows.report_signature not in (
    select {{ model_report_signature('signatures.report_signature', 'model.' ~ project_name ~ '.' ~ name) }}
    from signatures
)
{{ 'union all' if not loop.last }}
{% endfor %}

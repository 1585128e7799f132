{#- One row per report and scope a seed row may name to apply to it: the report's template (rank 0),
    its template family from seed template_families (rank 1, e.g. gov for gov2019 and gov2021), and
    'any' (rank 2). `reports` and `families` are relations or CTE names with report_id, template and
    template, template_family. A template missing from the families seed still gets itself and 'any'. -#}
{% macro template_scopes(reports, families, key='report_id') -%}
    select
        reports.{{ key }},
        reports.template as scope,
        0 as scope_rank
    from {{ reports }} as reports
    where reports.template is not null
    union all
    select
        reports.{{ key }},
        families.template_family as scope,
        1 as scope_rank
    from {{ reports }} as reports
    inner join {{ families }} as families
        on reports.template = families.template
    where families.template_family <> families.template
    union all
    select
        reports.{{ key }},
        'any' as scope,
        2 as scope_rank
    from {{ reports }} as reports
{%- endmacro %}
